"""Alerts on the messaging channels (WhatsApp, Telegram, Messenger, SMS conversations): handed to the messaging
app's outbox, which keeps those providers' limits, windows and templates."""

from __future__ import annotations

from django.utils import timezone

from crisis.models import Delivery, Subscription
from crisis.services.failures import Skipped
from tenants.models import Agency


def send_messaging(*, agency: Agency, row: Delivery, subscription: Subscription, text: str) -> str:
    """Hand the alert to the messaging app's outbox for the person behind the conversation. Its dedupe key is
    the delivery's: a repeated hand-over (a killed worker's row swept back) queues nothing twice."""
    from messaging.models import ChannelIdentity, OutboundMessage
    from messaging.outbox import outbound_queue
    from messaging.providers.base import Outgoing

    identity = (
        ChannelIdentity.objects.for_agency(agency)
        .filter(conversation_id=subscription.address, kind=row.channel)
        .first()
    )
    if identity is None:
        raise Skipped(Delivery.SkipReason.NO_ADDRESS, "the conversation has no messaging identity any more")
    if identity.opted_out:
        Subscription.objects.for_agency(agency).filter(pk=subscription.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=identity.opted_out_at or timezone.now()
        )
        raise Skipped(Delivery.SkipReason.OPTED_OUT, "the person sent STOP on this channel")
    outgoing = Outgoing(recipient=identity.external_id, text=text, last_inbound_at=identity.last_inbound_at)
    key = f"alert:{row.pk}"
    written = outbound_queue(
        agency_id=agency.pk,
        identity=identity,
        outgoing=outgoing,
        dedupe_key=key,
        purpose=OutboundMessage.Purpose.ALERT,
        conversation_id=identity.conversation_id,
    )
    if not written and not OutboundMessage.objects.for_agency(agency).filter(dedupe_key__startswith=f"{key}:").exists():
        raise Skipped(Delivery.SkipReason.NO_CHANNEL, f"no active {row.channel} connection")
    return key
