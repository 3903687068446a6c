"""Writes for chat: conversations, messages, the handoff state machine, notes and feedback.

State machine (every transition is one function here, and the only place `state` changes):

    bot ──queue──▶ queued ──claim──▶ agent ──handback──▶ bot
     │  ◀─cancel──   │                 │
     └──claim────────┴────────────────▶│
    any ──close──▶ closed ──(citizen writes again)──▶ bot

Bot replies are stored by `bot_reply_post`, which locks the conversation row and refuses to post
unless the conversation is still with the bot: once an agent owns a conversation the bot is silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat import realtime
from chat.models import MAX_TEXT_CHARS, Conversation, Message, Note
from chat.selectors import conversation_summary
from chat.tokens import token_hash, token_new
from tenants.models import Agency
from tenants.selectors import membership_get, user_has_role

# Who works the inbox. Caseworkers and analysts do not chat with citizens.
CHAT_AGENT_ROLES = frozenset({"agent", "supervisor", "admin"})
CHAT_SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})

State = Conversation.State


@dataclass
class Received:
    """What happened to a citizen's message: stored (with its seq) or recognised as a duplicate."""

    message: Message
    duplicate: bool
    state: str
    skill: str


@dataclass
class BotReply:
    """What a skill decided. `state` is the skill's state to keep for the next turn (None: done)."""

    text: str
    actions: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    decision: dict = field(default_factory=dict)
    skill: str = ""
    state: dict | None = None
    handoff: bool = False
    close: bool = False
    csat_score: int | None = None
    csat_comment: str | None = None
    missed: bool | None = None  # True: the bot could not help; False: it did; None: neither


def _clean_text(text) -> str:
    if not isinstance(text, str):
        raise ValidationError(_("A message needs text."))
    text = text.strip()
    if not text:
        raise ValidationError(_("A message needs text."))
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(_("Messages are limited to %(n)d characters.") % {"n": MAX_TEXT_CHARS})
    return text


def _allocate_seq(*, agency: Agency, conversation_id) -> tuple[int, str, str] | None:
    """Take the next seq of a conversation, atomically. Returns (seq, state, skill) or None.

    The UPDATE holds the conversation's row lock until the caller's transaction ends, so two writers
    are serialised and seq order is commit order. Call inside `transaction.atomic()`. It touches only
    the counter and the last-activity time, which are not audited fields.
    """
    table = Conversation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1, last_message_at = %s "  # noqa: S608 - table name is ours
            "WHERE id = %s AND agency_id = %s RETURNING last_seq, state, skill",
            [timezone.now(), conversation_id, agency.pk],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _store(message: Message) -> Message:
    # The conversation was found in this agency under its row lock, and the message takes its agency
    # from it, so the tenant check of `full_clean` (one query per foreign key) is already satisfied;
    # the unique constraints are enforced by the database (IntegrityError is how duplicates show up).
    message.clean_fields(exclude=["conversation", "author"])
    message.save(force_insert=True)
    realtime.broadcast_message(message)
    return message


def conversation_start(*, agency: Agency, channel: str, language: str = "en") -> tuple[Conversation, str]:
    """A new conversation and its citizen token (returned once; only its hash is stored)."""
    token = token_new()
    if language not in agency.languages:
        language = agency.languages[0] if agency.languages else "en"
    conversation = Conversation(agency=agency, channel=channel, language=language, token_hash=token_hash(token))
    conversation.full_clean(exclude=["token_hash"])
    conversation.save(force_insert=True)
    return conversation, token


