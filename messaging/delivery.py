"""Sending the outbox's rows (Celery; the rows are written by `messaging.outbox`).

Rate limits: per connection (`Provider.rate_per_second`, counted in Redis per second, shared by all
workers) and per person (`Provider.rate_per_recipient_per_second` with a burst of RECIPIENT_BURST, a
sliding window over the rows sent to them); a row over a limit waits its turn. Transient errors back off
(2, 4, 8 … 300 s, or the provider's retry_after) for MAX_ATTEMPTS tries, then fail for good like permanent
errors (kept on the connection's last errors, shown to staff).

Exactly once: a row is claimed (`sending`, with a lease of MESSAGING_LEASE_SECONDS) in a committed transaction
before the provider is called, and its answer is recorded right after (first in Redis, `sent_mark_set`, then
on the row). Providers take no idempotency key for sends, so a worker killed while the call is in flight, or
after the answer and before the row's update, leaves the row `sending`; when its lease has run out the next
run does not send it again but settles it (`messaging.in_doubt`): the Redis mark, else the provider's own
record where it can be looked up (Twilio's message list), else `unknown`, for staff to check before sending
it again (the outbox page's "Send again", audited). Where the provider echoes a reference sent with the message
in its statuses (WhatsApp), the row and its try go with it, and the first status settles the row.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Subquery
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
        now = timezone.now()
        # Due rows, and rows whose worker died mid-send (their lease ran out): those are looked up, not resent.
        due = Q(state=OutboundMessage.State.PENDING, next_attempt_at__lte=now) | Q(
            state=OutboundMessage.State.SENDING, lease_until__lte=now
        )
        heads = (
            OutboundMessage.objects.for_agency(agency)
            .filter(due, connection=connection)
            .exclude(identity_id__in=busy)
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
    "locked" (another worker has them) or "throttled" (the connection's limit: nobody now).

    Two steps, so that no send is ever repeated blindly: the claim (the person's row lock, their oldest row
    `sending` with a lease) commits BEFORE the provider is called; the provider's answer is recorded after it,
    in its own statement. A worker killed in between leaves the row `sending`; once its lease has run out
    the next run finds it and asks the provider (`messaging.in_doubt`) instead of sending it again. While a
    live worker's lease runs, the person's later rows wait (their order)."""
    with transaction.atomic():
        identity = (
            ChannelIdentity.objects.for_agency(agency)
            .select_for_update(skip_locked=True)
            .filter(pk=identity_id)
            .first()
        )
        if identity is None:
            return "locked"
        claim = _claim(agency, connection, provider, identity)
    if isinstance(claim, str):
        return claim
    row, outcome = claim
    return _send_claimed(agency, connection, provider, identity, row, outcome)


def _claim(agency: Agency, connection: ChannelConnection, provider, identity: ChannelIdentity):
    """Inside the transaction that holds `identity`'s row lock: their oldest row, claimed (`sending`, leased) and
    returned with the outcome its send will have ("sent" or "more"), or an outcome string when nothing is to be
    sent now (a limit, a wait, a suppressed row, a row whose worker died: `messaging.in_doubt`)."""
    from messaging.in_doubt import lease_expired

    # The oldest two: the second says, with no other statement, whether the person has more to come. The
    # per-person window rides along as a subquery: the sent_at of the RECIPIENT_BURST-th newest send within
    # it (NULL: room for another send).
    now = timezone.now()
    rows = (
        OutboundMessage.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(
            connection=connection,
            identity=identity,
            state__in=[OutboundMessage.State.PENDING, OutboundMessage.State.SENDING],
        )
        # A line the provider accepted and then reported failed lost its place: waiting for its new try (up to a
        # day for WhatsApp's 131049), it does not hold up the person's later lines.
        .exclude(state=OutboundMessage.State.PENDING, retries__gt=0, next_attempt_at__gt=now)
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
    if row.state == OutboundMessage.State.SENDING:
        if row.lease_until is not None and row.lease_until > now:
            return "locked"  # a live worker is sending it: the person's next rows wait for its answer
        return lease_expired(agency, connection, provider, identity, row, sent)
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
    accepted = sent_mark_get(row)
    if accepted is not None:  # the provider took it before a worker died (the mark survived it): not sent again
        sent_record(agency, row, accepted, settled_by=OutboundMessage.SettledBy.MARK)
        return sent
    if not _rate_take(f"c{connection.pk}", max(1, int(provider.rate_per_second)), 1.0):
        return "throttled"  # the connection's second is used up: everyone waits for the next
    row.attempts += 1
    row.state, row.state_changed_at = OutboundMessage.State.SENDING, now
    row.lease_until = now + timedelta(seconds=settings.MESSAGING_LEASE_SECONDS)
    row.save(update_fields=["attempts", "state", "state_changed_at", "lease_until"])
    return row, sent


def _send_claimed(
    agency: Agency, connection: ChannelConnection, provider, identity: ChannelIdentity, row: OutboundMessage, sent: str
) -> str:
    """Call the provider for a claimed row (no transaction open) and record its answer."""
    from messaging.in_doubt import outbox_reference

    payload = provider.with_reference(row.payload, outbox_reference(row))  # a status names the row and try by it
    try:
        provider_id = provider.send(connection, payload, identity.external_id)
    except RecipientMoved as exc:  # the chat has a new address: the person's identity follows it, sent there now
        # Each in its own transaction: the move is audited (the audit chain's lock) and a failure locks the
        # connection's row (`connection_error_record`); holding both at once would take them in the opposite order
        # to other writers (an audited change, then an outbox row referencing the connection) and could deadlock.
        moved = row.attempts < MAX_ATTEMPTS and _identity_move(agency, identity, exc.moved_to)
        if not moved:
            _fail(row, connection, identity, exc)
            return "failed"
        _finish(agency, row, state=OutboundMessage.State.PENDING, error=str(exc)[:500], error_code=exc.code[:20])
        return "more"
    except TransientError as exc:
        if row.attempts >= MAX_ATTEMPTS:
            _fail(row, connection, identity, exc)
            return "failed"
        delay = exc.retry_after if exc.retry_after is not None else min(2**row.attempts, MAX_BACKOFF_SECONDS)
        _finish(
            agency,
            row,
            state=OutboundMessage.State.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=max(0.5, float(delay))),
            error=str(exc)[:500],
            error_code=str(getattr(exc, "code", "") or "")[:20],
        )
        return "retry"
    except PermanentError as exc:
        if exc.code == WINDOW_CLOSED:  # the window closed while it waited: held, like one queued late
            _hold(row, str(exc))
            return "failed"
        _fail(row, connection, identity, exc)
        if isinstance(exc, RecipientGone):  # blocked, deleted: nothing more goes to them (nor their later lines)
            from messaging.subscriptions import identity_gone

            with transaction.atomic():  # apart from `_fail`'s lock of the connection: see RecipientMoved above
                locked = ChannelIdentity.objects.for_agency(agency).select_for_update().get(pk=identity.pk)
                identity_gone(agency=agency, identity=locked, code=str(exc.code or ""))
        return "failed"
    sent_mark_set(row, provider_id)  # first: a kill before the next statement finds it there, not sent again
    sent_record(agency, row, provider_id)
    return sent


