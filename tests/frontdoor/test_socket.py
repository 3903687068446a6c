"""The portal-level chat socket /ws/chat/: the agency protocol, routed to the agency that answers."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from chat.models import Conversation, Message
from frontdoor.models import RoutedQuestion
from portal.routing import websocket_urlpatterns
from tests.chat.conftest import message_frames, nothing_more

pytestmark = pytest.mark.django_db(transaction=True)


async def portal(query: str = "lang=en"):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/chat/?" + query)
    connected, _code = await communicator.connect(timeout=10)
    assert connected
    hello = await communicator.receive_json_from(timeout=10)
    return communicator, hello


def _records():
    return list(
        RoutedQuestion.objects.unscoped().order_by("pk").values_list("agency__slug", "decision", "channel")
    )  # unscoped: test


def _transcript(conversation_id):
    return list(
        Message.objects.unscoped().filter(conversation_id=conversation_id).order_by("seq").values_list("role", "text")
    )  # unscoped: test


async def test_a_question_is_answered_by_the_routed_agency_in_its_own_conversation(front):
    communicator, hello = await portal()
    assert hello["type"] == "hello" and hello["seq"] == 0 and hello["agency"] is None
    await communicator.send_json_to({"type": "message", "text": "When is my trash collected?", "client_msg_id": "q1"})
    echo, answer = await message_frames(communicator, 2, timeout=30)
    assert echo["seq"] == 1 and echo["role"] == "citizen" and echo["client_msg_id"] == "q1"
    assert answer["seq"] == 2 and answer["role"] == "bot" and answer["reply_to"] == 1
    assert answer["agency"]["slug"] == "alpha" and answer["agency"]["name"] == "Alpha City"
    assert answer["agency"]["chat_url"].startswith("/a/alpha/chat/#resume=")
    assert answer["citations"] and answer["citations"][0]["title"] == "Trash and streets FAQ"
    assert await database_sync_to_async(_records)() == [("alpha", "answer", "chat")]
    conversation = await database_sync_to_async(Conversation.objects.unscoped().get)()  # unscoped: test
    assert conversation.agency_id == front[0].pk
    roles = [role for role, _text in await database_sync_to_async(_transcript)(conversation.pk)]
    assert roles[:2] == ["citizen", "bot"]
    # A service of the agency that fits comes with its link.
    await communicator.send_json_to(
        {"type": "message", "text": "How do I get rid of a mattress or couch?", "client_msg_id": "q2"}
    )
    frames = await message_frames(communicator, 3, timeout=30)
    assert [f["seq"] for f in frames] == [3, 4, 5]
    assert "https://alpha.example/bulk" in frames[2]["text"]
    await communicator.disconnect()


async def test_none_and_choose_and_the_choice(front, django_db_blocker):
    from tests.frontdoor.conftest import TRASH, _publish

    await database_sync_to_async(_publish)(front[1], title="Trash at state offices", entries=TRASH)
    communicator, _hello = await portal()
    await communicator.send_json_to({"type": "message", "text": "What is the capital of France?", "client_msg_id": "n"})
    _echo, none = await message_frames(communicator, 2, timeout=30)
    assert none["agency"] is None and "/services/" in none["text"] and not none["actions"]
    await communicator.send_json_to({"type": "message", "text": "When is my trash collected?", "client_msg_id": "c"})
    _echo, choose = await message_frames(communicator, 2, timeout=30)
    assert {a["value"] for a in choose["actions"]} == {"portal_choose:alpha:1", "portal_choose:beta:1"}
    await communicator.send_json_to(
        {"type": "message", "text": "Beta State Revenue", "action": "portal_choose:beta:1", "client_msg_id": "p"}
    )
    label, answer = await message_frames(communicator, 2, timeout=30)
    assert label["text"] == "Beta State Revenue" and label["seq"] == 5
    assert answer["seq"] == 6 and answer["agency"]["slug"] == "beta" and answer["citations"]
    assert await database_sync_to_async(_records)() == [("beta", "choose", "chat")]
    await communicator.disconnect()


async def test_an_older_choice_answers_its_own_question(front, django_db_blocker):
    """Two questions each wait for a choice: the first prompt's button answers the first question."""
    from tests.frontdoor.conftest import TRASH, _publish

    await database_sync_to_async(_publish)(front[1], title="Trash at state offices", entries=TRASH)
    communicator, _hello = await portal()
    first, second = "When is my trash collected?", "When is trash collected on holidays?"
    await communicator.send_json_to({"type": "message", "text": first, "client_msg_id": "c1"})
    _echo, one = await message_frames(communicator, 2, timeout=30)
    await communicator.send_json_to({"type": "message", "text": second, "client_msg_id": "c2"})
    _echo, two = await message_frames(communicator, 2, timeout=30)
    assert {a["value"] for a in one["actions"]} == {"portal_choose:alpha:1", "portal_choose:beta:1"}
    assert {a["value"] for a in two["actions"]} == {"portal_choose:alpha:2", "portal_choose:beta:2"}
    await communicator.send_json_to(
        {"type": "message", "text": "Beta State Revenue", "action": "portal_choose:beta:1", "client_msg_id": "p1"}
    )
    _label, answer = await message_frames(communicator, 2, timeout=30)
    assert answer["agency"]["slug"] == "beta"
    conversation = await database_sync_to_async(Conversation.objects.unscoped().get)()  # unscoped: test
    assert (await database_sync_to_async(_transcript)(conversation.pk))[0] == ("citizen", first)
    # That prompt is answered; pressing it again is refused with a clear error, the second still waits.
    await communicator.send_json_to(
        {"type": "message", "text": "Alpha City", "action": "portal_choose:alpha:1", "client_msg_id": "p2"}
    )
    error = await communicator.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["code"] == "bad_message"
    await communicator.send_json_to(
        {"type": "message", "text": "Alpha City", "action": "portal_choose:alpha:2", "client_msg_id": "p3"}
    )
    _label, answer = await message_frames(communicator, 2, timeout=30)
    assert answer["agency"]["slug"] == "alpha"
    await communicator.disconnect()