def message_receive(
    *, agency: Agency, conversation_id, text: str, client_msg_id: str = "", action: str = ""
) -> Received:
    """Store a citizen's message (or find the earlier copy with the same `client_msg_id`)."""
    text = _clean_text(text)
    client_msg_id = (client_msg_id or "")[:64]
    # Optimistic: repeats are rare, so insert and let the unique constraint catch them (the seq taken
    # by the failed attempt is rolled back with it: no gap).
    try:
        with transaction.atomic():
            allocated = _allocate_seq(agency=agency, conversation_id=conversation_id)
            if allocated is None:
                raise Conversation.DoesNotExist
            seq, state, skill = allocated
            payload = {"action": action} if action else {}
            message = _store(
                Message(
                    agency=agency,
                    conversation_id=conversation_id,
                    seq=seq,
                    role=Message.Role.CITIZEN,
                    text=text,
                    client_msg_id=client_msg_id,
                    payload=payload,
                )
            )
            if state in (State.QUEUED, State.AGENT):
                conversation = (
                    Conversation.objects.for_agency(agency).select_related("assigned_agent").get(pk=conversation_id)
                )
                realtime.broadcast_inbox(conversation, conversation_summary(conversation, last_text=text))
    except IntegrityError:
        # A repeated client_msg_id (a resend after a reconnect, or one racing the original).
        earlier = _message_by_client_id(agency, conversation_id, client_msg_id) if client_msg_id else None
        if earlier is None:
            raise
        return earlier
    return Received(message=message, duplicate=False, state=state, skill=skill)


def _message_by_client_id(agency: Agency, conversation_id, client_msg_id: str) -> Received | None:
    message = (
        Message.objects.for_agency(agency)
        .filter(conversation_id=conversation_id, client_msg_id=client_msg_id)
        .select_related("conversation")
        .first()
    )
    if message is None:
        return None
    return Received(message=message, duplicate=True, state=message.conversation.state, skill="")


def _system_message(conversation: Conversation, text: str, *, actions: list[dict] | None = None) -> Message:
    seq, _state, _skill = _allocate_seq(agency=conversation.agency, conversation_id=conversation.pk)
    return _store(
        Message(
            agency_id=conversation.agency_id,
            conversation=conversation,
            seq=seq,
            role=Message.Role.SYSTEM,
            text=text,
            payload={"actions": actions} if actions else {},
        )
    )


def _locked(agency: Agency, conversation_id) -> Conversation:
    return (
        Conversation.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .select_related("agency", "assigned_agent")
        .get(pk=conversation_id)
    )


def _transition(conversation: Conversation, *, agent_name: str = "", **changes) -> None:
    for name, value in changes.items():
        setattr(conversation, name, value)
    conversation.full_clean(exclude=["token_hash"])
    conversation.save(update_fields=[*changes, "updated_at"])
    realtime.broadcast_state(conversation, agent_name)
    realtime.broadcast_inbox(conversation, conversation_summary(conversation))


def agent_display_name(*, agency: Agency, user) -> str:
    membership = membership_get(user=user, agency=agency)
    if membership is not None:
        return membership.public_name
    return user.get_full_name() or user.get_username()


def _require_agent(agency: Agency, actor) -> None:
    if actor is None or not user_has_role(user=actor, agency=agency, roles=CHAT_AGENT_ROLES):
        raise PermissionDenied


def _speak(conversation: Conversation):
    """System lines are written in the conversation's language."""
    return translation.override(conversation.language or "en")


def bot_reply_post(*, agency: Agency, conversation_id, reply_to_seq: int | None, reply: BotReply) -> Message | None:
    """Store the bot's reply to one citizen message and apply the skill's decisions.

    Returns None (and stores nothing) when the bot must stay silent: an agent owns the conversation,
    it is queued, or this citizen message already has a reply (the database constraint decides).
    """
    try:
        return _bot_reply_post(agency=agency, conversation_id=conversation_id, reply_to_seq=reply_to_seq, reply=reply)
    except IntegrityError:
        return None


