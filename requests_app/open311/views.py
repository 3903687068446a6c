"""Open311 GeoReport v2 at /open311/v2/ (see shared/OPEN311.md). One server, many agencies:
`jurisdiction_id` is the agency slug and is required on every call but discovery.

The views parse the call, run it inside the agency's scope and hand the work to selectors and
`service_request_create`; records come from `records.py`, output from `render.py`."""

import re
import uuid
import zoneinfo
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.errors import error_messages
from requests_app import selectors
from requests_app.models import OPEN_STATUSES, ServiceRequest, Status
from requests_app.open311 import records
from requests_app.open311.render import FORMATS, errors, respond
from requests_app.open311.selectors import open311_record_extras, open311_record_rows
from requests_app.services import OnDuplicate, Reporter, api_key_authenticate, service_request_create
from tenants.context import agency_context
from tenants.models import Agency
from tenants.translations import ui_language

CHANGESET = "2026-05-01T00:00:00Z"
MAX_SPAN = timedelta(days=90)
MAX_PAGE_SIZE = 1000
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]{1,60})\](\[\])?$")
CLOSED_STATUSES = tuple(s for s in Status.values if s not in OPEN_STATUSES)


def open311_view(methods=("GET",), jurisdiction=True):
    """Check the format and method, resolve `jurisdiction_id`, and run the view in its scope."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            if fmt not in FORMATS:
                return errors("json", 404, ["Unknown format; use .json or .xml."])
            if request.method not in methods:
                response = errors(fmt, 405, [f"Method {request.method} is not allowed here."])
                response["Allow"] = ", ".join(methods)
                return response
            if not jurisdiction:
                return view(request, *args, fmt=fmt, **kwargs)
            params = request.POST if request.method == "POST" else request.GET
            slug = params.get("jurisdiction_id", "").strip()
            if not slug:
                return errors(fmt, 400, ["jurisdiction_id was not provided (use the agency's slug)."])
            agency = selectors.agency_for_jurisdiction(slug=slug)
            if agency is None:
                return errors(fmt, 404, [f"Unknown jurisdiction_id “{slug[:40]}”."])
            with agency_context(agency), translation.override(open311_language(request, agency)):
                return view(request, *args, fmt=fmt, agency=agency, **kwargs)

        return wrapper

    return decorator


def open311_language(request, agency: Agency) -> str:
    """The language of a call's names and notes. GeoReport v2 names none, so: a `locale` parameter ("es",
    "es_MX", "zh-Hans"), else the call's Accept-Language, else the agency's first language (its own texts)."""
    params = request.POST if request.method == "POST" else request.GET
    wanted = ui_language(str(params.get("locale") or "").replace("_", "-")[:20])
    if wanted:
        return wanted
    if request.headers.get("Accept-Language"):
        return get_language() or (agency.languages or ["en"])[0]
    return (agency.languages or ["en"])[0]


def _base_url(request) -> str:
    return request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": "json"})).rsplit("/", 1)[0] + "/"


@open311_view(jurisdiction=False)
def discovery(request, fmt: str):
    from django.conf import settings

    data = {
        "changeset": CHANGESET,
        "contact": f"CivicDesk — {settings.SITE_URL}",
        "key_service": "API keys are issued per agency (jurisdiction) by its administrators.",
        "endpoints": [
            {
                "specification": records.SPEC_URL,
                "url": _base_url(request).rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return respond(fmt, data, root="discovery", item=None)


@open311_view()
def services(request, fmt: str, agency: Agency):
    data = [records.service_record(category) for category in selectors.categories_active(agency=agency)]
    return respond(fmt, data, root="services", item="service")


@open311_view()
def service_definition(request, fmt: str, agency: Agency, code: str):
    category = selectors.category_get(agency=agency, code=code)
    if category is None:
        return errors(fmt, 404, [f"Unknown service_code “{code[:60]}”."])
    return respond(fmt, records.service_definition(category), root="service_definition", item=None)


@open311_view(methods=("GET", "POST"))
def requests_endpoint(request, fmt: str, agency: Agency):
    if request.method == "POST":
        return _create(request, fmt, agency)
    return _list(request, fmt, agency)


def _attributes(params) -> dict:
    answers: dict = {}
    for key in params:
        match = ATTRIBUTE_KEY.match(key)
        if match is None:
            continue
        code, many = match.group(1), match.group(2)
        answers[code] = params.getlist(key) if many else params.get(key)
    return answers


def _create(request, fmt: str, agency: Agency) -> HttpResponse:
    params = request.POST
    key = api_key_authenticate(agency=agency, raw=params.get("api_key", ""))
    if key is None:
        return errors(fmt, 403, ["api_key was not provided or is not valid for this jurisdiction_id."])
    try:
        result = service_request_create(
            agency=agency,
            actor=None,
            category=params.get("service_code", "").strip(),
            description=params.get("description", ""),
            lat=params.get("lat"),
            long=params.get("long"),
            address=params.get("address_string", ""),
            address_id=params.get("address_id", ""),
            zipcode=params.get("zipcode", ""),
            attributes=_attributes(params),
            photos=request.FILES.getlist("media"),
            media_url=params.get("media_url", ""),
            reporter=Reporter(
                email=params.get("email", ""),
                phone=params.get("phone", ""),
                first_name=params.get("first_name", ""),
                last_name=params.get("last_name", ""),
            ),
            source="open311",
            language=get_language() or "",
            api_key=key,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            device_id=params.get("device_id", ""),
            account_id=params.get("account_id", ""),
            on_duplicate=OnDuplicate.LINK,
        )
    except ValidationError as exc:
        return errors(fmt, 400, error_messages(exc, with_fields=True))
    service_request = result.request
    data = [
        {
            "service_request_id": service_request.reference,
            "token": str(service_request.token),
            "service_notice": result.notice,
            "account_id": service_request.account_id or None,
        }
    ]
    return respond(fmt, data, root="service_requests", item="request")


def _parse_when(value: str, name: str) -> datetime:
    value = value.strip()
    parsed = None
    try:
        parsed = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
        if parsed is None:
            day = parse_date(value)
            if day is not None:
                parsed = datetime(day.year, day.month, day.day)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(f"{name} must be a W3C date-time, e.g. 2026-05-01T00:00:00Z.")
    try:
        aware = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
        aware.astimezone(UTC)  # 0001-01-01T00:00+01:00 is before the year 1 in UTC
    except (OverflowError, ValueError):
        raise ValidationError(f"{name} must lie between the years 1 and 9999.") from None
    return aware


def _positive_int(value: str | None, name: str, default: int, maximum: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(f"{name} must be a whole number.") from None
    if not 1 <= number <= maximum:
        raise ValidationError(f"{name} must be between 1 and {maximum}.")
    return number


def _list(request, fmt: str, agency: Agency) -> HttpResponse:
    params = request.GET
    extensions = params.get("extensions", "").lower() == "true"
    try:
        page = _positive_int(params.get("page"), "page", 1, 10_000_000)
        page_size = _positive_int(params.get("page_size"), "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
        ids = [part.strip().upper() for part in params.get("service_request_id", "").split(",") if part.strip()]
        if len(ids) > MAX_PAGE_SIZE:
            raise ValidationError(f"At most {MAX_PAGE_SIZE} service_request_id values at once.")
        filters = {"references": ids} if ids else _filters(params)
    except ValidationError as exc:
        return errors(fmt, 400, error_messages(exc))
    rows = open311_record_rows(agency=agency, limit=page_size + 1, offset=(page - 1) * page_size, **filters)
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    data = _records(request, agency, rows, extensions=extensions)
    headers = {}
    if has_more:
        query = params.copy()
        query["page"] = str(page + 1)
        headers["Link"] = f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="next"'
    return respond(fmt, data, root="service_requests", item="request", headers=headers)


def _records(request, agency: Agency, rows, *, extensions: bool) -> list[dict]:
    extras = open311_record_extras(agency=agency, rows=rows) if extensions and rows else None
    tz = zoneinfo.ZoneInfo(agency.timezone)
    return [
        records.request_record(row, agency=agency, build_absolute_uri=request.build_absolute_uri, extras=extras, tz=tz)
        for row in rows
    ]


def _filters(params) -> dict:
    codes = [part.strip() for part in params.get("service_code", "").split(",") if part.strip()]
    start = _parse_when(params["start_date"], "start_date") if params.get("start_date") else None
    end = _parse_when(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end and end < start:
        raise ValidationError("end_date must not be before start_date.")
    if start and end and end - start > MAX_SPAN:
        raise ValidationError("The span from start_date to end_date may be at most 90 days.")
    if start is None and end is None:
        end = timezone.now()
    try:
        if start is None:
            start = end - MAX_SPAN
        if end is None:
            end = start + MAX_SPAN
    except OverflowError:
        raise ValidationError("start_date and end_date must lie between the years 1 and 9999.") from None
    statuses = [part.strip().lower() for part in params.get("status", "").split(",") if part.strip()]
    wanted = []
    if statuses:
        if any(s not in ("open", "closed") for s in statuses):
            raise ValidationError("status must be open, closed, or both separated by a comma.")
        if "open" in statuses:
            wanted += list(OPEN_STATUSES)
        if "closed" in statuses:
            wanted += list(CLOSED_STATUSES)
    return {"codes": codes, "start": start, "end": end, "statuses": wanted}


@open311_view()
def request_detail(request, fmt: str, agency: Agency, request_id: str):
    extensions = request.GET.get("extensions", "").lower() == "true"
    reference = request_id.strip().upper()
    rows = open311_record_rows(agency=agency, references=[reference], limit=1) if reference else []
    if not rows:
        return errors(fmt, 404, [f"No service request “{request_id[:40]}” in this jurisdiction."])
    data = _records(request, agency, rows, extensions=extensions)
    return respond(fmt, data, root="service_requests", item="request")


@open311_view()
def token_detail(request, fmt: str, agency: Agency, token: str):
    try:
        value = uuid.UUID(token)
    except ValueError:
        value = None
    row = (
        ServiceRequest.objects.for_agency(agency).filter(token=value).only("reference", "token").first()
        if value
        else None
    )
    if row is None:
        return errors(fmt, 404, [f"No request has the token “{token[:40]}” in this jurisdiction."])
    data = [{"service_request_id": row.reference, "token": str(row.token)}]
    return respond(fmt, data, root="service_requests", item="request")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def not_found(request, path: str = ""):
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return errors(fmt, 404, ["No such Open311 endpoint; see discovery.json."])
