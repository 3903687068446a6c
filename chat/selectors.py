"""Reads for chat, always scoped to one agency."""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from chat.models import Conversation, Message, Note
from chat.tokens import token_hash, token_looks_valid
from core.sql import agency_raw
from tenants.models import Agency
from tenants.selectors import SUPERVISING_ROLES, agency_ids_for_user, user_has_role

REPLAY_LIMIT = 500
# A queued conversation with no message for this long has nobody waiting at it (`people_waiting_ahead`); an hour is
# longer than a citizen waits silently in a live chat queue.
STILL_WAITING = datetime.timedelta(hours=1)


def conversation_get_by_token(*, agency: Agency, token: str) -> Conversation | None:
    """The conversation this citizen token opens, in this agency only (another agency's token: None)."""
    if not token_looks_valid(token):
        return None
    return (
        Conversation.objects.for_agency(agency)
        .select_related("assigned_agent")
        .filter(token_hash=token_hash(token))
        .first()
    )


def conversation_row(*, agency: Agency, conversation_id, lock: bool = False) -> Conversation | None:
    """One of this agency's conversations (None if it has no such conversation), optionally under its row
    lock. Plain SQL because every bot turn reads the conversation twice: compiling the ORM statement cost
    more than the read itself. The agency is the one given (the row was found under its id)."""
    try:
        conversation_id = uuid.UUID(str(conversation_id))
    except ValueError:
        return None
    table = Conversation._meta.db_table
    rows = agency_raw(
        agency,
        Conversation,
        f"SELECT * FROM {table} WHERE id = %s AND agency_id = %s" + (" FOR UPDATE" if lock else ""),  # noqa: S608 - our table
        [conversation_id, agency.pk],
    )
    for conversation in rows:
        conversation.agency = agency
        return conversation
    return None


def people_waiting_ahead(*, agency: Agency, conversation_id) -> int:
    """How many citizens wait live for a person before this conversation: conversations in the queue that were
    queued while an agent was online. One queued while nobody was (`Outcome.MESSAGE_LEFT`: an offline message, its
    citizen told to come back later) keeps its place in the agents' queue but has nobody waiting at it; nor has one
    with no message for `STILL_WAITING` (its citizen left without a word: the session-25 walk's first citizen on a
    fresh `make run` was "number 4 in the queue" behind conversations earlier sessions left queued days before)."""
    return (
        Conversation.objects.for_agency(agency)
        .filter(state=Conversation.State.QUEUED)
        .exclude(outcome=Conversation.Outcome.MESSAGE_LEFT)
        .exclude(pk=conversation_id)
        .alias(active=Coalesce("last_message_at", "queued_at", "created_at"))
        .filter(active__gte=timezone.now() - STILL_WAITING)
        .count()
    )


def messages_after(*, agency: Agency, conversation_id, after_seq: int, upto_seq: int | None = None) -> list[Message]:
    """Messages with seq > after_seq (and ≤ upto_seq), in order: what a reconnecting client missed."""
    messages = Message.objects.for_agency(agency).filter(conversation_id=conversation_id, seq__gt=after_seq)
    if upto_seq is not None:
        messages = messages.filter(seq__lte=upto_seq)
    return list(messages.order_by("seq")[:REPLAY_LIMIT])


def conversation_summary(conversation: Conversation, *, last_text: str | None = None) -> dict:
    """What the inbox shows for one conversation (no transcript)."""
    agent = conversation.assigned_agent
    if last_text is None:
        last_text = getattr(conversation, "latest_text", None)
    return {
        "id": str(conversation.pk),
        "state": conversation.state,
        "channel": conversation.channel,
        "language": conversation.language,
        "intent": conversation.last_intent,
        "outcome": conversation.outcome,
        "assigned_agent_id": agent.pk if agent else None,
        "assigned_agent": (agent.get_full_name() or agent.get_username()) if agent else "",
        "queued_at": conversation.queued_at.isoformat() if conversation.queued_at else None,
        "last_message_at": conversation.last_message_at.isoformat() if conversation.last_message_at else None,
        "created_at": conversation.created_at.isoformat() if conversation.created_at else None,
        "last_text": (last_text or "")[:140] if last_text is not None else None,
    }