@transaction.atomic
def _bot_reply_post(*, agency: Agency, conversation_id, reply_to_seq: int | None, reply: BotReply) -> Message | None:
    conversation = _locked(agency, conversation_id)
    feedback_turn = conversation.state == State.CLOSED and reply.skill == "feedback"
    if conversation.state == State.CLOSED and not feedback_turn:
        # The citizen wrote again after the end: the conversation goes back to the assistant.
        _transition(conversation, state=State.BOT, closed_at=None)
    elif conversation.state != State.BOT and not feedback_turn:
        return None
    seq, _state, _skill = _allocate_seq(agency=agency, conversation_id=conversation.pk)
    payload = {"decision": reply.decision}
    if reply.citations:
        payload["citations"] = reply.citations
    if reply.actions:
        payload["actions"] = reply.actions
    message = _store(
        Message(
            agency=agency,
            conversation=conversation,
            seq=seq,
            role=Message.Role.BOT,
            text=reply.text,
            payload=payload,
            reply_to_seq=reply_to_seq,
        )
    )

    # Bookkeeping (not audited: the decision is in the message payload).
    bookkeeping = {"skill": reply.skill if reply.state is not None else "", "skill_state": reply.state or {}}
    if reply.decision.get("intent"):
        bookkeeping["last_intent"] = reply.decision["intent"]
    if reply.decision.get("language"):
        bookkeeping["language"] = reply.decision["language"]
    if reply.missed is True:
        bookkeeping["bot_misses"] = conversation.bot_misses + 1
    elif reply.missed is False:
        bookkeeping["bot_misses"] = 0
    bookkeeping = {name: value for name, value in bookkeeping.items() if getattr(conversation, name) != value}
    if bookkeeping:
        Conversation.objects.for_agency(agency).filter(pk=conversation.pk).update(**bookkeeping)
        for name, value in bookkeeping.items():
            setattr(conversation, name, value)

    if reply.csat_score is not None or reply.csat_comment is not None:
        changes = {}
        if reply.csat_score is not None:
            changes["csat_score"] = reply.csat_score
        if reply.csat_comment is not None:
            changes["csat_comment"] = reply.csat_comment[:MAX_TEXT_CHARS]
        for name, value in changes.items():
            setattr(conversation, name, value)
        conversation.full_clean(exclude=["token_hash"])
        conversation.save(update_fields=[*changes, "updated_at"])
    if reply.handoff:
        _queue(conversation)
    if reply.close and conversation.state != State.CLOSED:
        _transition(conversation, state=State.CLOSED, closed_at=timezone.now(), outcome=_outcome(conversation))
    return message


def _queue(conversation: Conversation) -> None:
    from chat import presence

    online = presence.agents_online(agency_id=conversation.agency_id)
    _transition(
        conversation,
        state=State.QUEUED,
        handed_off=True,
        queued_at=timezone.now(),
        outcome="" if online else Conversation.Outcome.MESSAGE_LEFT,
    )


@transaction.atomic
def conversation_cancel_queue(*, agency: Agency, conversation_id) -> Conversation:
    """The citizen no longer waits for a person: back to the assistant."""
    conversation = _locked(agency, conversation_id)
    if conversation.state == State.QUEUED:
        with _speak(conversation):
            _system_message(conversation, _("You are back with the virtual assistant."))
        _transition(conversation, state=State.BOT, queued_at=None, outcome="")
    return conversation


@transaction.atomic
def conversation_claim(*, agency: Agency, actor, conversation_id) -> Conversation:
    """An agent takes the conversation: from now on only they answer (the bot is silent)."""
    _require_agent(agency, actor)
    conversation = _locked(agency, conversation_id)
    if conversation.state == State.AGENT and conversation.assigned_agent_id == actor.pk:
        return conversation
    if conversation.state not in (State.BOT, State.QUEUED):
        raise ValidationError(_("This conversation is not waiting for an agent."))
    name = agent_display_name(agency=agency, user=actor)
    with _speak(conversation):
        _system_message(conversation, _("%(name)s joined the conversation.") % {"name": name})
    _transition(
        conversation,
        agent_name=name,
        state=State.AGENT,
        assigned_agent=actor,
        handed_off=True,
        queued_at=conversation.queued_at or timezone.now(),
        outcome="",
        skill="",
        skill_state={},
    )
    return conversation


def _require_owner_or_supervisor(agency: Agency, actor, conversation: Conversation) -> None:
    if conversation.assigned_agent_id == actor.pk:
        return
    if user_has_role(user=actor, agency=agency, roles=CHAT_SUPERVISOR_ROLES):
        return
    raise PermissionDenied