def _finish(agency: Agency, row: OutboundMessage, **fields) -> bool:
    """Record the end of a claimed row's send (its lease ends), unless it is no longer the claim's: a staff member
    or an expired lease's look-up decided about it meanwhile (then nothing changes). True when recorded."""
    fields.setdefault("lease_until", None)
    fields.setdefault("attempts", row.attempts)
    for name, value in fields.items():
        setattr(row, name, value)
    return bool(
        OutboundMessage.objects.for_agency(agency)
        .filter(pk=row.pk, state__in=[OutboundMessage.State.SENDING, OutboundMessage.State.UNKNOWN])
        .update(**fields)
    )


def sent_record(agency: Agency, row: OutboundMessage, provider_id: str | None, *, settled_by: str = "") -> None:
    """The provider has the row's message (its id `provider_id`): the row is `sent`. `settled_by`: how that was found
    after its worker died mid-send (`OutboundMessage.SettledBy`)."""
    now = timezone.now()
    _finish(
        agency,
        row,
        state=OutboundMessage.State.SENT,
        provider_message_id=(provider_id or "")[:200],
        sent_at=now,
        state_changed_at=now,
        error="",
        settled_by=settled_by,
    )


def _identity_move(agency: Agency, identity: ChannelIdentity, moved_to: str) -> bool:
    """The person's chat moved to `moved_to` (a Telegram group that became a supergroup): their identity takes
    the new address (audited), unless another identity of the agency has it already (then False: not sent)."""
    moved_to = moved_to[:200]
    if not moved_to or moved_to == identity.external_id:
        return False
    with transaction.atomic():
        taken = ChannelIdentity.objects.for_agency(agency).filter(kind=identity.kind, external_id=moved_to).exists()
        locked = ChannelIdentity.objects.for_agency(agency).select_for_update().filter(pk=identity.pk).first()
        if taken or locked is None:
            return False
        locked.external_id = moved_to
        locked.full_clean()
        locked.save(update_fields=["external_id", "updated_at"])
    identity.external_id = moved_to
    return True


def _sent_mark(row: OutboundMessage) -> str:
    return f"msg:sent:a{row.agency_id}:{row.connection_id}:{row.dedupe_key}"


def sent_mark_clear(row: OutboundMessage) -> None:
    """The row goes out again as a new try (the provider accepted it, then reported it failed): forget its mark."""
    try:
        cache.delete(_sent_mark(row))
    except Exception:  # noqa: BLE001 - without Redis there is no mark to forget
        logger.warning("Could not clear the send mark of outbound message %s", row.pk)


def sent_mark_get(row: OutboundMessage) -> str | None:
    """The provider's id of a row whose send was accepted before its worker died, else None."""
    try:
        return cache.get(_sent_mark(row))
    except Exception:  # noqa: BLE001 - without Redis: the lease's look-up or staff decide (`messaging.in_doubt`)
        return None


def sent_mark_set(row: OutboundMessage, provider_id: str | None) -> None:
    """Remember in Redis, at once, that the provider took the row: a worker killed before the row's update
    leaves this, and the row is recorded sent without asking the provider or staff."""
    try:
        cache.set(_sent_mark(row), provider_id or "", timeout=settings.MESSAGING_SENT_MARK_SECONDS)
    except Exception:  # noqa: BLE001 - the send stands; a kill before the row's update leaves it in doubt
        logger.warning("Could not record the send of outbound message %s in Redis", row.pk)


def _hold(row: OutboundMessage, reason: str, *, code: str = "") -> None:
    row.state, row.state_changed_at = OutboundMessage.State.HELD, timezone.now()
    row.error_code = code[:20]
    row.error = f"Outside the 24-hour window: waiting for the person to write again or for staff to decide. ({reason})"[
        :500
    ]
    row.lease_until = None
    row.save(update_fields=["state", "state_changed_at", "error", "error_code", "attempts", "lease_until"])


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
    row.lease_until = None
    row.save(update_fields=["state", "state_changed_at", "error", "error_code", "attempts", "lease_until"])
    connection_error_record(
        connection=connection,
        code=getattr(exc, "code", "") or "failed",
        message=str(exc),
        recipient=identity.external_id,
    )
