"""Across a real server restart (uvicorn serving the real ASGI app): the citizen reconnects with its
token and after_seq, resends what was not confirmed, and ends up with every message exactly once."""

import asyncio
import json

import pytest
import websockets

from chat.models import Message
from tests.conftest import LiveASGIServer

pytestmark = pytest.mark.django_db(transaction=True)


async def _messages(ws, count, timeout=15):
    found = []
    async with asyncio.timeout(timeout):
        while len(found) < count:
            frame = json.loads(await ws.recv())
            if frame["type"] == "message":
                found.append(frame)
    return found


def test_nothing_lost_or_duplicated_across_a_server_restart(agency_a):
    first = LiveASGIServer()
    first.start()
    second = None
    try:
        seen: list[dict] = []

        async def before():
            async with websockets.connect(f"{first.ws_url}/ws/a/alpha/chat/") as ws:
                hello = json.loads(await ws.recv())
                await ws.send(json.dumps({"type": "message", "text": "Hi", "client_msg_id": "one"}))
                seen.extend(await _messages(ws, 2))
                # Sent, then the server goes away before the client sees the echo.
                await ws.send(json.dumps({"type": "message", "text": "menu", "client_msg_id": "two"}))
                await asyncio.sleep(0.05)
                return hello

        hello = asyncio.run(before())
        first.stop()
        second = LiveASGIServer()
        second.start()

        async def after():
            last = max(frame["seq"] for frame in seen)
            url = f"{second.ws_url}/ws/a/alpha/chat/?token={hello['token']}&after_seq={last}"
            async with websockets.connect(url) as ws:
                again = json.loads(await ws.recv())
                assert again["conversation_id"] == hello["conversation_id"]
                # The widget resends every message it has not seen echoed.
                await ws.send(json.dumps({"type": "message", "text": "menu", "client_msg_id": "two"}))
                seen.extend(await _messages(ws, 2))
                await ws.send(json.dumps({"type": "message", "text": "thanks", "client_msg_id": "three"}))
                seen.extend(await _messages(ws, 2))
                await asyncio.sleep(0.5)

        asyncio.run(after())
    finally:
        (second or first).stop()

    seqs = [frame["seq"] for frame in seen]
    assert seqs == list(range(1, len(seqs) + 1)), seqs
    assert [f["client_msg_id"] for f in seen if f["role"] == "citizen"] == ["one", "two", "three"]
    stored = list(Message.objects.unscoped().filter(conversation_id=hello["conversation_id"]).order_by("seq"))
    assert [m.seq for m in stored] == seqs
    assert [m.role for m in stored] == ["citizen", "bot"] * 3


def test_an_unanswered_question_is_answered_when_the_citizen_returns(live_asgi, agency_a):
    """The server died between storing the question and answering it: the next connection answers."""
    from datetime import timedelta

    from django.utils import timezone

    from chat import services
    from tenants.context import agency_context

    with agency_context(agency_a):
        conversation, token = services.conversation_start(agency=agency_a, channel="widget")
        services.message_receive(agency=agency_a, conversation_id=conversation.pk, text="Hi", client_msg_id="q")
        Message.objects.unscoped().filter(conversation=conversation).update(
            created_at=timezone.now() - timedelta(minutes=1)
        )

    async def come_back():
        url = f"{live_asgi.ws_url}/ws/a/alpha/chat/?token={token}&after_seq=1"
        async with websockets.connect(url) as ws:
            json.loads(await ws.recv())
            return await _messages(ws, 1)

    reply = asyncio.run(come_back())[0]
    assert reply["role"] == "bot" and reply["reply_to"] == 1
    assert Message.objects.unscoped().filter(conversation=conversation, role="bot").count() == 1
