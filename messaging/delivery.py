"""Sending the outbox's rows (Celery; the rows are written by `messaging.outbox`).

Rate limits: per connection (`Provider.rate_per_second`, counted in Redis per second, shared by all
workers) and per person (`Provider.rate_per_recipient_per_second` with a burst of RECIPIENT_BURST, a
sliding window over the rows sent to them); a row over a limit waits its turn. Transient errors back off
(2, 4, 8 … 300 s, or the provider's retry_after) for MAX_ATTEMPTS tries, then fail for good like permanent
errors (kept on the connection's last errors, shown to staff).
"""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from messaging.outbox import deliver_on_commit
from messaging.providers import get_provider
from messaging.providers.base import PermanentError, RecipientGone, RecipientMoved, TransientError
from tenants.models import Agency

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A provider's PermanentError code for "outside the customer-service window" (WhatsApp, Messenger).
WINDOW_CLOSED = "window_closed"
MAX_BACKOFF_SECONDS = 300
RECIPIENT_BURST = 3
DELIVERY_BUDGET_SECONDS = 20.0


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
    now = timezone.now()
    rows = (
        OutboundMessage.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(connection=connection, identity=identity, state=OutboundMessage.State.PENDING)
        # A line the provider accepted and then reported failed lost its place: waiting for its new try (up to a
        # day for WhatsApp's 131049), it does not hold up the person's later lines.
        .exclude(retries__gt=0, next_attempt_at__gt=now)
        .order_by("pk")
    )
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
    if identity.opted_out and row.purpose != OutboundMessage.Purpose.OPT_OUT:
        row.state, row.state_changed_at = OutboundMessage.State.SUPPRESSED, now
        row.save(update_fields=["state", "state_changed_at"])
        return sent  # nothing sent, and the next row may go (suppressed too)
    full_at = getattr(row, "window_full_at", None)
    if full_at is not None:  # per person: RECIPIENT_BURST sends within the window already
        row.next_attempt_at = full_at + (now - window)
        row.save(update_fields=["next_attempt_at"])
        return "retry"
    mark = _sent_mark(row)
    accepted = _sent_mark_get(mark)
    if accepted is None and not _rate_take(f"c{connection.pk}", max(1, int(provider.rate_per_second)), 1.0):
        return "throttled"  # the connection's second is used up: everyone waits for the next
    row.attempts += 1
    try:
        if accepted is None:  # else: a worker killed before its commit had sent it
            provider_id = provider.send(connection, row.payload, identity.external_id)
            _sent_mark_set(mark, provider_id)
        else:
            provider_id = accepted
    except RecipientMoved as exc:  # the chat has a new address: the person's identity follows it, sent there now
        if not _identity_move(agency, identity, exc.moved_to) or row.attempts >= MAX_ATTEMPTS:
            _fail(row, connection, identity, exc)
            return "failed"
        row.error, row.error_code = str(exc)[:500], str(exc.code or "")[:20]
        row.save(update_fields=["attempts", "error", "error_code"])
        return "more"
    except TransientError as exc:
        if row.attempts >= MAX_ATTEMPTS:
            _fail(row, connection, identity, exc)
            return "failed"
        delay = exc.retry_after if exc.retry_after is not None else min(2**row.attempts, MAX_BACKOFF_SECONDS)
        row.next_attempt_at = now + timedelta(seconds=max(0.5, float(delay)))
        row.error, row.error_code = str(exc)[:500], str(getattr(exc, "code", "") or "")[:20]
        row.save(update_fields=["attempts", "next_attempt_at", "error", "error_code"])
        return "retry"
    except PermanentError as exc:
        if exc.code == WINDOW_CLOSED:  # the window closed while it waited: held, like one queued late
            _hold(row, str(exc))
            return "failed"
        _fail(row, connection, identity, exc)
        if isinstance(exc, RecipientGone):  # blocked, deleted: nothing more goes to them (their later lines neither)
            from messaging.subscriptions import identity_gone

            identity_gone(agency=agency, identity=identity, code=str(exc.code or ""))
        return "failed"
    row.state = OutboundMessage.State.SENT
    row.provider_message_id = (provider_id or "")[:200]
    row.sent_at = row.state_changed_at = timezone.now()
    row.error = ""
    row.save(update_fields=["state", "provider_message_id", "sent_at", "state_changed_at", "attempts", "error"])
    return sent


def _identity_move(agency: Agency, identity: ChannelIdentity, moved_to: str) -> bool:
    """The person's chat moved to `moved_to` (a Telegram group that became a supergroup): their identity takes
    the new address (audited), unless another identity of the agency has it already (then False: not sent)."""
    moved_to = moved_to[:200]
    if not moved_to or moved_to == identity.external_id:
        return False
    taken = ChannelIdentity.objects.for_agency(agency).filter(kind=identity.kind, external_id=moved_to).exists()
    if taken:
        return False
    identity.external_id = moved_to
    identity.full_clean()
    identity.save(update_fields=["external_id", "updated_at"])
    return True


def _sent_mark(row: OutboundMessage) -> str:
    return f"msg:sent:a{row.agency_id}:{row.connection_id}:{row.dedupe_key}"


def sent_mark_clear(row: OutboundMessage) -> None:
    """The row goes out again as a new try (the provider accepted it, then reported it failed): forget its mark."""
    try:
        cache.delete(_sent_mark(row))
    except Exception:  # noqa: BLE001 - without Redis there is no mark to forget
        logger.warning("Could not clear the send mark of outbound message %s", row.pk)


def _sent_mark_get(mark: str) -> str | None:
    """The provider's id of a row whose send was accepted before a commit that never came, else None."""
    try:
        return cache.get(mark)
    except Exception:  # noqa: BLE001 - without Redis: at least once, as before the marks
        return None


def _sent_mark_set(mark: str, provider_id: str | None) -> None:
    try:
        cache.set(mark, provider_id or "", timeout=settings.MESSAGING_SENT_MARK_SECONDS)
    except Exception:  # noqa: BLE001 - the send stands; only a kill before the commit would repeat it
        logger.warning("Could not record the send of %s in Redis", mark)


def _hold(row: OutboundMessage, reason: str, *, code: str = "") -> None:
    row.state, row.state_changed_at = OutboundMessage.State.HELD, timezone.now()
    row.error_code = code[:20]
    row.error = f"Outside the 24-hour window: waiting for the person to write again or for staff to decide. ({reason})"[
        :500
    ]
    row.save(update_fields=["state", "state_changed_at", "error", "error_code", "attempts"])


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
    row.error_code = str(getattr(exc, "code", "") or "")[:20]
    row.save(update_fields=["state", "state_changed_at", "error", "error_code", "attempts"])
    connection_error_record(
        connection=connection,
        code=getattr(exc, "code", "") or "failed",
        message=str(exc),
        recipient=identity.external_id,
    )
