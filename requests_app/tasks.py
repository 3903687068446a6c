"""Celery tasks: thin wrappers that load by id and call a service. All are safe to retry."""

import logging

from celery import shared_task
from django.utils import timezone

from core.tasks import AgencyTask
from requests_app.selectors import service_requests_unrouted
from requests_app.services import (
    ROUTE_BATCH,
    notifications_deliver_run,
    route_pending_claim,
    service_request_route,
    service_requests_route,
    sla_mark_breaches,
)

logger = logging.getLogger(__name__)
RETRY = {"autoretry_for": (Exception,), "retry_backoff": 2, "retry_backoff_max": 300, "max_retries": 8}
SWEEP_SECONDS = 300  # the SLA sweep's period (portal/settings.py, CELERY_BEAT_SCHEDULE)


def _deliver(agency, **scope) -> int:
    """A delivery run. A send that fails is recorded on its row and tried again on the row's schedule: not by
    retrying this task (which would spend the row's attempts within minutes). A retry due before the next sweep
    gets a run of its own then; later ones are the sweep's."""
    run = notifications_deliver_run(agency=agency, **scope)
    if run.next_due is not None:
        wait = max(1.0, (run.next_due - timezone.now()).total_seconds() + 1)
        if wait < SWEEP_SECONDS:
            try:
                deliver_notifications.apply_async(kwargs={"agency_id": agency.pk}, countdown=wait)
            except Exception:
                logger.exception("Could not queue the retry of agency %s's notifications; the sweep will", agency.pk)
    return run.sent


@shared_task(base=AgencyTask, name="requests_app.route_service_request", **RETRY)
def route_service_request(*, agency, request_id: int) -> bool:
    result = service_request_route(agency=agency, request_id=request_id)
    # Deliver what this run queued, or whatever a failed earlier run left pending.
    if result.notifications or not result.routed:
        _deliver(agency, request_id=request_id)
    return result.routed


@shared_task(base=AgencyTask, name="requests_app.route_pending", **RETRY)
def route_pending(*, agency) -> int:
    """Route every request of the agency still waiting, in batches, and send their emails.

    Filing schedules this once per agency while a run is pending (`route_soon`), so a burst of
    reports costs one task per batch, not one per report. The claim is given up before reading:
    a report committed from then on schedules the next run, and one committed before is read here."""
    route_pending_claim(agency_id=agency.pk)
    routed = 0
    while True:
        batch = service_requests_route(agency=agency, limit=ROUTE_BATCH)
        routed += len(batch.routed)
        if batch.notifications:
            _deliver(agency, request_ids=batch.routed, limit=10 * ROUTE_BATCH)
        if len(batch.routed) < ROUTE_BATCH:
            break
    if not routed:
        _deliver(agency)  # a retry: send what is due
    return routed


@shared_task(base=AgencyTask, name="requests_app.deliver_notifications", **RETRY)
def deliver_notifications(*, agency, request_id: int | None = None, notification_ids: list[int] | None = None) -> int:
    if notification_ids is not None:
        return _deliver(agency, notification_ids=[int(pk) for pk in notification_ids])
    return _deliver(agency, request_id=request_id)


@shared_task(base=AgencyTask, name="requests_app.sla_check", **RETRY)
def sla_check(*, agency) -> int:
    """Every few minutes (beat): mark SLA breaches, send what is pending, and route any request whose
    routing task was lost (e.g. a broker restarted without persistence)."""
    breached = sla_mark_breaches(agency=agency)
    _deliver(agency)
    if service_requests_unrouted(agency=agency):
        route_pending.delay(agency_id=agency.pk)
    return len(breached)


@shared_task(name="requests_app.sla_check_all")
def sla_check_all() -> int:
    """Beat entry point: one `sla_check` per active agency (each runs in its own agency scope)."""
    from tenants.models import Agency

    ids = list(Agency.objects.filter(is_active=True).values_list("pk", flat=True))
    for agency_id in ids:
        sla_check.delay(agency_id=agency_id)
    return len(ids)
