"""Human handoff over both sockets: queue, claim, reply, internal note, hand back, close; the bot is
silent while an agent owns the conversation; leave-a-message when nobody is online; isolation."""

import asyncio

import pytest
from auditlog.models import LogEntry
from channels.db import database_sync_to_async

from chat import services
from chat.engine.types import BotReply
from chat.models import Conversation, Message, Note
from tenants.consumers import CLOSE_UNKNOWN_AGENCY
from tests.chat.conftest import citizen, frames_until, message_frames, nothing_more, staff_socket

pytestmark = pytest.mark.django_db(transaction=True)


def _conversation(pk):
    return Conversation.objects.unscoped().select_related("assigned_agent").get(pk=pk)


def _roles(pk):
    return list(Message.objects.unscoped().filter(conversation_id=pk).order_by("seq").values_list("role", flat=True))


async def _ask_for_a_person(communicator):
    await communicator.send_json_to({"type": "message", "text": "I want to talk to a person", "client_msg_id": "h1"})
    return await message_frames(communicator, 2)


async def test_full_handoff_round_trip(agency_a, staff_a):
    console, connected, _ = await staff_socket("alpha", staff_a["agent"])
    assert connected
    hello = await console.receive_json_from(timeout=10)
    assert hello["type"] == "hello" and hello["conversations"] == []
    assert hello["agent"]["name"] == "agent of alpha"

    chat, chat_hello = await citizen("alpha")
    conversation_id = chat_hello["conversation_id"]
    _echo, offer = await _ask_for_a_person(chat)
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
    conversation = await database_sync_to_async(_conversation)(conversation_id)
    assert conversation.state == "closed" and conversation.outcome == "agent" and conversation.csat_score == 5
    assert conversation.handed_off
    notes = await database_sync_to_async(lambda: list(Note.objects.unscoped().values_list("text", flat=True)))()
    assert notes == ["Caller sounds upset"]
    roles = await database_sync_to_async(_roles)(conversation_id)
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
    _echo, offer = await _ask_for_a_person(chat)
    assert "Nobody is available right now" in offer["text"] and "Monday to Friday, 8:00-17:00" in offer["text"]
    await chat.send_json_to({"type": "message", "text": "Please call me back about my permit.", "client_msg_id": "m"})
    await message_frames(chat, 1)
    await nothing_more(chat, wait=0.8)
    await chat.disconnect()

    conversation = await database_sync_to_async(_conversation)(hello["conversation_id"])
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
    _echo, offer = await _ask_for_a_person(chat)
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
    _echo, offer = await _ask_for_a_person(chat)
    back = next(action for action in offer["actions"] if action["value"] == "cancel_handoff")
    await chat.send_json_to(
        {"type": "message", "text": back["label"], "action": "cancel_handoff", "client_msg_id": "b"}
    )
    frames = await message_frames(chat, 2)
    assert frames[1]["role"] == "system"
    await chat.disconnect()
    conversation = await database_sync_to_async(_conversation)(hello["conversation_id"])
    assert conversation.state == "bot"


@pytest.fixture
def scoped_a(agency_a):
    from tenants.context import agency_context

    with agency_context(agency_a):
        yield agency_a


def _waiting(conversation):
    """The citizen asked for a person: the conversation waits in the agents' queue."""
    Conversation.objects.unscoped().filter(pk=conversation.pk).update(state="queued", handed_off=True)


def test_bot_reply_is_refused_once_an_agent_owns_the_conversation(scoped_a, agency_a, staff_a):
    """The race: the bot was thinking when the agent claimed. Its reply is dropped."""
    conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
    received = services.message_receive(agency=agency_a, conversation_id=conversation.pk, text="help")
    _waiting(conversation)
    services.conversation_claim(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk)
    stored = services.bot_reply_post(
        agency=agency_a,
        conversation_id=conversation.pk,
        reply_to_seq=received.message.seq,
        reply=BotReply(text="late bot answer"),
    )
    assert stored is None
    assert not Message.objects.unscoped().filter(text="late bot answer").exists()


def test_one_reply_per_citizen_message(scoped_a, agency_a):
    conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
    received = services.message_receive(agency=agency_a, conversation_id=conversation.pk, text="help")
    first = services.bot_reply_post(
        agency=agency_a,
        conversation_id=conversation.pk,
        reply_to_seq=received.message.seq,
        reply=BotReply("a"),
    )
    second = services.bot_reply_post(
        agency=agency_a,
        conversation_id=conversation.pk,
        reply_to_seq=received.message.seq,
        reply=BotReply("b"),
    )
    assert first is not None and second is None


def test_only_the_assigned_agent_replies(scoped_a, agency_a, staff_a):
    from django.core.exceptions import ValidationError

    conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
    _waiting(conversation)
    services.conversation_claim(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk)
    with pytest.raises(ValidationError):
        services.message_post_agent(
            agency=agency_a, actor=staff_a["supervisor"], conversation_id=conversation.pk, text="me too"
        )
    with pytest.raises(ValidationError):
        services.conversation_claim(agency=agency_a, actor=staff_a["supervisor"], conversation_id=conversation.pk)


