"""Routing a new request to its department, and marking SLA breaches. Both run in Celery and are
idempotent: running them twice changes nothing and sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app import geo, selectors
from requests_app.models import OPEN_STATUSES, ServiceCategory, ServiceRequest, StatusEvent
from requests_app.services.notify import absolute, notify_address, notify_department, notify_followers
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


def service_request_route(*, agency: Agency, request_id: int) -> RouteResult:
    """Assign the department and queue the department's and followers' emails, once."""
    with transaction.atomic():
        request = (
            ServiceRequest.objects.for_agency(agency)
            .select_for_update(of=("self",))
            .select_related("category", "category__department", "department")
            .filter(pk=request_id)
            .first()
        )
        if request is None or request.routed_at is not None:
            return RouteResult(routed=False)
        request.agency = agency  # the same row; saves re-reading it for every email
        category: ServiceCategory = request.category  # same agency: checked when the request was filed
        department = request.department or route_department(category=category, lat=request.lat, long=request.long)
        request.department = department
        request.routed_at = timezone.now()
        request.save(update_fields=["department", "routed_at", "updated_at"])
        StatusEvent.objects.create(
            agency=agency,
            request=request,
            kind=StatusEvent.Kind.ROUTED,
            internal_note=_("Routed to %(department)s.") % {"department": department.name}
            if department
            else _("No department takes this category; waiting for a person to assign it."),
        )
        queued = 0
        if not request.is_open:
            # Already worked (its task was late): record the department, announce nothing.
            return RouteResult(routed=True)
        if department is not None and department.email:
            notify_department(request=request, department=department, template="requests_app/email/new_request.txt")
            queued += 1
        queued += len(
            notify_followers(request=request, template="requests_app/email/received.txt", department=department)
        )
    return RouteResult(routed=True, notifications=queued)


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
