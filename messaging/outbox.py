"""The outbound outbox: queueing (in the transaction that stores the chat line) and delivery (Celery).

Exactly once: a row per (connection, dedupe_key), written with the chat message it carries; delivery
locks the person's identity row (SKIP LOCKED) and then their oldest pending row, so two workers never
send the same row, and one person's messages leave in order. The send and the row's update share a
transaction: a worker killed between the provider's answer and the commit is the one window in which a
row may be sent twice (providers offer no idempotency key for sends).

Rate limits: per connection (`Provider.rate_per_second`, counted in Redis per second, shared by all
workers) and per person (`Provider.rate_per_recipient_per_second` with a burst of RECIPIENT_BURST, a
sliding window over the rows sent to them); a row over a limit waits its turn. Transient errors back off (2, 4, 8 … 300 s, or the provider's
retry_after) for MAX_ATTEMPTS tries, then fail for good like permanent errors (kept on the connection's
last errors, shown to staff).
"""

from __future__ import annotations

import contextvars
import logging
import math
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from chat.models import Conversation, Message
from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from messaging.providers import get_provider
from messaging.providers.base import Held, Option, Outgoing, PermanentError, TransientError
from tenants.models import Agency

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A provider's PermanentError code for "outside the customer-service window" (WhatsApp, Messenger).
WINDOW_CLOSED = "window_closed"
MAX_BACKOFF_SECONDS = 300
RECIPIENT_BURST = 3
DELIVERY_BUDGET_SECONDS = 20.0
# How long a queued delivery run keeps others from being queued for its connection (it clears the flag
# when it starts; this only matters when it never does: a killed worker, a lost message).
DELIVERY_FLAG_SECONDS = 10


# --- queueing -------------------------------------------------------------------------------------
# The inbound turn running in this context: (conversation id, the person's identity, the connection). The
# turn holds the identity's row lock and loaded both, so its replies are queued without reading them again.
_turn: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("messaging_turn", default=None)


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
    options = [
        Option(label=str(action.get("label") or ""), value=str(action.get("value") or ""))
        for action in payload.get("actions", [])
        if isinstance(action, dict) and action.get("type", "reply") == "reply" and action.get("label")
    ]
    links = [link for link in payload.get("citations", []) if isinstance(link, dict) and link.get("url")]
    purpose = OutboundMessage.Purpose.NEWS if payload.get("news") else OutboundMessage.Purpose.REPLY
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
        dedupe_key=f"m:{message.pk}",
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
    alerts, call this too). Opted-out people get rows in state `suppressed`: recorded, never sent.
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
    if identity.opted_out:
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
        # The running inbound turn's own person is locked by its transaction: the drain sends their rows in it.
        turn = _turn.get()
        locked = identity if turn is not None and turn[1] is identity else None
        deliver_on_commit(agency_id=agency_id, connection_id=connection.pk, identity_id=identity.pk, locked=locked)
    return len(written)


def _delivery_flag(connection_id: int) -> str:
    return f"msg:deliver:queued:{connection_id}"


def delivery_started(connection_id: int) -> None:
    """A delivery run of the connection starts (before it looks for rows): rows committed from now on
    queue a new run, rows committed before are the ones this run finds."""
    try:
        cache.delete(_delivery_flag(connection_id))
    except Exception:  # noqa: BLE001 - without Redis every commit queues its own run (the flag is never set)
        logger.debug("Could not clear the delivery flag of connection %s", connection_id)


def deliver_on_commit(
    *,
    agency_id: int,
    connection_id: int,
    countdown: float | None = None,
    identity_id: int | None = None,
    locked: ChannelIdentity | None = None,
) -> None:
    """After commit, make sure a delivery run of the connection is coming. One queued run serves every
    row committed before it starts (it clears the connection's flag first): at 50 replies a second that is
    a handful of runs, each sending many rows, instead of a task per reply. A run lost with a killed worker
    leaves the flag to expire (DELIVERY_FLAG_SECONDS) and its rows to the beat sweep, as before. Inside a
    drain of the connection's inbound events, the drain sends the person's (`identity_id`) rows itself,
    right after this commit (`locked`: the person the running turn holds locked, sent in its transaction)."""
    from messaging.drain import drain_takes_delivery

    if countdown is None and identity_id is not None and drain_takes_delivery(connection_id, identity_id, locked):
        return

    def queue():
        from messaging.tasks import outbound_deliver_task

        if countdown is None:
            try:
                if not cache.add(_delivery_flag(connection_id), 1, timeout=DELIVERY_FLAG_SECONDS):
                    return  # a run is queued and has not started: it will find this row
            except Exception:  # noqa: BLE001 - without Redis, queue a run for every commit
                logger.debug("No delivery flag for connection %s", connection_id)
        try:
            outbound_deliver_task.apply_async(
                kwargs={"agency_id": agency_id, "connection_id": connection_id}, countdown=countdown
            )
        except Exception:  # noqa: BLE001 - the broker is away: the rows wait, the sweep sends them
            logger.warning("Could not queue delivery for connection %s; the sweep will", connection_id)

    transaction.on_commit(queue)


