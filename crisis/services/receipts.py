"""Delivery receipts: a provider's status callback for one alert message moves its delivery row to
`delivered` (the handset has it) or `failed` (the carrier gave up). Only the channels whose provider reports
this do: SMS through the Twilio-style gateway (`StatusCallback`). E-mail has no receipt here, and the
messaging apps' receipts stay on the messaging outbox's rows."""

from __future__ import annotations

from django.utils import timezone

from crisis.models import Delivery
from tenants.models import Agency

# Twilio's MessageStatus values that end a message's journey (queued, sending, sent: nothing to record).
DELIVERED = {"delivered", "read"}
UNDELIVERED = {"undelivered", "failed"}


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
    if status in UNDELIVERED:
        # Not retried: the provider took the message once; sending it again could reach the person twice.
        return bool(
            rows.filter(status__in=[Delivery.Status.SENDING, Delivery.Status.SENT]).update(
                status=Delivery.Status.FAILED,
                permanent=False,
                lease_until=None,
                error=(f"not delivered: {error}" if error else "not delivered")[:300],
            )
        )
    return False


def delivery_exists(*, agency: Agency, delivery_id: int) -> bool:
    return Delivery.objects.for_agency(agency).filter(pk=delivery_id).exists()
