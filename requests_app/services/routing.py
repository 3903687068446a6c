"""Routing a new request to its department, and marking SLA breaches. Both run in Celery and are
idempotent: running them twice changes nothing and sends nothing twice."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app import geo, selectors
from requests_app.models import OPEN_STATUSES, Notification, ServiceCategory, ServiceRequest, StatusEvent
from requests_app.services.notify import (
    absolute,
    department_notification,
    followers_notifications,
    notify_address,
)
from tenants.audit import audit_updates
from tenants.models import Agency, Department, Membership, Role


def route_department(*, category: ServiceCategory, lat: float | None, long: float | None) -> Department | None:
    """A department whose service area contains the point and that takes this category; otherwise
    the category's own department."""
    if lat is not None and long is not None:
        for department in selectors.area_departments(category=category):
            if geo.contains(department.service_area, lat, long):
                return department
    department = category.department
    return department if department is not None and department.is_active else None


@dataclass(frozen=True)
class RouteResult:
    routed: bool  # False: routed before (a retried or repeated task), or no such request here
    notifications: int = 0  # emails queued by this run


@dataclass(frozen=True)
class RouteBatch:
    routed: list[int] = field(default_factory=list)  # ids of the requests this run routed
    notifications: int = 0  # emails queued by this run


ROUTE_BATCH = 200
ROUTE_CLAIM_SECONDS = 60
# A run starts this long after the report that queued it, so that under load one run routes the
# reports of the whole interval (one transaction, one task) instead of a few each.
ROUTE_DELAY_SECONDS = 0.5
logger = logging.getLogger(__name__)


def _claim_key(agency_id: int) -> str:
    return f"requests:route-pending:{agency_id}"


def route_soon(*, agency_id: int) -> None:
    """After a report is committed: make sure a `route_pending` run for the agency is on its way.

    One run is queued per agency at a time (an atomic add in Redis), starting half a second later;
    the claim expires after a minute should its task be lost, and the SLA sweep routes anything
    left behind."""
    from requests_app.tasks import route_pending

    try:
        if cache.add(_claim_key(agency_id), 1, timeout=ROUTE_CLAIM_SECONDS):
            route_pending.apply_async(kwargs={"agency_id": agency_id}, countdown=ROUTE_DELAY_SECONDS)
    except Exception:  # the report is saved; the SLA sweep routes it when Redis is back
        logger.exception("Could not schedule routing for agency %s", agency_id)


def route_pending_claim(*, agency_id: int) -> None:
    """Give up the claim: called by `route_pending` before it reads what is waiting."""
    cache.delete(_claim_key(agency_id))


def service_request_route(*, agency: Agency, request_id: int) -> RouteResult:
    """Assign one request's department and queue the department's and followers' emails, once."""
    batch = service_requests_route(agency=agency, request_ids=[request_id])
    return RouteResult(routed=bool(batch.routed), notifications=batch.notifications)


def service_requests_route(
    *, agency: Agency, request_ids: Iterable[int] | None = None, limit: int = ROUTE_BATCH
) -> RouteBatch:
    """Route the given requests, or (`request_ids=None`) up to `limit` of the agency's requests still
    waiting, oldest first, skipping rows another run holds. Each request is routed once: a row with
    `routed_at` set is left alone, so repeated and concurrent runs change and send nothing twice.

    One transaction and a handful of statements per batch (an UPDATE, the audit entries, the routing
    events, the outbox rows), however many requests it holds: routing must keep pace with Open311
    clients filing hundreds of reports a second."""
    with transaction.atomic():
        waiting = (
            ServiceRequest.objects.for_agency(agency)
            .select_related("category", "category__department", "department")
            .filter(routed_at__isnull=True)
        )
        if request_ids is not None:
            waiting = waiting.select_for_update(of=("self",)).filter(pk__in=list(request_ids))
        else:
            waiting = waiting.select_for_update(of=("self",), skip_locked=True).filter(duplicate_of__isnull=True)
        requests = list(waiting.order_by("pk")[:limit])
        if not requests:
            return RouteBatch()
        now = timezone.now()
        changed, events, announce = [], [], []
        for request in requests:
            request.agency = agency  # the same row; saves re-reading it for every email
            old = copy.copy(request)
            department = request.department or route_department(
                category=request.category, lat=request.lat, long=request.long
            )
            request.department = department
            request.routed_at = now
            request.updated_at = now
            changed.append((old, request))
            events.append(
                StatusEvent(
                    agency=agency,
                    request=request,
                    kind=StatusEvent.Kind.ROUTED,
                    internal_note=_("Routed to %(department)s.") % {"department": department.name}
                    if department
                    else _("No department takes this category; waiting for a person to assign it."),
                    created_at=now,
                )
            )
            # Already worked (its task was late): record the department, announce nothing.
            if request.is_open:
                announce.append(request)
        ServiceRequest.objects.bulk_update(requests, ["department", "routed_at", "updated_at"])
        audit_updates(changed, fields=["department", "routed_at"])
        StatusEvent.objects.bulk_create(events)
        outbox = [
            department_notification(
                request=request, department=request.department, template="requests_app/email/new_request.txt"
            )
            for request in announce
            if request.department is not None and request.department.email
        ]
        outbox += followers_notifications(
            requests=announce,
            template="requests_app/email/received.txt",
            context=lambda request: {"department": request.department},
        )
        Notification.objects.bulk_create(outbox)  # not audited on purpose (see the model)
    return RouteBatch(routed=[request.pk for request in requests], notifications=len(outbox))


def sla_mark_breaches(*, agency: Agency, now=None, limit: int = 500) -> list[ServiceRequest]:
    """Mark open requests past their SLA due time, once each, and email the agency's supervisors a
    summary. Rows being marked by a concurrent run are skipped, never marked twice."""
    now = now or timezone.now()
    with transaction.atomic():
        breached = list(
            ServiceRequest.objects.for_agency(agency)
            .select_for_update(skip_locked=True)
            .filter(status__in=OPEN_STATUSES, sla_breached_at__isnull=True, sla_due_at__lt=now)
            .order_by("sla_due_at")[:limit]
        )
        for request in breached:
            request.sla_breached_at = now
            request.save(update_fields=["sla_breached_at", "updated_at"])
            StatusEvent.objects.create(
                agency=agency,
                request=request,
                kind=StatusEvent.Kind.SLA,
                internal_note=_("Past its service level: due %(due)s.") % {"due": request.sla_due_at.isoformat()},
                created_at=now,
            )
        if breached:
            supervisors = (
                Membership.objects.for_agency(agency)
                .filter(role=Role.SUPERVISOR, user__is_active=True)
                .exclude(user__email="")
                .select_related("user")
            )
            if not supervisors:
                supervisors = (
                    Membership.objects.for_agency(agency)
                    .filter(role=Role.ADMIN, user__is_active=True)
                    .exclude(user__email="")
                    .select_related("user")
                )
            for membership in supervisors:
                notify_address(
                    agency=agency,
                    recipient=membership.user.email,
                    template="requests_app/email/sla_breached.txt",
                    breached=[(request, _staff_url(agency, request)) for request in breached],
                    queue_url=absolute(reverse("requests:staff-queue", kwargs={"agency_slug": agency.slug}))
                    + "?filtered=1&sla_breached=on",
                )
    return breached


def _staff_url(agency: Agency, request: ServiceRequest) -> str:
    return absolute(
        reverse("requests:staff-detail", kwargs={"agency_slug": agency.slug, "reference": request.reference})
    )
