"""The citizen socket protocol against the real Redis channel layer: hello, echo and reply, resume
without gaps or duplicates, client_msg_id de-duplication, bad input, rate limits, tokens."""

import uuid

import pytest
from channels.db import database_sync_to_async

from chat.consumers import CLOSE_INVALID_TOKEN
from chat.models import Conversation, Message
from tests.chat.conftest import citizen, frames_until, message_frames, nothing_more

pytestmark = pytest.mark.django_db(transaction=True)


def _messages(conversation_id):
    return list(Message.objects.unscoped().filter(conversation_id=conversation_id).order_by("seq"))


async def test_hello_then_echo_and_greeting_menu(agency_a):
    communicator, hello = await citizen("alpha")
    assert hello["type"] == "hello" and hello["seq"] == 0 and hello["state"] == "bot"
    assert len(hello["token"]) >= 40 and uuid.UUID(hello["conversation_id"])
    await communicator.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "c-1"})
    echo, reply = await message_frames(communicator, 2)
    assert echo == {**echo, "seq": 1, "role": "citizen", "text": "Hi", "client_msg_id": "c-1"}
    assert reply["seq"] == 2 and reply["role"] == "bot" and reply["reply_to"] == 1
    assert "Alpha City" in reply["text"]
    labels = {action["value"] for action in reply["actions"]}
    assert {"answer", "handoff", "feedback"} <= labels
    await communicator.disconnect()

    conversation = await database_sync_to_async(Conversation.objects.unscoped().get)(pk=hello["conversation_id"])
    assert conversation.token_hash != hello["token"] and hello["token"] not in conversation.token_hash
    stored = await database_sync_to_async(_messages)(conversation.pk)
    assert [(m.seq, m.role) for m in stored] == [(1, "citizen"), (2, "bot")]
    assert stored[1].payload["decision"]["intent"] == "greeting"
    assert stored[1].payload["decision"]["detector"] in {"keywords", "similarity"}


async def test_duplicate_client_msg_id_is_ignored(agency_a):
    communicator, hello = await citizen("alpha")
    frame = {"type": "message", "text": "Hello", "client_msg_id": "same-id"}
    await communicator.send_json_to(frame)
    await message_frames(communicator, 2)
    await communicator.send_json_to(frame)
    await nothing_more(communicator, wait=1.0)
    await communicator.disconnect()
    stored = await database_sync_to_async(_messages)(hello["conversation_id"])
    assert len(stored) == 2


async def test_resume_replays_exactly_what_was_missed(agency_a):
    first, hello = await citizen("alpha")
    await first.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "a"})
    await message_frames(first, 2)
    await first.disconnect()

    # While the citizen is away, more happens (another tab).
    other, _ = await citizen("alpha", token=hello["token"], after_seq=2)
    await other.send_json_to({"type": "message", "text": "menu", "client_msg_id": "b"})
    await message_frames(other, 2)
    await other.send_json_to({"type": "message", "text": "hola", "client_msg_id": "c"})
    await message_frames(other, 2)
    await other.disconnect()

    again, hello_again = await citizen("alpha", token=hello["token"], after_seq=2)
    assert hello_again["conversation_id"] == hello["conversation_id"] and hello_again["seq"] == 6
    replay = await message_frames(again, 4)
    assert [frame["seq"] for frame in replay] == [3, 4, 5, 6]
    await again.send_json_to({"type": "message", "text": "menú", "client_msg_id": "d"})
    live = await message_frames(again, 2)
    assert [frame["seq"] for frame in live] == [7, 8]
    await nothing_more(again)
    await again.disconnect()


async def test_resume_from_zero_replays_everything_in_order(agency_a):
    communicator, hello = await citizen("alpha")
    for index in range(3):
        await communicator.send_json_to({"type": "message", "text": "hi", "client_msg_id": f"m{index}"})
        await message_frames(communicator, 2)
    await communicator.disconnect()
    again, _ = await citizen("alpha", token=hello["token"])
    replay = await message_frames(again, 6)
    assert [frame["seq"] for frame in replay] == [1, 2, 3, 4, 5, 6]
    await nothing_more(again)
    await again.disconnect()


async def test_two_tabs_see_each_message_once(agency_a):
    tab1, hello = await citizen("alpha")
    tab2, _ = await citizen("alpha", token=hello["token"], after_seq=0)
    await tab1.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "x"})
    for tab in (tab1, tab2):
        frames = await message_frames(tab, 2)
        assert [frame["seq"] for frame in frames] == [1, 2]
        await nothing_more(tab, wait=0.3)
    await tab1.disconnect()
    await tab2.disconnect()


async def test_the_sending_socket_gets_no_channel_layer_copy(agency_a, monkeypatch):
    """The sender shows its own message and the bot's reply directly; only the other tab needs the copies."""
    from chat.consumers import CitizenChatConsumer

    copies = []
    original = CitizenChatConsumer.chat_message

    async def counting(self, event):
        copies.append((self.channel_name, event["frame"]["seq"]))
        await original(self, event)

    monkeypatch.setattr(CitizenChatConsumer, "chat_message", counting)
    tab1, hello = await citizen("alpha")
    tab2, _ = await citizen("alpha", token=hello["token"], after_seq=0)
    await tab1.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "x"})
    for tab in (tab1, tab2):
        assert [frame["seq"] for frame in await message_frames(tab, 2)] == [1, 2]
    await nothing_more(tab1, wait=0.3)
    assert len(copies) == 2 and len({channel for channel, _seq in copies}) == 1  # both went to tab2 only
    await tab1.disconnect()
    await tab2.disconnect()