async def test_bad_frames_get_errors(front):
    communicator, _hello = await portal()
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from(timeout=5))["code"] == "bad_json"
    await communicator.send_json_to({"type": "message", "text": "x" * 10_000})
    assert (await communicator.receive_json_from(timeout=5))["code"] in {"bad_message", "too_large"}
    await communicator.send_json_to({"type": "message", "text": "   "})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "bad_message"
    await communicator.send_json_to({"type": "nope"})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "unknown_type"
    await communicator.disconnect()


async def test_a_reload_resumes_the_agency_conversation_with_its_transcript(front):
    communicator, _hello = await portal()
    await communicator.send_json_to({"type": "message", "text": "When is my trash collected?", "client_msg_id": "q1"})
    _echo, answer = await message_frames(communicator, 2, timeout=30)
    token = answer["agency"]["token"]
    assert answer["conversation_seq"] == 2 and answer["agency"]["chat_url"].endswith("#resume=" + token)
    await communicator.disconnect()

    # A reload: the page knows the agency and the token, nothing shown yet.
    again, hello = await portal(f"lang=en&agency=alpha&token={token}")
    assert hello["agency"]["slug"] == "alpha" and hello["seq"] == 2 and hello["conversation_id"]
    replay = await message_frames(again, 2, timeout=10)
    assert [(f["seq"], f["role"], f["agency"]["slug"]) for f in replay] == [
        (1, "citizen", "alpha"),
        (2, "bot", "alpha"),
    ]
    assert replay[0]["text"] == "When is my trash collected?" and replay[1]["text"] == answer["text"]
    await nothing_more(again)
    # It goes on in the same conversation: the next answer is numbered after the replay.
    await again.send_json_to({"type": "message", "text": "When is my trash collected?", "client_msg_id": "q2"})
    frames = await message_frames(again, 2, timeout=30)
    assert [(f["seq"], f["conversation_seq"]) for f in frames] == [(3, 3), (4, 4)]
    await again.disconnect()
    assert await database_sync_to_async(Conversation.objects.unscoped().count)() == 1  # unscoped: test

    # A dropped connection: only what came after the last message shown.
    third, hello = await portal(f"lang=en&agency=alpha&token={token}&after_seq=3")
    assert hello["seq"] == 4
    (only,) = await message_frames(third, 1, timeout=10)
    assert only["seq"] == 4 and only["role"] == "bot"
    await nothing_more(third)
    await third.disconnect()


async def test_a_token_resumes_nothing_with_another_agency_or_forged(front):
    communicator, _hello = await portal()
    await communicator.send_json_to({"type": "message", "text": "When is my trash collected?", "client_msg_id": "q1"})
    _echo, answer = await message_frames(communicator, 2, timeout=30)
    token = answer["agency"]["token"]
    await communicator.disconnect()
    for query in (f"agency=beta&token={token}", "agency=alpha&token=" + "x" * 43, f"agency=nowhere&token={token}"):
        other, hello = await portal(query)
        assert hello["agency"] is None and hello["conversation_id"] is None and hello["seq"] == 0
        error = await other.receive_json_from(timeout=5)
        assert error["type"] == "error" and error["code"] == "invalid_token"
        await nothing_more(other)  # nothing of alpha's conversation
        # The socket stays a front door: a new question is routed as usual.
        await other.send_json_to({"type": "message", "text": "When is my trash collected?", "client_msg_id": "n"})
        echo, reply = await message_frames(other, 2, timeout=30)
        assert echo["seq"] == 1 and reply["agency"]["slug"] == "alpha" and reply["agency"]["token"] != token
        await other.disconnect()


async def test_a_topic_no_agency_here_handles_names_who_does(front):
    """A passport at the portal socket: no agency here, and who does, its address last so the page links it whole
    (frontdoor.js links an address up to the next space: "(https://travel.state.gov/)." linked the brackets too)."""
    communicator, _hello = await portal("lang=ko")
    await communicator.send_json_to({"type": "message", "text": "여권 신청은 어떻게 하나요?", "client_msg_id": "p1"})
    _echo, reply = await message_frames(communicator, 2, timeout=30)
    assert reply["agency"] is None and not reply["actions"]
    assert "미국 국무부" in reply["text"] and reply["text"].endswith("https://travel.state.gov/"), reply["text"]
    assert await database_sync_to_async(_records)() == []
    await communicator.disconnect()


async def test_danger_told_at_the_front_door_is_told_to_call_911_first(front):
    """core/danger.py: someone hurt, a fire, a break-in: the notice before the routing's own message."""
    communicator, _hello = await portal("lang=fr")
    await communicator.send_json_to(
        {"type": "message", "text": "Il y a eu un accident, deux blessés sur la route", "client_msg_id": "d1"}
    )
    echo, notice, *_rest = await message_frames(communicator, 3, timeout=30)
    assert echo["role"] == "citizen"
    assert notice["text"].startswith("Si quelqu'un est en danger ou blessé en ce moment, appelez le 911."), notice
    await communicator.disconnect()