def test_audit_trail_copies_staff_lines_not_the_citizens_or_the_bots(scoped_a, agency_a, staff_a):
    """Agents' replies and system lines get an audit entry with the actor; a citizen's and the
    assistant's lines are the transcript itself (immutable rows), so nothing is copied for them."""
    from auditlog.context import set_actor

    conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
    received = services.message_receive(agency=agency_a, conversation_id=conversation.pk, text="help")
    bot = services.bot_reply_post(
        agency=agency_a,
        conversation_id=conversation.pk,
        reply_to_seq=received.message.seq,
        reply=BotReply("Here is how"),
    )
    _waiting(conversation)
    with set_actor(staff_a["agent"]):
        services.conversation_claim(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk)
        agent = services.message_post_agent(
            agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk, text="Hello, I am here"
        )
    assert not LogEntry.objects.get_for_object(received.message).exists()
    assert not LogEntry.objects.get_for_object(bot).exists()
    entry = LogEntry.objects.get_for_object(agent).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == staff_a["agent"]
    assert entry.additional_data == {"agency_id": agency_a.pk}
    assert "Hello, I am here" not in str(entry.changes)
    system_lines = Message.objects.for_agency(agency_a).filter(conversation=conversation, role=Message.Role.SYSTEM)
    assert system_lines.exists()
    assert all(LogEntry.objects.get_for_object(line).exists() for line in system_lines)
    # the transcript keeps every line in order
    assert _roles(conversation.pk)[:2] == ["citizen", "bot"] and "agent" in _roles(conversation.pk)


def test_staff_services_check_access_themselves(scoped_a, agency_a, agency_b, staff_a, staff_b):
    """Whoever calls them (a socket, a page, a future API or channel), the handoff services read the
    conversation through `access_conversation`: one the actor may not see is "does not exist", and
    nothing changes."""
    from django.contrib.auth import get_user_model

    from tenants.models import Membership

    colleague = get_user_model().objects.create_user(username="alpha-agent-2", password="x", is_staff=True)
    Membership.objects.create(agency=agency_a, user=colleague, role="agent", display_name="Second agent")
    with_bot, _token = services.conversation_start(agency=agency_a, channel="widget")
    services.message_receive(agency=agency_a, conversation_id=with_bot.pk, text="help")
    taken, _token = services.conversation_start(agency=agency_a, channel="widget")
    _waiting(taken)
    services.conversation_claim(agency=agency_a, actor=colleague, conversation_id=taken.pk)
    before = (_roles(with_bot.pk), _roles(taken.pk), Note.objects.unscoped().count())

    agent = staff_a["agent"]
    refused = [
        # an agent does not see conversations still with the bot, nor a colleague's
        lambda: services.conversation_claim(agency=agency_a, actor=agent, conversation_id=with_bot.pk),
        lambda: services.conversation_close(agency=agency_a, actor=agent, conversation_id=with_bot.pk),
        lambda: services.note_add(agency=agency_a, actor=agent, conversation_id=taken.pk, text="psst"),
        lambda: services.conversation_handback(agency=agency_a, actor=agent, conversation_id=taken.pk),
        lambda: services.message_post_agent(agency=agency_a, actor=agent, conversation_id=taken.pk, text="hi"),
        # no inbox role here, another agency's staff, another agency in the call, no actor, a bad id
        lambda: services.note_add(agency=agency_a, actor=staff_a["caseworker"], conversation_id=taken.pk, text="x"),
        lambda: services.conversation_claim(agency=agency_a, actor=staff_b["admin"], conversation_id=with_bot.pk),
        lambda: services.conversation_claim(agency=agency_b, actor=staff_b["admin"], conversation_id=with_bot.pk),
        lambda: services.conversation_close(agency=agency_a, actor=None, conversation_id=with_bot.pk),
        lambda: services.conversation_claim(agency=agency_a, actor=agent, conversation_id="not-a-uuid"),
    ]
    for call in refused:
        with pytest.raises(Conversation.DoesNotExist):
            call()
    assert (_roles(with_bot.pk), _roles(taken.pk), Note.objects.unscoped().count()) == before
    assert _conversation(with_bot.pk).state == "bot" and _conversation(taken.pk).assigned_agent == colleague

    # a supervisor sees the whole agency: takes over from the bot, writes a note on the colleague's
    supervisor = staff_a["supervisor"]
    services.note_add(agency=agency_a, actor=supervisor, conversation_id=taken.pk, text="watching")
    services.conversation_claim(agency=agency_a, actor=supervisor, conversation_id=with_bot.pk)
    assert _conversation(with_bot.pk).assigned_agent == supervisor


async def test_inbox_of_another_agency_is_closed_and_its_conversations_unreachable(
    agency_a, agency_b, staff_a, staff_b
):
    chat, hello = await citizen("alpha")
    await _ask_for_a_person(chat)
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

    conversation = await database_sync_to_async(_conversation)(conversation_id)
    assert conversation.state == "queued" and conversation.assigned_agent is None
    notes = await database_sync_to_async(Note.objects.unscoped().count)()
    assert notes == 0
    assert await database_sync_to_async(_roles)(conversation_id) == ["citizen", "bot"]


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
    await _ask_for_a_person(chat)
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
    await _ask_for_a_person(chat)
    update = await frames_until(colleague, lambda f: f.get("type") == "conversation")
    assert update[-1]["conversation"]["state"] == "queued"
    await chat.disconnect()
    await colleague.disconnect()
