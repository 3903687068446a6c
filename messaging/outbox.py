"""The outbound outbox, queueing: a row per reply, written in the transaction that stores the chat line,
and a delivery run queued after commit (the sending is `messaging.delivery`).

Exactly once: a row per (connection, dedupe_key), written with the chat message it carries; delivery
locks the person's identity row (SKIP LOCKED) and then their oldest pending row, so two workers never
send the same row, and one person's messages leave in order. The row is claimed (`sending`, leased) in a
committed transaction before the provider is called and its answer recorded after it; a worker killed in
between leaves the row `sending`, and it is settled, never resent blindly, once its lease runs out
(`messaging.in_doubt`: Redis's mark of the provider's answer, the provider's own record, else `unknown`
for staff). A turn's replies are keyed by its inbound event and their order in it (`e:<event>:<n>`), so
the turn that runs again after a kill before its commit writes the same keys.
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from chat.models import Conversation, Message
from core.queueing import queue_unless_waiting, waiting_flag_clear
from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from messaging.providers import get_provider
from messaging.providers.base import Held, Option, Outgoing

logger = logging.getLogger(__name__)

# How long a queued delivery run keeps others from being queued for its connection (it clears the flag
# when it starts; this only matters when it never does: a killed worker, a lost message).
DELIVERY_FLAG_SECONDS = 10


# --- queueing -------------------------------------------------------------------------------------
# The inbound turn running in this context: (conversation id, the person's identity, the connection). The
# turn holds the identity's row lock and loaded both, so its replies are queued without reading them again.
_turn: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("messaging_turn", default=None)


# The inbound event whose turns run in this context, and how many of their lines were queued so far.
_event_lines: contextvars.ContextVar[list | None] = contextvars.ContextVar("messaging_event_lines", default=None)


@contextmanager
def event_lines(event_id: int):
    """Inside the turns of one stored inbound event (`messaging.services.event_apply`): their lines are keyed
    `e:<event>:<n>`, the same when the turns run again after a worker was killed before their commit."""
    token = _event_lines.set([event_id, 0])
    try:
        yield
    finally:
        _event_lines.reset(token)


def _line_key(message: Message, in_turn: bool) -> str:
    counted = _event_lines.get() if in_turn else None
    if counted is None:
        return f"m:{message.pk}"
    counted[1] += 1
    return f"e:{counted[0]}:{counted[1]}"


@contextmanager
def turn_parties(*, conversation_id, identity: ChannelIdentity, connection: ChannelConnection):
    """Inside an inbound turn (`messaging.services`): who its replies go to and on which connection."""
    token = _turn.set((conversation_id, identity, connection))
    try:
        yield
    finally:
        _turn.reset(token)


def _turn_parties_for(agency_id: int, conversation_id) -> tuple[ChannelIdentity, ChannelConnection] | None:
    known = _turn.get()
    if known is None:
        return None
    turn_conversation, identity, connection = known
    if turn_conversation != conversation_id or identity.agency_id != agency_id or connection.agency_id != agency_id:
        return None
    return identity, connection


def message_outbound_queue(message: Message) -> int:
    """Queue a bot, agent or system line of a channel conversation for its person (call inside the
    transaction that stores it; chat's `_store` does). Returns the rows written."""
    conversation: Conversation = message.conversation
    agency_id = message.agency_id
    known = _turn_parties_for(agency_id, conversation.pk)
    identity = (
        known[0]
        if known is not None
        else (
            ChannelIdentity.objects.unscoped()  # unscoped: filtered by the message's own agency on the next line
            .filter(agency_id=agency_id, conversation_id=conversation.pk)
            .first()
        )
    )
    if identity is None:
        return 0
    payload = message.payload or {}
    if payload.get("subscription") == "recorded":
        return 0  # the provider confirmed the person's STOP or START itself: the line is the record
    options = [
        Option(label=str(action.get("label") or ""), value=str(action.get("value") or ""))
        for action in payload.get("actions", [])
        if isinstance(action, dict) and action.get("type", "reply") == "reply" and action.get("label")
    ]
    links = [link for link in payload.get("citations", []) if isinstance(link, dict) and link.get("url")]
    purpose = OutboundMessage.Purpose.NEWS if payload.get("news") else OutboundMessage.Purpose.REPLY
    if payload.get("subscription") == "stop":
        purpose = OutboundMessage.Purpose.OPT_OUT
    decision = payload.get("decision") if isinstance(payload.get("decision"), dict) else {}
    if message.role == Message.Role.BOT and message.reply_to_seq is None and decision.get("skill") == "feedback":
        purpose = OutboundMessage.Purpose.FEEDBACK  # the rating question after an agent closed the chat
    outgoing = Outgoing(
        recipient=identity.external_id,
        text=message.text,
        options=options,
        links=links,
        purpose=purpose,
        last_inbound_at=identity.last_inbound_at,
        # The bot's reply says its language (the conversation's row learns it just after this line is stored).
        language=str(decision.get("language") or conversation.language or ""),
    )
    return outbound_queue(
        agency_id=agency_id,
        identity=identity,
        outgoing=outgoing,
        dedupe_key=_line_key(message, known is not None),
        conversation_id=conversation.pk,
        chat_message_id=message.pk,
        purpose=purpose,
        connection=known[1] if known is not None else None,
    )


def outbound_queue(
    *,
    agency_id: int,
    identity: ChannelIdentity,
    outgoing: Outgoing,
    dedupe_key: str,
    purpose: str = OutboundMessage.Purpose.REPLY,
    conversation_id=None,
    chat_message_id: int | None = None,
    connection: ChannelConnection | None = None,
) -> int:
    """Render `outgoing` for the person's channel and queue it once per `dedupe_key` (other apps, e.g.
    alerts, call this too). Opted-out people get rows in state `suppressed`: recorded, never sent (all
    but the confirmation of their STOP, purpose `optout`).
    `connection`: the identity's connection when the caller holds it (an inbound turn), else read here."""
    if connection is None or not (
        connection.is_active and connection.kind == identity.kind and connection.agency_id == agency_id
    ):
        connection = (
            ChannelConnection.objects.unscoped()  # unscoped: filtered by the caller's agency on the next line
            .filter(agency_id=agency_id, kind=identity.kind, is_active=True)
            .select_related("agency")
            .first()
        )
    provider = get_provider(identity.kind)
    if connection is None or provider is None:
        logger.info("No active %s connection for agency %s: message %s not sent", identity.kind, agency_id, dedupe_key)
        return 0
    outgoing.purpose = purpose
    if outgoing.last_inbound_at is None:
        outgoing.last_inbound_at = identity.last_inbound_at
    now = timezone.now()
    state, error = OutboundMessage.State.PENDING, ""
    try:
        payloads = provider.render(connection, outgoing)
    except Held as held:  # outside the provider's window: kept for staff, sent when the person writes
        payloads, state, error = held.payloads, OutboundMessage.State.HELD, str(held)[:500]
    if identity.opted_out and purpose != OutboundMessage.Purpose.OPT_OUT:
        state = OutboundMessage.State.SUPPRESSED
    rows = [
        OutboundMessage(
            agency_id=agency_id,
            connection=connection,
            identity=identity,
            conversation_id=conversation_id,
            chat_message_id=chat_message_id,
            purpose=purpose,
            dedupe_key=f"{dedupe_key}:{index}"[:120],
            payload=payload,
            state=state,
            error=error,
            next_attempt_at=now,
        )
        for index, payload in enumerate(payloads)
    ]
    written = OutboundMessage.objects.unscoped().bulk_create(  # unscoped: an insert; every row names its agency
        rows, ignore_conflicts=True
    )
    if state == OutboundMessage.State.PENDING and rows:
        deliver_on_commit(agency_id=agency_id, connection_id=connection.pk, identity_id=identity.pk)
    return len(written)


def _delivery_flag(connection_id: int) -> str:
    return f"msg:deliver:queued:{connection_id}"


def delivery_started(connection_id: int) -> None:
    """A delivery run of the connection starts (before it looks for rows): rows committed from now on
    queue a new run, rows committed before are the ones this run finds."""
    waiting_flag_clear(_delivery_flag(connection_id))


def deliver_on_commit(
    *,
    agency_id: int,
    connection_id: int,
    countdown: float | None = None,
    identity_id: int | None = None,
) -> None:
    """After commit, make sure a delivery run of the connection is coming. One queued run serves every
    row committed before it starts (it clears the connection's flag first): at 50 replies a second that is
    a handful of runs, each sending many rows, instead of a task per reply. A run lost with a killed worker
    leaves the flag to expire (DELIVERY_FLAG_SECONDS) and its rows to the beat sweep, as before. Inside a
    drain of the connection's inbound events, the drain sends the person's (`identity_id`) rows itself,
    right after this commit."""
    from messaging.drain import drain_takes_delivery

    if countdown is None and identity_id is not None and drain_takes_delivery(connection_id, identity_id):
        return

    def queue():
        from messaging.tasks import outbound_deliver_task

        def send():
            outbound_deliver_task.apply_async(
                kwargs={"agency_id": agency_id, "connection_id": connection_id}, countdown=countdown
            )

        queue_unless_waiting(
            None if countdown is not None else _delivery_flag(connection_id),  # a retry at its time: always
            timeout=DELIVERY_FLAG_SECONDS,
            send=send,
            what=f"delivery for connection {connection_id}",
        )

    transaction.on_commit(queue)
