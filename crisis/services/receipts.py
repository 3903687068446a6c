"""Delivery receipts: a provider's status callback for one alert message moves its delivery row to
`delivered` (the handset has it) or `failed` (the carrier gave up). Only the channels whose provider reports
this do: SMS through the Twilio-style gateway (`StatusCallback`). E-mail has no receipt here, and the
messaging apps' receipts stay on the messaging outbox's rows.

A text not delivered for a passing reason (`messaging.twilio_errors.DELIVERY_RETRY`: 30001, 30003, 30008, 30009,
30022) goes back to the queue as a new try, as the notification outbox's texts do: after
`NOTIFICATION_DELIVERY_RETRY_SECONDS` (doubling), at most `NOTIFICATION_DELIVERY_RETRIES` times; the alert is sending
again until it has gone out. Only the row's current message can do that (its provider id is dropped), so a repeated
or late callback changes nothing, and a delivered row is never sent again."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crisis.models import Delivery
from messaging.twilio_errors import delivery_error_retried
from tenants.models import Agency

# Twilio's MessageStatus values that end a message's journey (queued, sending, sent: nothing to record).
DELIVERED = {"delivered", "read"}
UNDELIVERED = {"undelivered", "failed"}


@transaction.atomic
def delivery_receipt_record(
    *, agency: Agency, delivery_id: int, provider_id: str, status: str, error: str = ""
) -> bool:
    """Record the provider's word on one delivery. The row must be this agency's and carry the provider's id
    for it (a receipt for another message changes nothing). States only move forward: a late `sent` or a
    repeated callback is ignored. True when the row changed."""
    if not provider_id:
        return False
    rows = Delivery.objects.for_agency(agency).filter(pk=delivery_id, provider_id=provider_id[:100])
    if status in DELIVERED:
        return bool(
            rows.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.SENT]).update(
                status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), lease_until=None
            )
        )
    code = error.split(" ", 1)[0] if error else ""
    if status in UNDELIVERED and delivery_error_retried(code):
        row = (
            rows.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.SENT])
            .select_for_update()
            .only("pk", "retries", "alert_id")
            .first()
        )
        if row is not None and row.retries < max(0, settings.NOTIFICATION_DELIVERY_RETRIES):
            return _send_again(agency=agency, row=row, error=error)
    if status in UNDELIVERED:
        # Final: the carrier would refuse it again (or the new tries are used up).
        return bool(
            rows.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.SENT]).update(
                status=Delivery.Status.FAILED,
                permanent=False,
                lease_until=None,
                error=(f"not delivered: {error}" if error else "not delivered")[:300],
            )
        )
    return False


def _send_again(*, agency: Agency, row: Delivery, error: str) -> bool:
    """The text was not delivered for a passing reason: queued again, due after the wait, its alert sending again."""
    from crisis.models import Alert
    from crisis.tasks import deliveries_send_task
    from requests_app.services.receipts import delivery_retry_delay

    retries = row.retries + 1
    delay = delivery_retry_delay(retries)
    Delivery.objects.for_agency(agency).filter(pk=row.pk).update(
        status=Delivery.Status.QUEUED,
        retries=retries,
        provider_id="",
        lease_until=None,
        in_doubt=False,
        next_attempt_at=timezone.now() + delay,
        error=f"not delivered: {error} (sent again later)"[:300],
    )
    Alert.objects.for_agency(agency).filter(pk=row.alert_id, status=Alert.Status.SENT).update(
        status=Alert.Status.SENDING
    )
    alert_id, agency_id, wait = row.alert_id, agency.pk, delay.total_seconds() + 1
    transaction.on_commit(
        lambda: deliveries_send_task.apply_async(
            kwargs={"agency_id": agency_id, "alert_id": alert_id, "channel": "sms"}, countdown=wait
        )
    )
    return True


def delivery_exists(*, agency: Agency, delivery_id: int) -> bool:
    return Delivery.objects.for_agency(agency).filter(pk=delivery_id).exists()
