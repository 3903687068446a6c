"""Celery tasks: thin wrappers that load by id and call a service. All are safe to retry."""

from celery import shared_task

from portal.celery import AgencyTask
from requests_app.selectors import service_requests_unrouted
from requests_app.services import notifications_deliver, service_request_route, sla_mark_breaches

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 2, "retry_backoff_max": 300, "max_retries": 8}


@shared_task(base=AgencyTask, name="requests_app.route_service_request", **RETRY)
def route_service_request(*, agency, request_id: int) -> bool:
    result = service_request_route(agency=agency, request_id=request_id)
    # Deliver what this run queued, or whatever a failed earlier run left pending.
    if result.notifications or not result.routed:
        notifications_deliver(agency=agency, request_id=request_id)
    return result.routed


@shared_task(base=AgencyTask, name="requests_app.deliver_notifications", **RETRY)
def deliver_notifications(*, agency, request_id: int | None = None) -> int:
    return notifications_deliver(agency=agency, request_id=request_id)


@shared_task(base=AgencyTask, name="requests_app.sla_check", **RETRY)
def sla_check(*, agency) -> int:
    """Every few minutes (beat): mark SLA breaches, send what is pending, and route any request whose
    routing task was lost (e.g. a broker restarted without persistence)."""
    breached = sla_mark_breaches(agency=agency)
    notifications_deliver(agency=agency)
    for request_id in service_requests_unrouted(agency=agency):
        route_service_request.delay(agency_id=agency.pk, request_id=request_id)
    return len(breached)


@shared_task(name="requests_app.sla_check_all")
def sla_check_all() -> int:
    """Beat entry point: one `sla_check` per active agency (each runs in its own agency scope)."""
    from tenants.models import Agency

    ids = list(Agency.objects.filter(is_active=True).values_list("pk", flat=True))
    for agency_id in ids:
        sla_check.delay(agency_id=agency_id)
    return len(ids)
