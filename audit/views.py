import datetime as dt

from auditlog.models import LogEntry
from django.http import HttpResponse, StreamingHttpResponse

from audit.export import export_csv, export_json
from tenants.context import in_agency_scope
from tenants.permissions import agency_role_required
from tenants.selectors import SUPERVISING_ROLES

MAX_EXPORT_DAYS = 3660


def _dates(request) -> tuple[dt.date, dt.date] | str:
    try:
        date_from = dt.date.fromisoformat(request.GET.get("from", ""))
        date_to = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        return "Give the range as from=YYYY-MM-DD&to=YYYY-MM-DD."
    if date_to < date_from:
        return "The end of the range is before its start."
    if (date_to - date_from).days > MAX_EXPORT_DAYS:
        return f"Export at most {MAX_EXPORT_DAYS} days at a time."
    return date_from, date_to


@agency_role_required(SUPERVISING_ROLES)
def audit_export(request, agency_slug: str):
    """The agency's audit chain for a date range, with hashes (CSV or JSON), for offline verification."""
    dates = _dates(request)
    if isinstance(dates, str):
        return HttpResponse(dates, status=400, content_type="text/plain; charset=utf-8")
    date_from, date_to = dates
    kind = request.GET.get("format", "csv")
    if kind not in {"csv", "json"}:
        return HttpResponse("format is csv or json.", status=400, content_type="text/plain; charset=utf-8")
    agency = request.agency
    LogEntry.objects.log_create(
        agency,
        action=LogEntry.Action.ACCESS,
        changes_text=f"audit trail exported ({kind}, {date_from} to {date_to})",
        additional_data={
            "agency_id": agency.pk,
            "export": {"from": str(date_from), "to": str(date_to), "format": kind},
        },
        force_log=True,
    )
    stream = (export_json if kind == "json" else export_csv)(agency=agency, date_from=date_from, date_to=date_to)
    response = StreamingHttpResponse(
        in_agency_scope(agency, stream),
        content_type="application/json" if kind == "json" else "text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{agency.slug}-{date_from}-{date_to}.{kind}"'
    return response
