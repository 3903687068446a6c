"""The alert outbox's senders. Each delivery row is claimed with a lease (committed) before it is sent and
marked sent right after, one row at a time; a worker killed in between leaves its rows leased, and the sweep
puts them back once the lease runs out, marked in doubt. An in-doubt text is first looked up in the SMS gateway's
message list, an in-doubt e-mail in Postmark's outbound message search (`CRISIS_EMAIL_PROVIDER=postmark`, by the
delivery's outbox id in the message's metadata), and sent only when the provider does not have it: exactly once.
Over SMTP an in-doubt e-mail cannot be looked up and is resent with the same `Message-ID` (at least once).

Providers' rate limits are kept across all workers by a per-second counter in Redis (`CRISIS_RATE_LIMITS`).
Transient failures are retried with exponential backoff up to `MAX_ATTEMPTS`; permanent ones (a refused
address, a rejected number) fail the row at once and mark the subscription so no later alert tries it."""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import timedelta

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from crisis.messages import alert_links, render_alert
from crisis.models import MESSAGING_CHANNELS, Alert, Delivery, Subscription
from crisis.services.email_out import email_already_accepted, postmark_enabled, send_postmark
from crisis.services.failures import PermanentFailure, Skipped
from crisis.services.messaging_out import send_messaging
from crisis.services.sms_out import _send_sms, _sms_already_accepted, _sms_route
from requests_app.services.notify import absolute
from tenants.models import Agency

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
BACKOFF_BASE_S = 30
CLAIM_BATCH = 50
SENDER_BUDGET_S = 50.0
FAN_OUT_WAIT_S = 0.5
SENT_MARK_BATCH, SENT_MARK_SECONDS = 10, 1.0


def _rate_key(channel: str, second: int, sender: str = "") -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:crisis:rate:{channel}:{sender}:{second}"


def rate_take(channel: str, sender: str = "") -> None:
    """Wait until `channel`'s provider may take one more message this second from `sender` (all workers together).
    Texts count per sending number (Twilio's rate is a number's: an agency with its own SMS account does not wait
    for another agency's broadcast; the agencies on the installation's gateway share its number and its rate)."""
    limit = settings.CRISIS_RATE_LIMITS.get(channel)
    if not limit:
        return
    client = cache._cache.get_client(write=True)
    while True:
        now = time.time()
        second = int(now)
        key = _rate_key(channel, second, sender)
        count = client.incr(key)
        if count == 1:
            client.expire(key, 5)
        if count <= limit:
            return
        time.sleep(max(0.0, second + 1 - now))


def senders_start(*, agency: Agency, alert: Alert, channels: list[str] | None = None) -> None:
    """Queue `CRISIS_SENDERS_PER_CHANNEL` sender tasks per channel: `channels` (the fan-out starts them after its
    first chunk, for every channel of the alert that has subscribers), else those with queued rows."""
    from crisis.tasks import deliveries_send_task

    if channels is None:
        channels = (
            Delivery.objects.for_agency(agency)
            .filter(alert=alert, status=Delivery.Status.QUEUED)
            .values_list("channel", flat=True)
            .distinct()
        )
    else:
        subscribed = set(
            Subscription.objects.for_agency(agency)
            .filter(channel__in=channels, confirmed_at__isnull=False)
            .values_list("channel", flat=True)
            .distinct()
        )
        channels = [c for c in channels if c in subscribed]
    for channel in channels:
        for _n in range(settings.CRISIS_SENDERS_PER_CHANNEL):
            deliveries_send_task.delay(agency_id=agency.pk, alert_id=alert.pk, channel=channel)


def _fanning_out(*, agency: Agency, alert_id: int) -> bool:
    return Alert.objects.for_agency(agency).filter(pk=alert_id, fanned_out_at__isnull=True).exists()


