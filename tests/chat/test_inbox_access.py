"""Who may use the inbox socket: another agency's staff and roles without the inbox are closed out, agents
see only the queue and their own, bad characters keep the socket, and a member whose role ends is
disconnected."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from chat.models import Note
from tenants.consumers import CLOSE_UNKNOWN_AGENCY
from tests.chat.conftest import citizen, frames_until, message_frames, nothing_more, staff_socket
from tests.chat.handoff_support import ask_for_a_person, conversation_of, roles_of

pytestmark = pytest.mark.django_db(transaction=True)


async def test_inbox_of_another_agency_is_closed_and_its_conversations_unreachable(
    agency_a, agency_b, staff_a, staff_b
):
    chat, hello = await citizen("alpha")
    await ask_for_a_person(chat)
    conversation_id = hello["conversation_id"]

    for user in (staff_b["agent"], staff_b["admin"], staff_a["analyst"], staff_a["caseworker"]):
        _foreign, connected, code = await staff_socket("alpha", user)
        assert not connected and code == CLOSE_UNKNOWN_AGENCY

    _anonymous, connected, code = await staff_socket("alpha", None)
    assert not connected and code == CLOSE_UNKNOWN_AGENCY

    # B's agent on B's own inbox cannot open, claim, reply to or annotate A's conversation.
    console_b, connected, _ = await staff_socket("beta", staff_b["agent"])
    assert connected
    hello_b = await console_b.receive_json_from(timeout=10)
    assert hello_b["conversations"] == []
    for frame in (
        {"type": "open", "conversation_id": conversation_id},
        {"type": "claim", "conversation_id": conversation_id},
        {"type": "reply", "conversation_id": conversation_id, "text": "hijack"},
        {"type": "note", "conversation_id": conversation_id, "text": "hijack"},
        {"type": "close", "conversation_id": conversation_id},
        {"type": "open", "conversation_id": "not-a-uuid"},
    ):
        await console_b.send_json_to(frame)
        error = await console_b.receive_json_from(timeout=10)
        assert error["type"] == "error" and error["code"] in {"not_found", "invalid"}, error
    await nothing_more(console_b, wait=0.5, types=("conversation", "message", "transcript"))
    await console_b.disconnect()
    await chat.disconnect()

    conversation = await database_sync_to_async(conversation_of)(conversation_id)
    assert conversation.state == "queued" and conversation.assigned_agent is None
    notes = await database_sync_to_async(Note.objects.unscoped().count)()
    assert notes == 0
    assert await database_sync_to_async(roles_of)(conversation_id) == ["citizen", "bot"]


async def test_agents_see_only_the_queue_and_their_own(agency_a, staff_a):
    chat, hello = await citizen("alpha")
    await chat.send_json_to({"type": "message", "text": "Hi", "client_msg_id": "1"})
    await message_frames(chat, 2)
    conversation_id = hello["conversation_id"]

    agent, _connected, _ = await staff_socket("alpha", staff_a["agent"])
    await agent.receive_json_from(timeout=10)
    await agent.send_json_to({"type": "open", "conversation_id": conversation_id})
    assert (await agent.receive_json_from(timeout=10))["code"] == "not_found"  # a bot conversation, not theirs

    supervisor, _connected, _ = await staff_socket("alpha", staff_a["supervisor"])
    await supervisor.receive_json_from(timeout=10)
    await supervisor.send_json_to({"type": "open", "conversation_id": conversation_id})
    transcript = await frames_until(supervisor, lambda f: f["type"] == "transcript")
    assert transcript[-1]["messages"][0]["text"] == "Hi"
    for communicator in (agent, supervisor, chat):
        await communicator.disconnect()


async def test_nul_or_a_surrogate_in_an_inbox_reply_or_note_keeps_the_socket(agency_a, staff_a):
    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    assert connected
    await console.receive_json_from(timeout=10)
    chat, chat_hello = await citizen("alpha")
    conversation_id = chat_hello["conversation_id"]
    await ask_for_a_person(chat)
    await console.send_json_to({"type": "claim", "conversation_id": conversation_id})
    await frames_until(console, lambda f: f["type"] == "transcript")
    for kind, text in (("reply", "a\u0000b"), ("note", "\udfff"), ("reply", "\ud800x")):
        await console.send_to(
            text_data=f'{{"type": "{kind}", "conversation_id": "{conversation_id}", "text": "{text}"}}'
        )
        error = await frames_until(console, lambda f: f["type"] == "error")
        assert error[-1]["code"] == "bad_character"
    await console.send_json_to({"type": "reply", "conversation_id": conversation_id, "text": "Still here"})
    reply = await frames_until(chat, lambda f: f["type"] == "message" and f.get("role") == "agent")
    assert reply[-1]["text"] == "Still here"
    await console.disconnect()
    await chat.disconnect()


async def _closed(communicator, timeout=10.0) -> int | None:
    """The close code the socket gets within `timeout` (other frames skipped), or None."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            output = await asyncio.wait_for(communicator.output_queue.get(), remaining)
        except TimeoutError:
            return None
        if output["type"] == "websocket.close":
            return output["code"]
    return None


@pytest.mark.parametrize("change", ["removed", "analyst", "deactivated"])
async def test_a_member_whose_inbox_role_ends_is_disconnected(agency_a, staff_a, change):
    """Removing the membership, changing it to a role without the inbox, or deactivating the account
    closes that person's open inbox sockets (4404), so queued transcripts stop reaching them."""
    from tenants.models import Membership

    agent = staff_a["agent"]
    console, connected, _ = await staff_socket("alpha", agent)
    assert connected and (await console.receive_json_from(timeout=10))["type"] == "hello"
    colleague, _connected, _ = await staff_socket("alpha", staff_a["supervisor"])
    await colleague.receive_json_from(timeout=10)

    def change_membership():
        from tenants.context import agency_context

        with agency_context(agency_a):
            _change(Membership.objects.unscoped().get(user=agent, agency=agency_a))

    def _change(membership):
        if change == "removed":
            membership.delete()
        elif change == "analyst":
            membership.role = "analyst"
            membership.save()
        else:
            agent.is_active = False
            agent.save()

    await database_sync_to_async(change_membership)()
    assert await _closed(console) == CLOSE_UNKNOWN_AGENCY
    # a colleague's console is untouched, and a new conversation in the queue reaches only them
    chat, _hello = await citizen("alpha")
    await ask_for_a_person(chat)
    update = await frames_until(colleague, lambda f: f.get("type") == "conversation")
    assert update[-1]["conversation"]["state"] == "queued"
    await chat.disconnect()
    await colleague.disconnect()
