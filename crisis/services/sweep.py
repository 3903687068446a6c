"""Beat's repair of the alert outbox: rows whose lease ran out (a killed worker's) go back to the queue marked
in doubt, and sending alerts whose fan-out or senders were lost are started again. Safe to repeat."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from crisis.models import Alert, Delivery
from crisis.services.delivery import alert_finish_if_done, senders_start
from tenants.context import agency_context, cross_agency


def deliveries_sweep(*, now=None) -> dict:
    """Beat: expired leases (a killed worker's rows) go back to the queue; sending alerts whose fan-out or
    senders were lost are started again. Both are safe to repeat."""
    now = now or timezone.now()
    # unscoped: the sweep looks across agencies for stuck work, then acts per agency below
    with cross_agency(reason="beat: expired delivery leases and sending alerts of every agency"):
        released = (
            Delivery.objects.unscoped()  # unscoped: beat sweeps expired leases of all agencies
            .filter(status=Delivery.Status.SENDING, lease_until__lt=now)
            .update(status=Delivery.Status.QUEUED, lease_until=None, in_doubt=True)
        )
        # unscoped: as above
        alerts = Alert.objects.unscoped()  # unscoped: beat checks sending alerts of all agencies
        sending = list(alerts.filter(status=Alert.Status.SENDING).select_related("agency"))
    restarted = 0
    for alert in sending:
        with agency_context(alert.agency):
            restarted += _sweep_alert(alert=alert, now=now)
    return {"released": released, "restarted": restarted}


def _sweep_alert(*, alert: Alert, now) -> int:
    from crisis.services.alerts import _queue_fan_out

    agency = alert.agency
    if alert.fanned_out_at is None:
        if alert.sent_at and alert.sent_at < now - timedelta(minutes=1):
            _queue_fan_out(agency.pk, alert.pk)
            return 1
        return 0
    if alert_finish_if_done(agency=agency, alert_id=alert.pk):
        return 0
    due = Delivery.objects.for_agency(agency).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), alert=alert, status=Delivery.Status.QUEUED
    )
    in_flight = Delivery.objects.for_agency(agency).filter(
        alert=alert, status=Delivery.Status.SENDING, lease_until__gte=now
    )
    if due.exists() and not in_flight.exists():
        senders_start(agency=agency, alert=alert)
        return 1
    return 0