def _claim(*, agency: Agency, alert_id: int, channel: str, limit: int) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.for_agency(agency)
            .filter(alert_id=alert_id, channel=channel, status=Delivery.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Delivery.objects.for_agency(agency).filter(pk__in=ids).update(
                status=Delivery.Status.SENDING,
                lease_until=now + timedelta(seconds=settings.CRISIS_LEASE_SECONDS),
                attempts=F("attempts") + 1,
            )
    return ids


class _Sender:
    """What one sender task keeps between messages: the SMTP connection (opened once, not per message),
    one HTTP client (kept-alive connections to the SMS gateway or Postmark), the SMS route and the alert's links
    (resolved once per task, not per row)."""

    def __init__(self, *, agency: Agency, alert: Alert, channel: str):
        self.agency, self.alert, self.channel = agency, alert, channel
        self.email = None
        self.http = None
        self.sms_route = None
        self.links = alert_links(agency, alert)
        self.status_prefix = absolute(
            reverse("crisis:sms-status", kwargs={"agency_slug": agency.slug, "delivery_id": 0})
        )[: -len("0/")]
        if channel == "email" and postmark_enabled():
            self.http = httpx.Client(timeout=10.0)
        elif channel == "email":
            self.email = get_connection()
            try:
                self.email.open()
            except OSError as exc:  # each send tries again and fails its row transiently
                logger.warning("SMTP connection failed: %s", exc)
        elif channel == "sms":
            self.http = httpx.Client(timeout=10.0)
            self.sms_route = _sms_route(agency)

    def status_url(self, delivery_id: int) -> str:
        """Where the gateway reports the text's delivery state (`crisis.public_views.sms_status`)."""
        return f"{self.status_prefix}{delivery_id}/"

    def close(self) -> None:
        if self.email is not None:
            self.email.close()
        if self.http is not None:
            self.http.close()


def deliveries_send(*, agency: Agency, alert_id: int, channel: str, budget_s: float = SENDER_BUDGET_S) -> int:
    """Send the alert's queued deliveries on one channel for up to `budget_s`; then hand over to a new task
    if some are left (a task never holds a worker for long). Returns how many were sent."""
    alert = Alert.objects.for_agency(agency).filter(pk=alert_id).first()
    if alert is None:
        return 0
    started, sent = time.monotonic(), 0
    sender = _Sender(agency=agency, alert=alert, channel=channel)
    marks = _SentMarks(agency)
    try:
        while time.monotonic() - started < budget_s:
            ids = _claim(agency=agency, alert_id=alert_id, channel=channel, limit=CLAIM_BATCH)
            if not ids and _fanning_out(agency=agency, alert_id=alert_id):
                time.sleep(FAN_OUT_WAIT_S)  # started after the fan-out's first chunk: its next rows are coming
                continue
            if not ids:
                break
            rows = list(
                Delivery.objects.for_agency(agency).filter(pk__in=ids).select_related("subscription").order_by("pk")
            )
            stopped = _numbers_opted_out(agency=agency, rows=rows) if channel == "sms" else set()
            for row in rows:
                sent += marks.add(row, _deliver(sender=sender, row=row, stopped=stopped))
            marks.flush()
    finally:
        marks.flush()
        sender.close()
    if not alert_finish_if_done(agency=agency, alert_id=alert_id) and time.monotonic() - started >= budget_s:
        from crisis.tasks import deliveries_send_task

        deliveries_send_task.delay(agency_id=agency.pk, alert_id=alert_id, channel=channel)
    return sent


class _SentMarks:
    """Rows the provider took, marked `sent` together: one UPDATE for up to `SENT_MARK_BATCH` rows or
    `SENT_MARK_SECONDS`, instead of one autocommit UPDATE (three round trips with the scope) per message. Until
    then a row stays leased; a worker killed in between leaves it in doubt, as one killed between the provider's
    answer and a single row's update did: looked up before any resend (SMS, Postmark), resent over SMTP."""

    def __init__(self, agency: Agency):
        self.agency, self.rows, self.first = agency, [], 0.0

    def add(self, row: Delivery, provider_id: str | None) -> int:
        if provider_id is None:
            return 0
        row.status, row.sent_at, row.lease_until = Delivery.Status.SENT, timezone.now(), None
        row.provider_id, row.error, row.in_doubt = provider_id[:100], "", False
        if not self.rows:
            self.first = time.monotonic()
        self.rows.append(row)
        if len(self.rows) >= SENT_MARK_BATCH or time.monotonic() - self.first >= SENT_MARK_SECONDS:
            self.flush()
        return 1

    def flush(self) -> None:
        if self.rows:
            # still ours: a receipt that came first (delivered) is not overwritten
            Delivery.objects.for_agency(self.agency).filter(status=Delivery.Status.SENDING).bulk_update(
                self.rows, ["status", "sent_at", "lease_until", "provider_id", "error", "in_doubt"]
            )
            self.rows = []


def _numbers_opted_out(*, agency: Agency, rows: list[Delivery]) -> set[str]:
    """The numbers of a claimed batch that sent STOP to the agency (one query per batch, read after the
    claim, so a STOP that arrived before the claim is honoured)."""
    from messaging.models import ChannelIdentity

    numbers = [row.subscription.address for row in rows]
    return set(
        ChannelIdentity.objects.for_agency(agency)
        .filter(kind="sms", external_id__in=numbers, opted_out=True)
        .values_list("external_id", flat=True)
    )


def _deliver(*, sender: _Sender, row: Delivery, stopped: set[str] = frozenset()) -> str | None:
    """Send one row's message; the provider's id for it (the caller marks the row sent), or None when it failed
    (the row is marked here: retried with backoff, or failed for good)."""
    agency, alert = sender.agency, sender.alert
    subscription = row.subscription
    message = render_alert(
        agency=agency, alert=alert, subscription=subscription, channel=row.channel, links=sender.links
    )
    if row.channel not in MESSAGING_CHANNELS:  # the messaging app's outbox keeps those providers' limits
        rate_take(row.channel, sender.sms_route[3] if row.channel == "sms" and sender.sms_route else "")
    if subscription.unsubscribed_at is not None or subscription.rejected_at is not None:
        # Ended after the fan-out wrote its row (STOP to the alerts number, the e-mail's unsubscribe link, the word
        # in chat) and read after the claim: a long broadcast must not keep texting someone who said stop.
        _skip(
            agency=agency, row=row, reason=Delivery.SkipReason.ENDED, detail="the subscription ended before it went out"
        )
        return None
    try:
        if row.channel == "sms" and subscription.address in stopped:
            Subscription.objects.for_agency(agency).filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
                unsubscribed_at=timezone.now()
            )
            raise Skipped(Delivery.SkipReason.OPTED_OUT, "the number sent STOP")
        provider_id = None
        if row.in_doubt and row.channel == "sms":
            provider_id = _sms_already_accepted(sender=sender, row=row, to=subscription.address, body=message.body)
        elif row.in_doubt and row.channel == "email" and sender.http is not None:
            provider_id = email_already_accepted(sender=sender, row=row, to=subscription.address, key=_key(row))
        if provider_id is None:
            provider_id = _send(sender=sender, row=row, subscription=subscription, message=message)
    except Skipped as skipped:
        _skip(agency=agency, row=row, reason=skipped.reason, detail=str(skipped))
        return None
    except PermanentFailure as exc:
        _fail(agency=agency, row=row, error=str(exc), permanent=True)
        Subscription.objects.for_agency(agency).filter(pk=subscription.pk, rejected_at__isnull=True).update(
            rejected_at=timezone.now()
        )
        return None
    except Exception as exc:  # noqa: BLE001 - a transient failure: retried with backoff
        logger.warning("Delivery %s (%s) failed: %s", row.pk, row.channel, exc)
        _fail(agency=agency, row=row, error=str(exc) or exc.__class__.__name__, permanent=False)
        return None
    return provider_id


