"""Building blocks shared by the chat services: seq allocation, storing, locking, transitions."""

from __future__ import annotations

from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat import realtime
from chat.models import MAX_TEXT_CHARS, MESSAGING_CHANNELS, Conversation, Message
from chat.selectors import (
    conversation_row,
    conversation_summary,
    conversations_for_staff,
    latest_citizen_text,
    parse_conversation_id,
)
from core.sql import agency_cursor
from tenants.models import Agency
from tenants.selectors import membership_get, user_has_role

# Who works the inbox. Caseworkers and analysts do not chat with citizens.
CHAT_AGENT_ROLES = frozenset({"agent", "supervisor", "admin"})
CHAT_SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})

State = Conversation.State


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
    with agency_cursor(agency) as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1, last_message_at = %s "  # noqa: S608 - table name is ours
            "WHERE id = %s AND agency_id = %s RETURNING last_seq, state, skill",
            [timezone.now(), conversation_id, agency.pk],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1], row[2])


# Lines whose creation is copied into the audit trail: what staff write and what the system says on their
# behalf (claims, hand-backs, closes). A citizen's or the assistant's line is only ever inserted, never
# edited, and its row already holds everything an entry would (role, seq, time, the bot's decision); the
# transcript is that record, and its reads are audited (`transcript_access_record`).
AUDITED_ROLES = frozenset({Message.Role.AGENT, Message.Role.SYSTEM})


def _store(message: Message, *, shown_by: str | None = None) -> Message:
    # The conversation was found in this agency under its row lock, and the message takes its agency
    # from it, so the tenant check of `full_clean` (one query per foreign key, the agency's too) is already satisfied;
    # the unique constraints are enforced by the database (IntegrityError is how duplicates show up).
    message.clean_fields(exclude=["conversation", "author", "agency"])
    if message.role in AUDITED_ROLES:
        message.save(force_insert=True)
    else:
        with disable_auditlog():
            message.save(force_insert=True)
    realtime.broadcast_message(message, shown_by=shown_by)
    if message.role != Message.Role.CITIZEN and message.conversation.channel in MESSAGING_CHANNELS:
        # A line for a person on WhatsApp, Telegram, Messenger or SMS: queued in this transaction.
        from messaging.outbox import message_outbound_queue

        message_outbound_queue(message)
    return message


def _locked(agency: Agency, conversation_id, *, related: bool = True) -> Conversation:
    """The conversation under its row lock. `related=False`: without the assigned agent (loaded only if
    used), for the bot's reply, which rarely needs it; the agency is the one given either way."""
    if not related:
        conversation = conversation_row(agency=agency, conversation_id=conversation_id, lock=True)
        if conversation is None:
            raise Conversation.DoesNotExist
        return conversation
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
    if changes.keys() & {"skill_state", "parked_forms"}:
        realtime.broadcast_drafts(conversation)  # a claim or a close ends the form in progress
    realtime.broadcast_inbox(
        conversation, conversation_summary(conversation, last_text=latest_citizen_text(conversation))
    )


def agent_display_name(*, agency: Agency, user) -> str:
    membership = membership_get(user=user, agency=agency)
    if membership is not None:
        return membership.public_name
    return user.get_full_name() or user.get_username()


def access_conversation(*, agency: Agency, actor, conversation_id, lock: bool = True) -> Conversation:
    """The conversation `actor` may work on, fetched inside `agency` (under its row lock by default).

    Every staff service reads its conversation through here, so no caller (socket, page, a future API or
    messaging channel) can skip the check. Raises `Conversation.DoesNotExist` alike for a conversation
    that is missing, another agency's, or not visible to the actor (agents: the queue and conversations
    they took part in; supervisors and admins: all of the agency's), and for an actor without an inbox role.
    """
    conversation_id = parse_conversation_id(conversation_id)
    if conversation_id is None or actor is None:
        raise Conversation.DoesNotExist
    if not user_has_role(user=actor, agency=agency, roles=CHAT_AGENT_ROLES):
        raise Conversation.DoesNotExist
    visible = conversations_for_staff(agency=agency, user=actor).filter(pk=conversation_id)
    if lock:
        visible = visible.select_for_update(of=("self",))
    return visible.select_related("agency", "assigned_agent").get()


def _speak(conversation: Conversation):
    """System lines are written in the conversation's language."""
    return translation.override(conversation.language or "en")


def _system_message(
    conversation: Conversation,
    text: str,
    *,
    actions: list[dict] | None = None,
    news: bool = False,
    subscription: str = "",
    event: str = "",
) -> Message:
    seq, _state, _skill = _allocate_seq(agency=conversation.agency, conversation_id=conversation.pk)
    return _store(
        Message(
            agency_id=conversation.agency_id,
            conversation=conversation,
            seq=seq,
            role=Message.Role.SYSTEM,
            text=text,
            payload={
                **({"actions": actions} if actions else {}),
                **({"news": True} if news else {}),
                **({"subscription": subscription} if subscription else {}),
                **({"event": event} if event else {}),
            },
        )
    )


def _require_owner_or_supervisor(agency: Agency, actor, conversation: Conversation) -> None:
    if conversation.assigned_agent_id == actor.pk:
        return
    if user_has_role(user=actor, agency=agency, roles=CHAT_SUPERVISOR_ROLES):
        return
    raise PermissionDenied