# --- delivery -------------------------------------------------------------------------------------
def _rate_take(key: str, limit: int, window: float) -> bool:
    """One send in the current window of `key`, if fewer than `limit` were taken (Redis INCR)."""
    if not settings.MESSAGING_RATE_LIMITS:
        return True
    bucket = f"msg:rate:{key}:{int(time.time() // window)}"
    try:
        if cache.add(bucket, 1, timeout=math.ceil(window) + 1):
            return True
        return cache.incr(bucket) <= limit
    except Exception:  # noqa: BLE001 - without Redis, send unthrottled rather than not at all
        return True


def outbound_deliver(
    *, agency: Agency, connection_id: int, budget: float = DELIVERY_BUDGET_SECONDS, connection=None
) -> float | None:
    """Send the connection's due rows, oldest first per person, until none is due or `budget` seconds
    passed. Returns the seconds until the next row falls due (None: nothing pending). `connection`: the
    active connection when the caller just read it in this agency (the drain), else read here."""
    if connection is None or connection.pk != connection_id or connection.agency_id != agency.pk:
        connection = ChannelConnection.objects.for_agency(agency).filter(pk=connection_id, is_active=True).first()
    provider = get_provider(connection.kind) if connection else None
    if connection is None or provider is None:
        return None
    started = time.monotonic()
    busy: set[int] = set()  # people whose turn is over in this run (locked elsewhere, throttled, waiting)
    while time.monotonic() - started < budget:
        pending = OutboundMessage.objects.for_agency(agency).filter(
            connection=connection, state=OutboundMessage.State.PENDING
        )
        heads = (
            pending.exclude(identity_id__in=busy)
            .filter(next_attempt_at__lte=timezone.now())
            .order_by("identity_id")
            .values_list("identity_id", flat=True)
            .distinct()[:50]
        )
        heads = list(heads)
        if not heads:
            break
        for identity_id in heads:
            if time.monotonic() - started >= budget:
                break
            outcome = deliver_next(agency, connection, provider, identity_id)
            if outcome == "throttled":
                time.sleep(1.0 - time.time() % 1.0 + 0.01)  # to the connection's next window
                break
            if outcome not in ("sent", "more"):
                busy.add(identity_id)
    soonest = (
        OutboundMessage.objects.for_agency(agency)
        .filter(connection=connection, state=OutboundMessage.State.PENDING)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if soonest is None:
        return None
    return max(0.0, (soonest - timezone.now()).total_seconds())


def deliver_next(agency: Agency, connection: ChannelConnection, provider, identity_id: int) -> str:
    """Send one person's oldest pending row, if due: "sent" (and none other pending), "more" (sent, and
    another is pending), "none" (nothing pending), "failed", "retry" (this person waits), "wait" (not due),
    "locked" (another worker has them) or "throttled" (the connection's limit: nobody now)."""
    with transaction.atomic():
        identity = (
            ChannelIdentity.objects.for_agency(agency)
            .select_for_update(skip_locked=True)
            .filter(pk=identity_id)
            .first()
        )
        if identity is None:
            return "locked"
        return deliver_locked(agency, connection, provider, identity)


def deliver_locked(agency: Agency, connection: ChannelConnection, provider, identity: ChannelIdentity) -> str:
    """`deliver_next` for a caller whose transaction holds `identity`'s row lock already (the drain's turn
    locked the person it answers: its replies go out in that transaction, with no second lock or commit)."""
    # The oldest two: the second says, with no other statement, whether the person has more to come. The
    # per-person window rides along as a subquery: the sent_at of the RECIPIENT_BURST-th newest send within
    # it (NULL: room for another send).
    rows = (
        OutboundMessage.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(connection=connection, identity=identity, state=OutboundMessage.State.PENDING)
        .order_by("pk")
    )
    now = timezone.now()
    per_person = max(1, int(provider.rate_per_recipient_per_second * RECIPIENT_BURST))
    window = now - timedelta(seconds=RECIPIENT_BURST / max(provider.rate_per_recipient_per_second, 0.01))
    if settings.MESSAGING_RATE_LIMITS:
        full_since = (
            OutboundMessage.objects.for_agency(agency)
            .filter(identity=identity, sent_at__gt=window)
            .order_by("-sent_at")
            .values("sent_at")[per_person - 1 : per_person]
        )
        rows = rows.annotate(window_full_at=Subquery(full_since))
    rows = list(rows[:2])
    if not rows:
        return "none"
    row, sent = rows[0], ("more" if len(rows) > 1 else "sent")
    if row.next_attempt_at > now:
        return "wait"
    if identity.opted_out:
        row.state, row.state_changed_at = OutboundMessage.State.SUPPRESSED, now
        row.save(update_fields=["state", "state_changed_at"])
        return sent  # nothing sent, and the next row may go (suppressed too)
    full_at = getattr(row, "window_full_at", None)
    if full_at is not None:  # per person: RECIPIENT_BURST sends within the window already
        row.next_attempt_at = full_at + (now - window)
        row.save(update_fields=["next_attempt_at"])
        return "retry"
    if not _rate_take(f"c{connection.pk}", max(1, int(provider.rate_per_second)), 1.0):
        return "throttled"  # the connection's second is used up: everyone waits for the next
    row.attempts += 1
    try:
        provider_id = provider.send(connection, row.payload, identity.external_id)
    except TransientError as exc:
        if row.attempts >= MAX_ATTEMPTS:
            _fail(row, connection, identity, exc)
            return "failed"
        delay = exc.retry_after if exc.retry_after is not None else min(2**row.attempts, MAX_BACKOFF_SECONDS)
        row.next_attempt_at = now + timedelta(seconds=max(0.5, float(delay)))
        row.error = str(exc)[:500]
        row.save(update_fields=["attempts", "next_attempt_at", "error"])
        return "retry"
    except PermanentError as exc:
        if exc.code == WINDOW_CLOSED:  # the window closed while it waited: held, like one queued late
            _hold(row, str(exc))
            return "failed"
        _fail(row, connection, identity, exc)
        return "failed"
    row.state = OutboundMessage.State.SENT
    row.provider_message_id = (provider_id or "")[:200]
    row.sent_at = row.state_changed_at = timezone.now()
    row.error = ""
    row.save(update_fields=["state", "provider_message_id", "sent_at", "state_changed_at", "attempts", "error"])
    return sent


def _hold(row: OutboundMessage, reason: str) -> None:
    row.state, row.state_changed_at = OutboundMessage.State.HELD, timezone.now()
    row.error = f"Outside the 24-hour window: waiting for the person to write again or for staff to decide. ({reason})"[
        :500
    ]
    row.save(update_fields=["state", "state_changed_at", "error", "attempts"])


def outbound_release_held(*, agency: Agency, identity: ChannelIdentity) -> int:
    """The person wrote again (their window is open): their held messages go out, oldest first."""
    released = OutboundMessage.objects.for_agency(agency).filter(identity=identity, state=OutboundMessage.State.HELD)
    count = released.update(state=OutboundMessage.State.PENDING, next_attempt_at=timezone.now(), error="")
    if count:
        connection_ids = set(
            OutboundMessage.objects.for_agency(agency)
            .filter(identity=identity, state=OutboundMessage.State.PENDING)
            .values_list("connection_id", flat=True)
        )
        for connection_id in connection_ids:
            deliver_on_commit(agency_id=agency.pk, connection_id=connection_id, identity_id=identity.pk)
    return count


def _fail(row: OutboundMessage, connection: ChannelConnection, identity: ChannelIdentity, exc: Exception) -> None:
    from messaging.services import connection_error_record

    row.state, row.state_changed_at, row.error = OutboundMessage.State.FAILED, timezone.now(), str(exc)[:500]
    row.save(update_fields=["state", "state_changed_at", "error", "attempts"])
    connection_error_record(
        connection=connection,
        code=getattr(exc, "code", "") or "failed",
        message=str(exc),
        recipient=identity.external_id,
    )
