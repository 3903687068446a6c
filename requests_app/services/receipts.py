"""What happens to an outbox text after Twilio took it: its status callbacks (`StatusCallback`, one URL per row:
`…/a/<slug>/requests/sms/status/<notification id>/`) say `sent` (handed to the carrier), then `delivered`,
`undelivered` or `failed` with an `ErrorCode` (30003 the phone cannot be reached, 30006 a landline, 30007
filtered, …; `messaging.twilio_errors.DELIVERY_CODES`). The row records the furthest state it reached: callbacks
come more than once and out of order, so a late `sent` never undoes `delivered`, and the first final word stays.

A text not delivered for a passing reason (`twilio_errors.DELIVERY_RETRY`: 30001 queue overflow, 30003 phone
unreachable, 30008 unknown, 30009 missing segment, 30022 rate limit) goes back through the outbox as a new try:
the row is unsent again and due after `NOTIFICATION_DELIVERY_RETRY_SECONDS` (doubling), at most
`NOTIFICATION_DELIVERY_RETRIES` times; the try that failed is kept in `earlier_deliveries`. Exactly once: only the
first final word about the row's current message can do that (a repeat names an earlier message: nothing), a
`delivered` for an earlier message that comes before the new try went out cancels the new try, and a row that was
delivered is never sent again. Any other failure, or the last allowed one, is final: the row stays sent and not
delivered, and staff see why on the outbox page."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from messaging.twilio_errors import delivery_error_retried
from requests_app.models import Notification
from requests_app.models.service_requests import DeliveryStatus
from requests_app.services.delivery import RETRY_MAX_SECONDS
from tenants.models import Agency

logger = logging.getLogger(__name__)

# Twilio's MessageStatus -> ours (queued, accepted, scheduled, sending, canceled: nothing to record).
STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.UNDELIVERED,
    "failed": DeliveryStatus.FAILED,
}
RANK = {
    "": 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.UNDELIVERED: 2,
    DeliveryStatus.FAILED: 2,
}
NOT_DELIVERED = (DeliveryStatus.UNDELIVERED, DeliveryStatus.FAILED)


def status_callback_url(row: Notification) -> str:
    """The StatusCallback given to Twilio with `row`'s text (and the URL its callbacks are signed over)."""
    path = reverse("requests:sms-status", kwargs={"agency_slug": row.agency.slug, "notification_id": row.pk})
    return settings.NOTIFICATION_STATUS_CALLBACK_BASE_URL + path


def sms_callback_tokens(agency: Agency) -> list[str]:
    """The auth tokens a status callback for the agency's texts may be signed with: its own SMS connection's
    (what its texts go out on) and the installation's gateway's (texts sent before the agency connected its
    own account)."""
    from requests_app.services.delivery_sms import sms_connection

    connection = sms_connection(agency)
    tokens = [connection.secret("auth_token")] if connection is not None else []
    if settings.SMS_AUTH_TOKEN:
        tokens.append(settings.SMS_AUTH_TOKEN)
    return [token for token in tokens if token]


@transaction.atomic
def notification_delivery_record(
    *, agency: Agency, notification_id: int, provider_id: str, status: str, error_code: str = ""
) -> bool | None:
    """Record Twilio's `status` for the agency's text `notification_id`, which must carry `provider_id` (the
    MessageSid Twilio answered its send with) or have carried it on an earlier try. None when the agency has no
    such text (another agency's row, another message's sid); True when the row changed, False for a callback that
    adds nothing (a repeat, a late `sent`, a status not recorded, a word about an earlier try).

    The row is locked first: a callback can arrive while the delivery run that sent the text has not yet
    committed its sid, and then waits for that commit instead of missing the row."""
    row = (
        Notification.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(pk=notification_id, channel=Notification.Channel.SMS)
        .defer("body", "html_body")
        .first()
    )
    sid = (provider_id or "")[:64]
    if row is None or not sid:
        return None
    new = STATUSES.get(status)
    if row.provider_id != sid:
        earlier = next((entry for entry in row.earlier_deliveries or [] if entry.get("sid") == sid), None)
        if earlier is None:
            return None
        return _earlier_try_delivered(row, earlier) if new == DeliveryStatus.DELIVERED else False
    if new is None or RANK[new] <= RANK.get(row.delivery_status, 0):
        return False
    now = timezone.now()
    code = (error_code or "").strip()
    if new in NOT_DELIVERED and delivery_error_retried(code) and _may_retry(row):
        _send_again(agency, row, status=new, code=code, now=now)
        return True
    row.delivery_status, row.delivery_status_at = new, now
    row.delivery_error = f"twilio:{code}"[:40] if new in NOT_DELIVERED and code.isdigit() else ""
    # Not audited (see the model): a plain save of the delivery fields.
    row.save(update_fields=["delivery_status", "delivery_status_at", "delivery_error"])
    return True


