"""Conversations and messages: start, citizen messages (de-duplicated), bot replies, transcript access."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from chat import realtime
from chat.engine.types import BotReply
from chat.models import MAX_TEXT_CHARS, Conversation, Message
from chat.selectors import conversation_summary
from chat.services.base import (
    State,
    _allocate_seq,
    _clean_text,
    _locked,
    _store,
    _system_message,
    _transition,
)
from chat.services.handoff import _outcome, _queue
from chat.tokens import token_hash, token_new
from core import language as language_code
from tenants.models import Agency


@dataclass
class Received:
    """What happened to a citizen's message: stored (with its seq) or recognised as a duplicate."""

    message: Message
    duplicate: bool
    state: str
    skill: str


def conversation_start(*, agency: Agency, channel: str, language: str = "en") -> tuple[Conversation, str]:
    """A new conversation and its citizen token (returned once; only its hash is stored). `language` may be a
    browser's tag ("de-DE", "zh-CN", the widget's `navigator.language`): the agency's language it names, else one
    of the same family ("zh-TW" at an agency with Simplified Chinese only), else the agency's first."""
    token = token_new()
    language = _offered_language(agency, language)
    conversation = Conversation(agency=agency, channel=channel, language=language, token_hash=token_hash(token))
    conversation.full_clean(exclude=["token_hash"])
    conversation.save(force_insert=True)
    return conversation, token


def _offered_language(agency: Agency, wanted: str) -> str:
    offered = list(agency.languages or ["en"])
    wanted = language_code.normalize(wanted)
    if wanted in offered:
        return wanted
    family = [code for code in offered if language_code.primary(code) == language_code.primary(wanted)]
    return family[0] if wanted and family else offered[0]


def message_receive(
    *,
    agency: Agency,
    conversation_id,
    text: str,
    client_msg_id: str = "",
    action: str = "",
    shown_by: str | None = None,
    extra: dict | None = None,
) -> Received:
    """Store a citizen's message (or find the earlier copy with the same `client_msg_id`).

    `shown_by`: the channel name of the citizen's socket, which shows the stored message itself; the
    others watching the conversation get it through the channel layer. `extra`: more of what the
    citizen sent, kept in the message's payload (a messaging channel's `location`, stored `photos`)."""
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
            payload = {**(extra or {}), **({"action": action} if action else {})}
            message = _store(
                Message(
                    agency=agency,
                    conversation_id=conversation_id,
                    seq=seq,
                    role=Message.Role.CITIZEN,
                    text=text,
                    client_msg_id=client_msg_id,
                    payload=payload,
                ),
                shown_by=shown_by,
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


@transaction.atomic
def system_message_post(
    *, agency: Agency, conversation_id, text: str, news: bool = False, subscription: str = ""
) -> Message | None:
    """A system line posted into a conversation by another part of the product (news about a
    report the citizen follows from the chat). Delivered live to an open socket and replayed on
    reconnect like any message. None (nothing stored) when the conversation is not this agency's.
    `news`: status news (on a messaging channel it may need the agency's template outside 24 hours).
    `subscription`: a messaging channel's STOP/START line (`messaging.services`): "stop" is the one
    confirmation sent after STOP, "recorded" a line for the transcript only (the provider answered)."""
    try:
        conversation_id = uuid.UUID(str(conversation_id))
    except ValueError:
        return None
    conversation = Conversation.objects.for_agency(agency).select_related("agency").filter(pk=conversation_id).first()
    if conversation is None:
        return None
    return _system_message(conversation, _clean_text(text[:MAX_TEXT_CHARS]), news=news, subscription=subscription)


def bot_reply_post(
    *, agency: Agency, conversation_id, reply_to_seq: int | None, reply: BotReply, shown_by: str | None = None
) -> Message | None:
    """Store the bot's reply to one citizen message and apply the skill's decisions.

    Returns None (and stores nothing) when the bot must stay silent: an agent owns the conversation,
    it is queued, or this citizen message already has a reply (the database constraint decides).
    `shown_by`: the socket that shows the returned reply itself (see `message_receive`).
    """
    try:
        return _bot_reply_post(
            agency=agency, conversation_id=conversation_id, reply_to_seq=reply_to_seq, reply=reply, shown_by=shown_by
        )
    except IntegrityError:
        return None


@transaction.atomic
def _bot_reply_post(
    *, agency: Agency, conversation_id, reply_to_seq: int | None, reply: BotReply, shown_by: str | None
) -> Message | None:
    conversation = _locked(agency, conversation_id, related=False)
    if conversation.state == State.CLOSED and not reply.keep_closed:
        # The citizen wrote again after the end: the conversation goes back to the assistant.
        _transition(conversation, state=State.BOT, closed_at=None)
    elif conversation.state not in (State.BOT, State.CLOSED):
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
        ),
        shown_by=shown_by,
    )

    # Bookkeeping (not audited: the decision is in the message payload).
    bookkeeping = {"skill": reply.skill if reply.state is not None else "", "skill_state": reply.state or {}}
    if reply.park:
        parked = {**(conversation.parked_forms or {}), **reply.park}
        bookkeeping["parked_forms"] = {name: saved for name, saved in parked.items() if saved}
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
        if bookkeeping.keys() & {"skill", "skill_state", "parked_forms"}:
            realtime.broadcast_drafts(conversation)  # an agent watching sees the draft change

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
        additional_data={**conversation.get_additional_data(), "agency_id": agency.pk, "access": via},
    )
