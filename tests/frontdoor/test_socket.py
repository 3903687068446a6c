"""The portal-level chat socket /ws/chat/: the agency protocol, routed to the agency that answers."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from chat.models import Conversation, Message
from frontdoor.models import RoutedQuestion
from portal.routing import websocket_urlpatterns
from tests.chat.conftest import message_frames

pytestmark = pytest.mark.django_db(transaction=True)


async def portal():
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/chat/?lang=en")
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
    assert {a["value"] for a in choose["actions"]} == {"portal_choose:alpha", "portal_choose:beta"}
    await communicator.send_json_to(
        {"type": "message", "text": "Beta State Revenue", "action": "portal_choose:beta", "client_msg_id": "p"}
    )
    label, answer = await message_frames(communicator, 2, timeout=30)
    assert label["text"] == "Beta State Revenue" and label["seq"] == 5
    assert answer["seq"] == 6 and answer["agency"]["slug"] == "beta" and answer["citations"]
    assert await database_sync_to_async(_records)() == [("beta", "choose", "chat")]
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