def _may_retry(row: Notification) -> bool:
    return row.delivery_retries < max(0, settings.NOTIFICATION_DELIVERY_RETRIES) and row.given_up_at is None


def delivery_retry_delay(retries: int) -> timedelta:
    """The wait before the `retries`-th sending again of a text that was not delivered (1, 2, …)."""
    base = max(1, settings.NOTIFICATION_DELIVERY_RETRY_SECONDS)
    return timedelta(seconds=min(base * 2 ** min(max(retries - 1, 0), 20), RETRY_MAX_SECONDS))


def _send_again(agency: Agency, row: Notification, *, status: str, code: str, now) -> None:
    """The row's message was not delivered for a passing reason: keep that try, and queue the row again."""
    row.earlier_deliveries = [
        *(row.earlier_deliveries or []),
        {
            "sid": row.provider_id,
            "status": status,
            "error": f"twilio:{code}",
            "sent_at": row.sent_at.isoformat() if row.sent_at else "",
            "at": now.isoformat(),
        },
    ]
    row.delivery_retries += 1
    row.next_attempt_at = now + delivery_retry_delay(row.delivery_retries)
    row.sent_at, row.provider_id = None, ""
    row.delivery_status, row.delivery_error, row.delivery_status_at = "", "", None
    row.error_code, row.last_attempt_at = f"twilio:{code}"[:40], now
    row.last_error = f"Twilio: {status}, error {code} (the text was accepted, then not delivered)"[:300]
    row.save(
        update_fields=[
            "earlier_deliveries",
            "delivery_retries",
            "next_attempt_at",
            "sent_at",
            "provider_id",
            "delivery_status",
            "delivery_error",
            "delivery_status_at",
            "error_code",
            "last_attempt_at",
            "last_error",
        ]
    )
    _deliver_at(agency, row.next_attempt_at)


def _earlier_try_delivered(row: Notification, earlier: dict) -> bool:
    """A `delivered` for a try already counted as not delivered (the receipts crossed). If the new try has not gone
    out, it is called off: the row is that try, delivered. If it has, nothing can be undone (False)."""
    if row.sent_at is not None or row.given_up_at is not None:
        return False
    now = timezone.now()
    sent_at = parse_datetime(earlier.get("sent_at") or "") or now
    row.earlier_deliveries = [entry for entry in row.earlier_deliveries if entry.get("sid") != earlier["sid"]]
    row.delivery_retries = max(0, row.delivery_retries - 1)
    row.sent_at, row.provider_id, row.next_attempt_at = sent_at, earlier["sid"], None
    row.delivery_status, row.delivery_error, row.delivery_status_at = DeliveryStatus.DELIVERED, "", now
    row.error_code, row.last_error = "", ""
    row.save(
        update_fields=[
            "earlier_deliveries",
            "delivery_retries",
            "sent_at",
            "provider_id",
            "next_attempt_at",
            "delivery_status",
            "delivery_error",
            "delivery_status_at",
            "error_code",
            "last_error",
        ]
    )
    return True


def _deliver_at(agency: Agency, due) -> None:
    """A delivery run of the agency when the row falls due (after commit); a retry due after the next SLA sweep is
    the sweep's (it sends what is due)."""
    from requests_app.tasks import SWEEP_SECONDS, deliver_notifications

    wait = max(1.0, (due - timezone.now()).total_seconds() + 1)
    if wait >= SWEEP_SECONDS:
        return

    def queue():
        try:
            deliver_notifications.apply_async(kwargs={"agency_id": agency.pk}, countdown=wait)
        except Exception:
            logger.exception("Could not queue the new try of agency %s's text; the sweep will", agency.pk)

    transaction.on_commit(queue)