@transaction.atomic
def message_post_agent(*, agency: Agency, actor, conversation_id, text: str, client_msg_id: str = "") -> Message:
    """The assigned agent's reply, shown to the citizen with the agent's public name."""
    _require_agent(agency, actor)
    text = _clean_text(text)
    conversation = _locked(agency, conversation_id)
    if conversation.state != State.AGENT or conversation.assigned_agent_id != actor.pk:
        raise ValidationError(_("Claim the conversation before replying."))
    client_msg_id = (client_msg_id or "")[:64]
    if client_msg_id:
        earlier = Message.objects.for_agency(agency).filter(conversation=conversation, client_msg_id=client_msg_id)
        if earlier.exists():
            return earlier.get()
    seq, _state, _skill = _allocate_seq(agency=agency, conversation_id=conversation.pk)
    message = _store(
        Message(
            agency=agency,
            conversation=conversation,
            seq=seq,
            role=Message.Role.AGENT,
            text=text,
            author=actor,
            author_name=agent_display_name(agency=agency, user=actor),
            client_msg_id=client_msg_id,
        )
    )
    realtime.broadcast_inbox(conversation, conversation_summary(conversation, last_text=text))
    return message


@transaction.atomic
def conversation_handback(*, agency: Agency, actor, conversation_id) -> Conversation:
    """The agent hands the conversation back to the assistant."""
    _require_agent(agency, actor)
    conversation = _locked(agency, conversation_id)
    if conversation.state != State.AGENT:
        raise ValidationError(_("Only a conversation with an agent can be handed back."))
    _require_owner_or_supervisor(agency, actor, conversation)
    with _speak(conversation):
        _system_message(conversation, _("You are back with the virtual assistant. Type 'menu' to see what it can do."))
    _transition(conversation, state=State.BOT, assigned_agent=None, queued_at=None, bot_misses=0)
    return conversation


def _outcome(conversation: Conversation) -> str:
    if conversation.state == State.QUEUED:
        return Conversation.Outcome.MESSAGE_LEFT
    roles = set(
        Message.objects.for_agency(conversation.agency).filter(conversation=conversation).values_list("role", flat=True)
    )
    if Message.Role.AGENT in roles or conversation.state == State.AGENT:
        return Conversation.Outcome.AGENT
    if conversation.handed_off:
        return conversation.outcome or Conversation.Outcome.MESSAGE_LEFT
    if Message.Role.BOT in roles and conversation.bot_misses == 0:
        return Conversation.Outcome.CONTAINED
    return Conversation.Outcome.ABANDONED


@transaction.atomic
def conversation_close(*, agency: Agency, actor, conversation_id) -> Conversation:
    """An agent closes the conversation; the citizen is asked for a rating (1-5) and a comment."""
    from chat.engine.skills.feedback import rating_prompt

    _require_agent(agency, actor)
    conversation = _locked(agency, conversation_id)
    if conversation.state == State.CLOSED:
        return conversation
    if conversation.state == State.AGENT:
        _require_owner_or_supervisor(agency, actor, conversation)
    name = agent_display_name(agency=agency, user=actor)
    outcome = _outcome(conversation)
    with _speak(conversation):
        _system_message(conversation, _("%(name)s closed the conversation.") % {"name": name})
        if conversation.csat_score is None:
            text, actions = rating_prompt()
            _system_message(conversation, text, actions=actions)
    _transition(
        conversation,
        state=State.CLOSED,
        closed_at=timezone.now(),
        outcome=outcome,
        skill="feedback" if conversation.csat_score is None else "",
        skill_state={"step": "rating"} if conversation.csat_score is None else {},
    )
    return conversation


@transaction.atomic
def note_add(*, agency: Agency, actor, conversation_id, text: str) -> Note:
    """An internal note for colleagues. It is never sent to the citizen."""
    _require_agent(agency, actor)
    text = _clean_text(text)
    conversation = Conversation.objects.for_agency(agency).get(pk=conversation_id)
    note = Note(
        agency=agency,
        conversation=conversation,
        author=actor,
        author_name=agent_display_name(agency=agency, user=actor),
        text=text,
    )
    note.full_clean()
    note.save()
    realtime.broadcast_note(note)
    return note


def transcript_access_record(*, agency: Agency, actor, conversation: Conversation, via: str):
    """Record that `actor` read this transcript (console, admin page, export) in the audit trail.

    The entry carries the agency (supervisors see it in their agency's audit trail) and how it was read.
    """
    from auditlog.models import LogEntry

    if conversation.agency_id != agency.pk:
        raise PermissionDenied
    return LogEntry.objects.log_create(
        conversation,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data={"agency_id": agency.pk, "access": via},
    )
