"""The handoff services called directly: the bot's late reply dropped, one reply per message, only the
assigned agent replies, the audit trail, and the access check inside every staff service."""

import pytest
from auditlog.models import LogEntry

from chat import services
from chat.engine.types import BotReply
from chat.models import Conversation, Message, Note
from tests.chat.handoff_support import conversation_of, roles_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scoped_a(agency_a):
    from tenants.context import agency_context

    with agency_context(agency_a):
        yield agency_a


def _waiting(conversation):
    """The citizen asked for a person: the conversation waits in the agents' queue."""
    Conversation.objects.unscoped().filter(pk=conversation.pk).update(state="queued", handed_off=True)


def test_bot_reply_is_refused_once_an_agent_owns_theconversation_of(scoped_a, agency_a, staff_a):
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
    assert entry.additional_data == {"agency_id": agency_a.pk, "label": {"seq": str(agent.seq), "role": "agent"}}
    assert "Hello, I am here" not in str(entry.changes)
    system_lines = Message.objects.for_agency(agency_a).filter(conversation=conversation, role=Message.Role.SYSTEM)
    assert system_lines.exists()
    assert all(LogEntry.objects.get_for_object(line).exists() for line in system_lines)
    # the transcript keeps every line in order
    assert roles_of(conversation.pk)[:2] == ["citizen", "bot"] and "agent" in roles_of(conversation.pk)


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
    before = (roles_of(with_bot.pk), roles_of(taken.pk), Note.objects.unscoped().count())

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
    assert (roles_of(with_bot.pk), roles_of(taken.pk), Note.objects.unscoped().count()) == before
    assert conversation_of(with_bot.pk).state == "bot" and conversation_of(taken.pk).assigned_agent == colleague

    # a supervisor sees the whole agency: takes over from the bot, writes a note on the colleague's
    supervisor = staff_a["supervisor"]
    services.note_add(agency=agency_a, actor=supervisor, conversation_id=taken.pk, text="watching")
    services.conversation_claim(agency=agency_a, actor=supervisor, conversation_id=with_bot.pk)
    assert conversation_of(with_bot.pk).assigned_agent == supervisor


def test_the_queue_position_counts_only_people_waiting_live(scoped_a, agency_a, staff_a):
    """Seen on `make run` (session 22): "You are number 4 in the queue" with one other citizen waiting; the other
    two had left an offline message (queued while nobody was online, told to come back later)."""
    from chat import presence
    from chat.engine.engine import bot_turn

    def queued(outcome):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        Conversation.objects.unscoped().filter(pk=conversation.pk).update(
            state="queued", handed_off=True, outcome=outcome
        )

    queued(Conversation.Outcome.MESSAGE_LEFT)
    queued(Conversation.Outcome.MESSAGE_LEFT)
    queued("")  # asked while an agent was online: waiting live
    closed, _token = services.conversation_start(agency=agency_a, channel="widget")
    Conversation.objects.unscoped().filter(pk=closed.pk).update(state="closed")
    presence.agent_seen(agency_id=agency_a.pk, user_id=staff_a["agent"].pk, connection="test")
    try:
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        received = services.message_receive(
            agency=agency_a, conversation_id=conversation.pk, text="I want to talk to a person"
        )
        reply = bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    finally:
        presence.agent_gone(agency_id=agency_a.pk, user_id=staff_a["agent"].pk, connection="test")
    assert "You are number 2 in the queue." in reply.text, reply.text


def test_the_queue_position_leaves_out_conversations_nobody_is_at_any_more(scoped_a, agency_a, agency_b, staff_a):
    """Session-25 walk: the first citizen on a fresh `make run` was "number 4 in the queue": three conversations that
    earlier sessions had left queued days before (their citizens gone without a word) counted as people ahead. They
    stay in the agents' queue; one whose citizen wrote a minute ago still waits, and another agency's never counts."""
    import datetime

    from django.utils import timezone

    from chat.selectors import people_waiting_ahead
    from tenants.context import agency_context

    def queued(agency, last_message_ago):
        conversation, _token = services.conversation_start(agency=agency, channel="widget")
        at = timezone.now() - last_message_ago
        Conversation.objects.unscoped().filter(pk=conversation.pk).update(
            state="queued", handed_off=True, queued_at=at, last_message_at=at
        )
        return conversation

    for _ in range(3):
        queued(agency_a, datetime.timedelta(days=2))
    queued(agency_a, datetime.timedelta(minutes=1))
    with agency_context(agency_b):
        queued(agency_b, datetime.timedelta(minutes=1))
    mine = queued(agency_a, datetime.timedelta(seconds=0))
    assert people_waiting_ahead(agency=agency_a, conversation_id=mine.pk) == 1
    queue = Conversation.objects.for_agency(agency_a).filter(state="queued").count()
    assert queue == 5  # all still in the agents' queue