def _fail(*, agency: Agency, row: Delivery, error: str, permanent: bool) -> None:
    final = permanent or row.attempts + 1 >= MAX_ATTEMPTS  # `attempts` was read before the claim's increment
    delay = timedelta(seconds=BACKOFF_BASE_S * 2 ** min(row.attempts, 8))
    Delivery.objects.for_agency(agency).filter(pk=row.pk).update(
        status=Delivery.Status.FAILED if final else Delivery.Status.QUEUED,
        permanent=permanent,
        error=error[:300],
        lease_until=None,
        next_attempt_at=None if final else timezone.now() + delay,
    )


def _skip(*, agency: Agency, row: Delivery, reason: str, detail: str) -> None:
    """Nothing is sent to this row's subscriber, by design: counted as skipped, with the reason, not as a failure."""
    Delivery.objects.for_agency(agency).filter(pk=row.pk).update(
        status=Delivery.Status.SKIPPED,
        skip_reason=reason,
        permanent=False,
        error=f"not sent: {detail}"[:300],
        lease_until=None,
        next_attempt_at=None,
    )


def _key(row: Delivery) -> str:
    """The delivery's outbox id, sent with every attempt: the SMS gateway's `Idempotency-Key`, the e-mail's
    `Message-ID` and its Postmark metadata."""
    return f"civicdesk-delivery-{row.pk}"


def _send(*, sender: _Sender, row: Delivery, subscription: Subscription, message) -> str:
    agency = sender.agency
    key = _key(row)
    if row.channel == "email" and sender.http is not None:
        return send_postmark(sender=sender, to=subscription.address, message=message, key=key)
    if row.channel == "email":
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[subscription.address],
            headers={
                "Message-ID": f"<{key}@{settings.CRISIS_MESSAGE_DOMAIN}>",
                "List-Unsubscribe": f"<{message.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            connection=sender.email,
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"address refused: {exc.recipients}") from exc
        return key
    if row.channel == "sms":
        key = f"{key}-r{row.retries}" if row.retries else key  # a new try after a text that was not delivered
        return _send_sms(sender=sender, to=subscription.address, body=message.body, key=key, delivery_id=row.pk)
    if row.channel in MESSAGING_CHANNELS:
        return send_messaging(agency=agency, row=row, subscription=subscription, text=message.body)
    if row.channel == "chat":
        from chat.services import system_message_post

        posted = system_message_post(agency=agency, conversation_id=subscription.address, text=message.body)
        if posted is None:
            raise Skipped(Delivery.SkipReason.NO_ADDRESS, "the conversation no longer exists")
        return str(posted.pk)
    raise PermanentFailure(f"no provider for channel {row.channel}")


def alert_finish_if_done(*, agency: Agency, alert_id: int) -> bool:
    """Mark a sending alert sent once no delivery is queued or in flight. True when it is done."""
    pending = Delivery.objects.for_agency(agency).filter(
        alert_id=alert_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    if pending.exists():
        return False
    # Outbox bookkeeping (see alert_fan_out).
    Alert.objects.for_agency(agency).filter(
        pk=alert_id, status=Alert.Status.SENDING, fanned_out_at__isnull=False
    ).update(status=Alert.Status.SENT)
    return True