async def test_bad_frames_get_errors_and_the_socket_stays(agency_a):
    communicator, _hello = await citizen("alpha")
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_json"
    await communicator.send_to(text_data='{"type": "message", "text": "' + "x" * 20000 + '"}')
    assert (await communicator.receive_json_from(timeout=10))["code"] == "too_large"
    await communicator.send_json_to({"type": "launch"})
    assert (await communicator.receive_json_from(timeout=10))["code"] == "unknown_type"
    await communicator.send_json_to({"type": "message", "text": 42})
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_message"
    await communicator.send_json_to({"type": "message", "text": "   "})
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_message"
    await communicator.send_json_to({"type": "message", "text": "y" * 2500})
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_message"
    await communicator.send_json_to({"type": "message", "text": "hi", "client_msg_id": "z" * 65})
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_message"
    # still connected and working
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=10))["type"] == "pong"
    await communicator.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "ok"})
    frames = await message_frames(communicator, 2)
    assert frames[0]["seq"] == 1
    await communicator.disconnect()


async def test_flood_is_rate_limited(agency_a):
    communicator, hello = await citizen("alpha")
    for index in range(40):
        await communicator.send_json_to({"type": "message", "text": f"flood {index}", "client_msg_id": f"f{index}"})
    codes = []
    while not await communicator.receive_nothing(timeout=2):
        frame = await communicator.receive_json_from(timeout=10)
        if frame["type"] == "error":
            codes.append(frame["code"])
    assert "rate_limited" in codes
    await communicator.disconnect()
    stored = await database_sync_to_async(_messages)(hello["conversation_id"])
    citizen_messages = [m for m in stored if m.role == "citizen"]
    assert 1 <= len(citizen_messages) <= 24  # the burst, not the flood


async def test_forged_token_is_closed_with_a_clear_code(agency_a):
    from channels.testing import WebsocketCommunicator

    from tests.chat.conftest import chat_application

    communicator = WebsocketCommunicator(chat_application(), "/ws/a/alpha/chat/?token=" + "A" * 43)
    connected, _ = await communicator.connect()
    assert connected
    error = await communicator.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["code"] == "invalid_token"
    closed = await communicator.receive_output(timeout=10)
    assert closed == {"type": "websocket.close", "code": CLOSE_INVALID_TOKEN}


async def test_token_of_agency_a_is_refused_on_agency_b(agency_a, agency_b):
    from channels.testing import WebsocketCommunicator

    from tests.chat.conftest import chat_application

    communicator, hello = await citizen("alpha")
    await communicator.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "1"})
    await message_frames(communicator, 2)
    await communicator.disconnect()

    foreign = WebsocketCommunicator(chat_application(), f"/ws/a/beta/chat/?token={hello['token']}&after_seq=0")
    await foreign.connect()
    error = await foreign.receive_json_from(timeout=10)
    assert error["code"] == "invalid_token" and "Hi" not in str(error)
    assert await foreign.receive_output(timeout=10) == {"type": "websocket.close", "code": CLOSE_INVALID_TOKEN}
    # nothing of A leaked or changed
    stored = await database_sync_to_async(_messages)(hello["conversation_id"])
    assert len(stored) == 2
    count_b = await database_sync_to_async(Conversation.objects.unscoped().filter(agency=agency_b).count)()
    assert count_b == 0


async def test_unknown_agency_is_closed(db):
    from channels.testing import WebsocketCommunicator

    from tenants.consumers import CLOSE_UNKNOWN_AGENCY
    from tests.chat.conftest import chat_application

    communicator = WebsocketCommunicator(chat_application(), "/ws/a/nowhere/chat/")
    connected, code = await communicator.connect()
    assert not connected and code == CLOSE_UNKNOWN_AGENCY


async def test_html_in_a_message_is_stored_and_sent_as_plain_text(agency_a):
    communicator, _hello = await citizen("alpha")
    text = "<script>alert('x')</script> <b>bold</b>"
    await communicator.send_json_to({"type": "message", "text": text, "client_msg_id": "h"})
    echo = (await frames_until(communicator, lambda f: f.get("type") == "message"))[-1]
    assert echo["text"] == text  # data, not markup: clients render it with textContent
    await communicator.disconnect()


async def test_typing_frames_are_accepted(agency_a):
    communicator, _hello = await citizen("alpha")
    await communicator.send_json_to({"type": "typing", "active": True})
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=10))["type"] == "pong"
    await communicator.disconnect()


