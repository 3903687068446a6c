"""What happens to an outbox text after Twilio took it: its status callbacks (`StatusCallback`, one URL per row:
`…/a/<slug>/requests/sms/status/<notification id>/`) say `sent` (handed to the carrier), then `delivered`,
`undelivered` or `failed` with an `ErrorCode` (30003 the phone cannot be reached, 30006 a landline, 30007
filtered, …; `messaging.twilio_errors.DELIVERY_CODES`). The row records the furthest state it reached: callbacks
come more than once and out of order, so a late `sent` never undoes `delivered`, and the first final word stays.
A text that was not delivered is not sent again on its own (a carrier's receipt can be wrong, and a second try
could reach the person twice): staff see it, and why, on the outbox page."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from requests_app.models import Notification
from requests_app.models.service_requests import DeliveryStatus
from tenants.models import Agency

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
    from requests_app.services.delivery import sms_connection

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
    MessageSid Twilio answered its send with). None when the agency has no such text (another agency's row,
    another message's sid); True when the row changed, False for a callback that adds nothing (a repeat, a
    late `sent`, a status not recorded).

    The row is locked first: a callback can arrive while the delivery run that sent the text has not yet
    committed its sid, and then waits for that commit instead of missing the row."""
    row = (
        Notification.objects.for_agency(agency)
        .select_for_update(of=("self",))
        .filter(pk=notification_id, channel=Notification.Channel.SMS)
        .only("pk", "provider_id", "delivery_status", "delivery_error", "delivery_status_at")
        .first()
    )
    if row is None or not provider_id or row.provider_id != provider_id[:64]:
        return None
    new = STATUSES.get(status)
    if new is None or RANK[new] <= RANK.get(row.delivery_status, 0):
        return False
    row.delivery_status, row.delivery_status_at = new, timezone.now()
    code = (error_code or "").strip()
    row.delivery_error = f"twilio:{code}"[:40] if new in NOT_DELIVERED and code.isdigit() else ""
    # Not audited (see the model): a plain save of the delivery fields.
    row.save(update_fields=["delivery_status", "delivery_status_at", "delivery_error"])
    return True