def _citizen_messages() -> QuerySet[Message]:
    # The inbox previews what the citizen last wrote (their question), never the bot's "Nobody is
    # available…" or an agent's reply. Callers scope by conversation.
    citizen = Message.Role.CITIZEN
    return Message.objects.unscoped().filter(role=citizen)  # unscoped: callers filter by agency, conversation


def latest_citizen_text(conversation: Conversation) -> str | None:
    return (
        _citizen_messages()
        .filter(agency_id=conversation.agency_id, conversation=conversation)
        .order_by("-seq")
        .values_list("text", flat=True)
        .first()
    )


def inbox_conversations(*, agency: Agency, user) -> list[Conversation]:
    """The agent's inbox: the queue (oldest first), then conversations with agents.

    Agents see the queue and their own conversations; supervisors also see their colleagues'.
    """
    last_text = _citizen_messages().filter(conversation=OuterRef("pk")).order_by("-seq").values("text")[:1]
    conversations = (
        Conversation.objects.for_agency(agency)
        .select_related("assigned_agent")
        .annotate(latest_text=Subquery(last_text))
    )
    visible = Q(state=Conversation.State.QUEUED) | Q(state=Conversation.State.AGENT, assigned_agent=user)
    if user_has_role(user=user, agency=agency, roles=SUPERVISING_ROLES):
        visible |= Q(state=Conversation.State.AGENT)
    return list(conversations.filter(visible).order_by("queued_at", "created_at")[:200])


def conversations_for_staff(*, agency: Agency, user) -> QuerySet[Conversation]:
    """Conversations a staff member may read: all of the agency for supervisors; otherwise the queue,
    and those they took part in (assigned, replied or wrote a note)."""
    conversations = Conversation.objects.for_agency(agency)
    if user_has_role(user=user, agency=agency, roles=SUPERVISING_ROLES):
        return conversations
    return conversations.filter(Q(state=Conversation.State.QUEUED) | participated_by(user))


def participated_by(user) -> Q:
    return (
        Q(assigned_agent=user)
        | Exists(
            Message.objects.unscoped().filter(  # unscoped: a subquery of the caller's agency-scoped conversations
                conversation=OuterRef("pk"), author=user
            )
        )
        | Exists(
            Note.objects.unscoped().filter(  # unscoped: a subquery of the caller's agency-scoped conversations
                conversation=OuterRef("pk"), author=user
            )
        )
    )


def parse_conversation_id(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def conversation_for_staff(*, agency: Agency, user, conversation_id) -> Conversation | None:
    """One conversation the staff member may open, or None (missing, another agency's, not theirs)."""
    conversation_id = parse_conversation_id(conversation_id)
    if conversation_id is None:
        return None
    return (
        conversations_for_staff(agency=agency, user=user)
        .select_related("assigned_agent")
        .filter(pk=conversation_id)
        .first()
    )


def transcript(*, agency: Agency, conversation: Conversation) -> dict:
    """Everything an agent sees of one conversation: messages and internal notes."""
    messages = Message.objects.for_agency(agency).filter(conversation=conversation).order_by("seq")
    notes = Note.objects.for_agency(agency).filter(conversation=conversation).order_by("created_at")
    return {"messages": list(messages), "notes": list(notes)}


def admin_conversation_ids_filter(*, user) -> Q:
    """Admin scoping: supervisors/admins see all of their agencies' conversations, agents and
    caseworkers only the ones they took part in."""
    supervised = agency_ids_for_user(user=user, roles=SUPERVISING_ROLES)
    return Q(agency_id__in=supervised) | participated_by(user)


def unanswered_citizen_message(*, agency: Agency, conversation_id) -> tuple[int, float] | None:
    """(seq, age in seconds) of the citizen's last message if the bot owes it a reply, else None."""
    from django.utils import timezone

    conversation = Conversation.objects.for_agency(agency).filter(pk=conversation_id).first()
    if conversation is None or conversation.state not in (Conversation.State.BOT, Conversation.State.CLOSED):
        return None
    last = (
        Message.objects.for_agency(agency)
        .filter(conversation_id=conversation_id)
        .order_by("-seq")
        .values_list("seq", "role", "created_at")
        .first()
    )
    if last is None or last[1] != Message.Role.CITIZEN:
        return None
    return last[0], (timezone.now() - last[2]).total_seconds()
