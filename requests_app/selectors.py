"""Reads of service requests, always scoped to one agency (`for_agency`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.cache import TTLCache
from core.sql import agency_raw
from requests_app import geo
from requests_app.models import (
    OPEN_STATUSES,
    AgencyRequestSettings,
    ServiceAttribute,
    ServiceCategory,
    ServiceRequest,
    StatusEvent,
)
from tenants.cases import CaseChecker, case_access, cases_visible
from tenants.models import Agency, Department, Membership, Role
from tenants.selectors import agency_get_public

# --- settings and catalogue -----------------------------------------------------------------------

_settings_cache = TTLCache("request settings", ttl=30.0, maxsize=10_000)


def request_settings_get(*, agency: Agency, fresh: bool = False) -> AgencyRequestSettings:
    """The agency's settings (defaults when none were saved). Cached per process for 30 seconds:
    read on every filing, changed rarely."""
    return _settings_cache.get_or_load(
        agency.pk,
        lambda: AgencyRequestSettings.objects.for_agency(agency).first() or AgencyRequestSettings(agency=agency),
        fresh=fresh,
    )


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


_category_cache = TTLCache("service categories", ttl=10.0, maxsize=10_000)


def category_get(*, agency: Agency, code: str, fresh: bool = False) -> ServiceCategory | None:
    """An active category by its code, with its questions. Cached per process for 10 seconds: every
    Open311 POST reads it, staff change it rarely (a deactivated code is refused within 10 s)."""
    if not isinstance(code, str) or not code or len(code) > 60:
        return None

    def load() -> ServiceCategory | None:
        category = categories_active(agency=agency).filter(code=code).first()
        if category is not None:
            category.attributes_list = list(category.attributes.all())
        return category

    return _category_cache.get_or_load((agency.pk, code), load, fresh=fresh)


def category_attributes(*, category: ServiceCategory) -> list[ServiceAttribute]:
    cached = getattr(category, "attributes_list", None)
    return cached if cached is not None else list(category.attributes.all())


_agency_cache = TTLCache("Open311 jurisdictions", ttl=10.0, maxsize=1000)


def agency_for_jurisdiction(*, slug: str) -> Agency | None:
    """The active agency an Open311 jurisdiction_id names. Cached per process for 10 seconds: every
    Open311 call resolves it, and agencies are created or deactivated rarely."""
    return _agency_cache.get_or_load(slug, lambda: agency_get_public(slug=slug))


_area_cache = TTLCache("departments by area", ttl=10.0, maxsize=10_000)


def area_departments(*, category: ServiceCategory) -> list[Department]:
    """Active departments with a service area that take this category by location. Cached per
    process for 10 seconds: routing reads them for every new request."""
    return _area_cache.get_or_load(
        category.pk,
        lambda: list(category.area_departments.filter(is_active=True, service_area__isnull=False).order_by("pk")),
    )


def caches_clear() -> None:
    _area_cache.clear()
    _settings_cache.clear()
    _category_cache.clear()
    _agency_cache.clear()


# --- duplicates -----------------------------------------------------------------------------------


_DEDUPE_SQL = f"""
    SELECT id, agency_id, category_id, reference, lat, long, status, status_notes, created_at, duplicate_of_id
      FROM {ServiceRequest._meta.db_table}
     WHERE agency_id = %s AND category_id = %s AND status = ANY(%s)
       AND lat BETWEEN %s AND %s AND long BETWEEN %s AND %s AND created_at >= %s
     ORDER BY created_at DESC
     LIMIT 200
"""  # noqa: S608 - the table name comes from the model; values are parameters


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
    # Raw SQL: the same filter the ORM would build, without compiling a query on every filing. The
    # statement itself filters by agency_id (first parameter).
    rows = agency_raw(
        agency,
        ServiceRequest,
        _DEDUPE_SQL,
        [
            agency.pk,
            category.pk,
            list(OPEN_STATUSES),
            min_lat,
            max_lat,
            min_long,
            max_long,
            now - timedelta(days=category.duplicate_window_days or 30),
        ],
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


def service_requests_unrouted(*, agency: Agency, older_than: timedelta = timedelta(minutes=2), limit: int = 500):
    """Ids of requests still waiting for routing well after filing (their task was lost)."""
    return list(
        ServiceRequest.objects.for_agency(agency)
        .filter(routed_at__isnull=True, duplicate_of__isnull=True, created_at__lt=timezone.now() - older_than)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- staff reads ----------------------------------------------------------------------------------

WORK_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.CASEWORKER})


def case_checker(*, agency: Agency, user) -> CaseChecker:
    """Per-request answers about single requests: may this person see it, work it, was it shared with them."""
    return CaseChecker(
        access=case_access(agency=agency, user=user), department_field="department", act_roles=WORK_ROLES
    )


def service_requests_for_staff(*, agency: Agency, user) -> QuerySet[ServiceRequest]:
    """The requests `user` may see in `agency` (`tenants.cases`: the role, the departments, guardian's shares)."""
    queryset = cases_visible(
        ServiceRequest.objects.for_agency(agency),
        access=case_access(agency=agency, user=user),
        department_field="department",
    )
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
