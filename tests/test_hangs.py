"""The suite's bounds (tests/hangs.py): a consumer a test left connected is stopped at teardown, one that
will not stop fails its test with its stack, a stuck socket test fails on its own, and every test has a
hard limit that also covers the event loop's teardown."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from tenants.consumers import CLOSE_UNKNOWN_AGENCY
from tests import hangs
from tests.chat.conftest import chat_application

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_consumer_left_connected_is_stopped_at_teardown(db):
    communicator = WebsocketCommunicator(chat_application(), "/ws/a/nowhere/chat/")
    connected, code = await communicator.connect(timeout=10)
    assert not connected and code == CLOSE_UNKNOWN_AGENCY
    assert not communicator.future.done()  # the consumer still waits for its socket and channel
    await hangs.close_communicators([communicator])
    assert communicator.future.done()


async def test_a_consumer_that_ignores_cancellation_fails_its_test_with_its_stack(monkeypatch):
    monkeypatch.setattr(hangs, "DISCONNECT_GRACE_SECONDS", 0.2)
    monkeypatch.setattr(hangs, "CANCEL_GRACE_SECONDS", 0.5)
    released = asyncio.Event()

    async def stubborn(scope, receive, send):
        while True:
            try:
                await released.wait()
                return
            except asyncio.CancelledError:
                if released.is_set():
                    raise

    communicator = WebsocketCommunicator(stubborn, "/ws/stubborn/")
    communicator.future  # noqa: B018 - starts the application
    await asyncio.sleep(0)
    with pytest.raises(AssertionError, match=r"did not stop when cancelled(.|\n)*in stubborn"):
        await hangs.close_communicators([communicator])
    released.set()
    await asyncio.wait({communicator.future}, timeout=5)
    assert communicator.future.done()


async def test_a_stuck_socket_test_body_times_out_on_its_own():
    async def stuck():
        await asyncio.Event().wait()

    with pytest.raises(TimeoutError):
        await hangs.bounded(stuck, 0.2)()


async def test_socket_tests_have_their_own_bounds(request):
    from tests.conftest import ASYNC_TEST_SECONDS

    assert request.node.get_closest_marker("timeout").args == (ASYNC_TEST_SECONDS,)
    assert "_close_communicators" in request.node.fixturenames


def test_every_test_has_a_hard_limit_that_dumps_the_stacks(request):
    assert int(request.config.getini("timeout")) == 300
    assert request.config.getini("timeout_method") == "thread"
    assert request.node.get_closest_marker("timeout") is None  # the suite's limit applies
