"""Reads of service requests, always scoped to one agency (`for_agency`)."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from requests_app import geo
from requests_app.models import (
    OPEN_STATUSES,
    AgencyRequestSettings,
    ServiceAttribute,
    ServiceCategory,
    ServiceRequest,
    Status,
    StatusEvent,
)
from tenants.models import Agency, Membership, Role
from tenants.selectors import membership_get

# --- settings and catalogue -----------------------------------------------------------------------

_SETTINGS_TTL = 30.0
_settings_cache: dict[int, tuple[float, AgencyRequestSettings]] = {}


def request_settings_get(*, agency: Agency, fresh: bool = False) -> AgencyRequestSettings:
    """The agency's settings (defaults when none were saved). Cached per process for 30 seconds:
    read on every filing, changed rarely."""
    cached = _settings_cache.get(agency.pk)
    if cached and not fresh and time.monotonic() - cached[0] < _SETTINGS_TTL:
        return cached[1]
    found = AgencyRequestSettings.objects.for_agency(agency).first() or AgencyRequestSettings(agency=agency)
    _settings_cache[agency.pk] = (time.monotonic(), found)
    return found


def reference_prefix(*, agency: Agency) -> str:
    configured = request_settings_get(agency=agency).reference_prefix
    if configured:
        return configured
    letters = "".join(ch for ch in agency.slug.upper() if ch.isalnum())
    return (letters[:3] or "REQ").ljust(2, "X")


def categories_active(*, agency: Agency) -> QuerySet[ServiceCategory]:
    return (
        ServiceCategory.objects.for_agency(agency)
        .filter(active=True)
        .prefetch_related(Prefetch("attributes", queryset=ServiceAttribute.objects.for_agency(agency)))
    )


def category_get(*, agency: Agency, code: str) -> ServiceCategory | None:
    if not isinstance(code, str) or not code or len(code) > 60:
        return None
    return categories_active(agency=agency).filter(code=code).first()


def category_attributes(*, category: ServiceCategory) -> list[ServiceAttribute]:
    return list(category.attributes.all())


# --- duplicates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NearbyRequest:
    request: ServiceRequest
    distance_m: float


def duplicates_nearby(
    *, agency: Agency, category: ServiceCategory, lat: float, long: float, now: datetime | None = None, limit: int = 5
) -> list[NearbyRequest]:
    """Open requests of the same category within the category's radius and window, nearest first.

    The database narrows by (agency, category, open) and a lat/long bounding box on the partial
    `request_dedupe` index; the exact distance is computed here on the few rows left."""
    now = now or timezone.now()
    radius = category.duplicate_radius_m or 50
    min_lat, max_lat, min_long, max_long = geo.bounding_box(lat, long, radius)
    rows = (
        ServiceRequest.objects.for_agency(agency)
        .filter(
            category_id=category.pk,
            status__in=OPEN_STATUSES,
            lat__gte=min_lat,
            lat__lte=max_lat,
            long__gte=min_long,
            long__lte=max_long,
            created_at__gte=now - timedelta(days=category.duplicate_window_days or 30),
        )
        .only("id", "reference", "lat", "long", "status", "created_at", "category_id", "agency_id", "status_notes")
        .order_by("-created_at")[:200]
    )
    found = []
    for row in rows:
        distance = geo.distance_m(lat, long, row.lat, row.long)
        if distance <= radius:
            found.append(NearbyRequest(row, distance))
    found.sort(key=lambda item: item.distance_m)
    return found[:limit]


# --- public reads ---------------------------------------------------------------------------------


def service_request_get_public(*, agency: Agency, reference: str) -> ServiceRequest | None:
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 32:
        return None
    return (
        ServiceRequest.objects.for_agency(agency)
        .select_related("category", "duplicate_of")
        .filter(reference=reference)
        .first()
    )


def public_events(*, request: ServiceRequest) -> QuerySet[StatusEvent]:
    """History a citizen may see: receipt, status changes and notes with a public note."""
    return (
        StatusEvent.objects.for_agency(request.agency)
        .filter(request=request)
        .filter(
            Q(kind__in=[StatusEvent.Kind.CREATED, StatusEvent.Kind.STATUS, StatusEvent.Kind.MERGED])
            | ~Q(public_note="")
        )
        .order_by("created_at", "pk")
    )


def service_requests_public_map(*, agency: Agency, category_code: str = "", limit: int = 1000) -> QuerySet:
    queryset = (
        ServiceRequest.objects.for_agency(agency)
        .filter(status__in=OPEN_STATUSES, lat__isnull=False)
        .select_related("category")
        .only("reference", "lat", "long", "status", "created_at", "category__name", "category__code", "agency_id")
        .order_by("-created_at")
    )
    if category_code:
        queryset = queryset.filter(category__code=category_code)
    return queryset[:limit]


# --- staff reads ----------------------------------------------------------------------------------

WORK_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.CASEWORKER})


def staff_department_ids(*, agency: Agency, user) -> frozenset[int] | None:
    """Departments whose requests a caseworker sees; None means every request of the agency."""
    if user.is_superuser:
        return None
    membership = membership_get(user=user, agency=agency)
    if membership is None:
        return frozenset()
    if membership.role != Role.CASEWORKER:
        return None
    return frozenset(membership.departments.values_list("pk", flat=True))


def service_requests_for_staff(*, agency: Agency, user) -> QuerySet[ServiceRequest]:
    queryset = ServiceRequest.objects.for_agency(agency)
    departments = staff_department_ids(agency=agency, user=user)
    if departments is not None:
        queryset = queryset.filter(department_id__in=departments)
    return queryset.select_related("category", "department", "assignee", "duplicate_of")


@dataclass
class QueueFilters:
    status: list[str]
    category: str = ""
    department: int | None = None
    older_than_days: int | None = None
    sla_breached: bool = False
    mine: bool = False
    search: str = ""


def service_requests_queue(*, agency: Agency, user, filters: QueueFilters) -> QuerySet[ServiceRequest]:
    queryset = service_requests_for_staff(agency=agency, user=user)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.category:
        queryset = queryset.filter(category__code=filters.category)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department)
    if filters.older_than_days:
        queryset = queryset.filter(created_at__lte=timezone.now() - timedelta(days=filters.older_than_days))
    if filters.sla_breached:
        queryset = queryset.filter(sla_breached_at__isnull=False, status__in=OPEN_STATUSES)
    if filters.mine:
        queryset = queryset.filter(assignee=user)
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(reference__iexact=term) | Q(address__icontains=term) | Q(description__icontains=term)
        )
    return queryset.order_by("-created_at")


def service_request_get_for_staff(*, agency: Agency, user, reference: str) -> ServiceRequest | None:
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 32:
        return None
    return service_requests_for_staff(agency=agency, user=user).filter(reference=reference).first()


def assignable_staff(*, agency: Agency) -> QuerySet[Membership]:
    return (
        Membership.objects.for_agency(agency)
        .filter(role__in=list(WORK_ROLES), user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )


def status_counts(*, queryset: QuerySet[ServiceRequest]) -> dict[str, int]:
    from django.db.models import Count

    counts = dict.fromkeys(Status.values, 0)
    for row in queryset.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