async def test_a_slow_turn_shows_typing_once_on_every_tab(agency_a, monkeypatch):
    """The asking socket is told directly, other tabs through the channel layer: each sees it once."""
    from chat.consumers import citizen as citizen_consumer

    monkeypatch.setattr(citizen_consumer, "TYPING_DELAY_SECONDS", 0)  # every turn counts as slow
    tab1, hello = await citizen("alpha")
    tab2, _ = await citizen("alpha", token=hello["token"], after_seq=0)
    await tab1.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "t"})
    for tab in (tab1, tab2):
        frames = await frames_until(
            tab, lambda f: f.get("type") == "message" and f["role"] == "bot", skip=("delta", "state")
        )
        while not await tab.receive_nothing(timeout=0.5):
            frames.append(await tab.receive_json_from(timeout=1))
        assert [frame["seq"] for frame in frames if frame["type"] == "message"] == [1, 2]
        typing = [frame for frame in frames if frame["type"] == "typing"]
        assert [(frame["role"], frame["active"]) for frame in typing] == [("bot", True), ("bot", False)], frames
    await tab1.disconnect()
    await tab2.disconnect()


async def test_ping_replays_anything_the_channel_layer_dropped(agency_a):
    """A message stored without its broadcast (a dropped event) reaches the socket at the next ping."""
    from chat import services
    from tenants.context import agency_context

    communicator, hello = await citizen("alpha")

    def store_silently():
        # Stored exactly as the service stores it, minus the broadcast: as if the event were lost.
        from django.db import transaction

        with agency_context(agency_a), transaction.atomic():
            seq, _state, _skill = services._allocate_seq(agency=agency_a, conversation_id=hello["conversation_id"])
            Message.objects.create(
                agency=agency_a, conversation_id=hello["conversation_id"], seq=seq, role="citizen", text="hi"
            )

    await database_sync_to_async(store_silently)()
    await nothing_more(communicator, wait=0.3)
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=10))["type"] == "pong"
    replayed = await message_frames(communicator, 1)
    assert replayed[0]["seq"] == 1 and replayed[0]["text"] == "hi"
    await communicator.disconnect()


BAD_TEXT_FRAMES = [
    '{"type": "message", "text": "a\\u0000b", "client_msg_id": "n1"}',
    '{"type": "message", "text": "\\ud800", "client_msg_id": "n2"}',
    '{"type": "message", "text": "hi", "client_msg_id": "\\u0000"}',
    '{"type": "message", "text": "hi", "client_msg_id": "\\udc00"}',
    '{"type": "action", "value": "\\u0000"}',
    '{"type": "action", "value": "\\ud83d"}',
    '{"type": "message", "text": "hi", "extra": ' + "[" * 40 + "]" * 40 + "}",
    "[" * 100_00 + "]" * 100_00,
]


async def test_nul_surrogates_and_deep_json_get_error_frames_and_the_socket_stays(agency_a):
    communicator, _hello = await citizen("alpha")
    for frame in BAD_TEXT_FRAMES:
        await communicator.send_to(text_data=frame[:16000])
        error = await communicator.receive_json_from(timeout=10)
        assert error["type"] == "error" and error["code"] in {"bad_character", "too_deep", "bad_json"}, frame[:80]
    await communicator.send_to(text_data='{"type": "message", "text": "raw \ud800 surrogate"}')
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_character"
    await communicator.send_to(text_data='{"type": "message", "text": "raw \x00 nul"}')
    assert (await communicator.receive_json_from(timeout=10))["code"] == "bad_character"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=10))["type"] == "pong"
    await communicator.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "ok"})
    assert (await message_frames(communicator, 2))[0]["text"] == "Hi"
    await communicator.disconnect()
    stored = await database_sync_to_async(_messages)(_hello["conversation_id"])
    assert [m.text for m in stored][:1] == ["Hi"]


def _bucket_on_a_clock(monkeypatch):
    from chat import ratelimit
    from chat.consumers.citizen import MESSAGE_BURST, MESSAGE_RATE

    clock = [1000.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: clock[0])
    return ratelimit.TokenBucket(capacity=MESSAGE_BURST, rate=MESSAGE_RATE), clock


def test_a_person_tapping_buttons_quickly_is_never_held_back(monkeypatch):
    """Seen on `make run` (session 22): "Trop de messages" when a citizen tapped two menu buttons in a second after
    tapping through a report's buttons (8 at once, then one every 2 s). A person taps the next button once the reply
    shows: every 1.16 s at the fastest measured in Chromium. Here: two buttons a second for 12 s, then a long form
    tapped through every second (a double tap sends once: the widget takes a button once)."""
    bucket, clock = _bucket_on_a_clock(monkeypatch)
    for tap in range(25):
        clock[0] += 0.5
        assert bucket.take(), f"rush {tap}"
    for tap in range(100):
        clock[0] += 1.0
        assert bucket.take(), tap


def test_a_script_flooding_the_socket_is_still_held_back(monkeypatch):
    bucket, clock = _bucket_on_a_clock(monkeypatch)
    taken = 0
    for _ in range(200):  # 200 messages in 2 s
        clock[0] += 0.01
        taken += bucket.take()
    assert taken <= 25
    clock[0] += 10  # then ten seconds later: ten more, not the burst again
    assert sum(bucket.take() for _ in range(50)) <= 11
