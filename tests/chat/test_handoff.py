"""Human handoff over both sockets: queue, claim, reply, internal note, hand back, close; the bot is
silent while an agent owns the conversation; leave-a-message when nobody is online.

The handoff services alone: test_handoff_services.py; who may use the inbox: test_inbox_access.py."""

import pytest
from auditlog.models import LogEntry
from channels.db import database_sync_to_async

from chat.models import Note
from tests.chat.conftest import citizen, frames_until, message_frames, nothing_more, staff_socket
from tests.chat.handoff_support import ask_for_a_person, conversation_of, roles_of

pytestmark = pytest.mark.django_db(transaction=True)


async def test_full_handoff_round_trip(agency_a, staff_a):
    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    assert connected
    hello = await console.receive_json_from(timeout=10)
    assert hello["type"] == "hello" and hello["conversations"] == []
    assert hello["agent"]["name"] == "agent of alpha"

    chat, chat_hello = await citizen("alpha")
    conversation_id = chat_hello["conversation_id"]
    _echo, offer = await ask_for_a_person(chat)
    assert "number 1 in the queue" in offer["text"]
    queued = await frames_until(
        console, lambda f: f["type"] == "conversation" and f["conversation"]["state"] == "queued"
    )
    assert queued[-1]["conversation"]["id"] == conversation_id

    await console.send_json_to({"type": "claim", "conversation_id": conversation_id})
    transcript = await frames_until(console, lambda f: f["type"] == "transcript")
    assert [m["role"] for m in transcript[-1]["messages"]] == ["citizen", "bot", "system"]
    joined = await frames_until(chat, lambda f: f["type"] == "message")
    assert joined[-1]["role"] == "system" and "agent of alpha joined" in joined[-1]["text"]

    await console.send_json_to(
        {"type": "reply", "conversation_id": conversation_id, "text": "Hello, I'm here to help.", "client_msg_id": "a1"}
    )
    reply = await frames_until(chat, lambda f: f["type"] == "message")
    assert reply[-1]["role"] == "agent" and reply[-1]["author"] == "agent of alpha"

    # The citizen writes: the agent sees it, the bot stays silent.
    await chat.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "c2"})
    echo = await message_frames(chat, 1)
    assert echo[0]["role"] == "citizen"
    seen = await frames_until(
        console, lambda f: f["type"] == "message" and f.get("role") == "citizen" and f["text"] == "Hi"
    )
    assert seen[-1]["conversation_id"] == conversation_id
    await nothing_more(chat, wait=1.0)

    # An internal note never reaches the citizen.
    await console.send_json_to({"type": "note", "conversation_id": conversation_id, "text": "Caller sounds upset"})
    note = await frames_until(console, lambda f: f["type"] == "note")
    assert note[-1]["text"] == "Caller sounds upset"
    await nothing_more(chat, wait=0.5, types=("message", "note"))

    # Hand back: the bot answers again.
    await console.send_json_to({"type": "handback", "conversation_id": conversation_id})
    back = await frames_until(chat, lambda f: f["type"] == "message")
    assert back[-1]["role"] == "system" and "virtual assistant" in back[-1]["text"]
    await chat.send_json_to({"type": "message", "text": "menu", "client_msg_id": "c3"})
    frames = await message_frames(chat, 2)
    assert [f["role"] for f in frames] == ["citizen", "bot"]

    # Close: the citizen is asked for a rating.
    await console.send_json_to({"type": "close", "conversation_id": conversation_id})
    closing = await message_frames(chat, 2)
    assert "closed the conversation" in closing[0]["text"]
    assert [a["value"] for a in closing[1]["actions"]][:5] == [f"feedback:{n}" for n in range(1, 6)]
    await chat.send_json_to({"type": "message", "text": "5 ★", "action": "feedback:5", "client_msg_id": "c4"})
    await message_frames(chat, 2)

    await chat.disconnect()
    await console.disconnect()
    conversation = await database_sync_to_async(conversation_of)(conversation_id)
    assert conversation.state == "closed" and conversation.outcome == "agent" and conversation.csat_score == 5
    assert conversation.handed_off
    notes = await database_sync_to_async(lambda: list(Note.objects.unscoped().values_list("text", flat=True)))()
    assert notes == ["Caller sounds upset"]
    roles = await database_sync_to_async(roles_of)(conversation_id)
    # never a bot message between the claim and the handback
    claim, handback = roles.index("system"), roles.index("system", roles.index("agent"))
    assert "bot" not in roles[claim:handback]
    access = await database_sync_to_async(
        lambda: LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=conversation_id).count()
    )()
    assert access >= 1


async def test_no_agent_online_leave_a_message(agency_a, staff_a):
    agency_a.office_hours = "Monday to Friday, 8:00-17:00"
    await database_sync_to_async(agency_a.save)()
    chat, hello = await citizen("alpha")
    _echo, offer = await ask_for_a_person(chat)
    assert "Nobody is available right now" in offer["text"] and "Monday to Friday, 8:00-17:00" in offer["text"]
    await chat.send_json_to({"type": "message", "text": "Please call me back about my permit.", "client_msg_id": "m"})
    await message_frames(chat, 1)
    await nothing_more(chat, wait=0.8)
    await chat.disconnect()

    conversation = await database_sync_to_async(conversation_of)(hello["conversation_id"])
    assert conversation.state == "queued" and conversation.outcome == "message_left"
    # The next agent to come online finds it in the queue.
    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    assert connected
    inbox = await console.receive_json_from(timeout=10)
    assert [c["id"] for c in inbox["conversations"]] == [hello["conversation_id"]]
    assert inbox["conversations"][0]["last_text"] == "Please call me back about my permit."
    await console.disconnect()


async def test_inbox_previews_the_citizens_last_message_not_the_bots(agency_a, staff_a):
    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    assert connected
    await console.receive_json_from(timeout=10)  # hello, with an empty queue
    chat, _hello = await citizen("alpha")
    await chat.send_json_to({"type": "message", "text": "Is my street on the snow route?", "client_msg_id": "q"})
    await message_frames(chat, 2)
    _echo, offer = await ask_for_a_person(chat)
    assert offer["role"] == "bot"  # the bot spoke last ("you are number 1 in the queue")
    queued = await frames_until(console, lambda f: f.get("type") == "conversation", timeout=10)
    assert queued[-1]["conversation"]["last_text"] == "I want to talk to a person"
    await console.disconnect()
    await chat.disconnect()

    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    inbox = await console.receive_json_from(timeout=10)
    assert [c["last_text"] for c in inbox["conversations"]] == ["I want to talk to a person"]
    await console.disconnect()


async def test_citizen_can_go_back_to_the_bot_from_the_queue(agency_a):
    chat, hello = await citizen("alpha")
    _echo, offer = await ask_for_a_person(chat)
    back = next(action for action in offer["actions"] if action["value"] == "cancel_handoff")
    await chat.send_json_to(
        {"type": "message", "text": back["label"], "action": "cancel_handoff", "client_msg_id": "b"}
    )
    frames = await message_frames(chat, 2)
    assert frames[1]["role"] == "system"
    await chat.disconnect()
    conversation = await database_sync_to_async(conversation_of)(hello["conversation_id"])
    assert conversation.state == "bot"
