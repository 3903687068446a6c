"""Celery tasks of crisis mode and alerts: thin, each loads by id and calls a service."""

from celery import shared_task

from core.tasks import AgencyTask
from crisis import services


@shared_task(base=AgencyTask, name="crisis.alert_fan_out", acks_late=True)
def alert_fan_out_task(*, agency, alert_id: int) -> int:
    return services.alert_fan_out(agency=agency, alert_id=alert_id)


@shared_task(base=AgencyTask, name="crisis.deliveries_send", acks_late=True)
def deliveries_send_task(*, agency, alert_id: int, channel: str) -> int:
    return services.deliveries_send(agency=agency, alert_id=alert_id, channel=channel)


@shared_task(name="crisis.sweep")
def crisis_sweep() -> dict:
    """Beat, every 20 s: crisis mode past its end time turns off, scheduled alerts go out, stuck deliveries
    (a killed worker's) are resumed, subscribed CAP feeds are polled when due."""
    ended = services.crisis_end_due()
    dispatched = services.alerts_dispatch_due()
    swept = services.deliveries_sweep()
    polled = services.cap_feeds_poll_due()
    return {"ended": ended, "dispatched": dispatched, "polled": polled, **swept}
