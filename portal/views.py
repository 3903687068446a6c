"""Public pages of the platform: the agency directory and each agency's home; health."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.collation import name_sort_key
from core.sql import platform_cursor
from portal.directory import agencies_search
from portal.services import redis_ping
from portal.tracking import status_lookup, status_providers
from tenants.selectors import agencies_public


def home(request):
    query = request.GET.get("q", "").strip()[:100]
    if query:
        agencies = agencies_search(query=query)
    else:  # alphabetical by the name the reader sees, which is in their language when the agency has it
        agencies = sorted(agencies_public(), key=lambda agency: name_sort_key(agency.public_name))
    return render(request, "portal/home.html", {"agencies": agencies, "query": query})


def agency_home(request, agency_slug: str):
    return render(request, "portal/agency_home.html", {"agency": request.agency})


@never_cache
def health(request):
    checks = {}
    try:
        with platform_cursor("health check") as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        checks["database"] = "error"
    checks["redis"] = "ok" if redis_ping() else "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """The plain error page; while the database cannot be reached (a restart, a failover), a 503 saying so."""
    if database_unavailable(sys.exc_info()[1]):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response
    return render(request, "500.html", status=500)


def database_unavailable(exc: BaseException | None) -> bool:
    """A lost or refused database connection (Django wraps psycopg's errors in these two)."""
    return isinstance(exc, OperationalError | InterfaceError)


@require_http_methods(["GET", "POST"])
def track(request, agency_slug: str):
    """Look up anything filed with this agency by its reference number; without one (POST), have the references
    of what was filed with an e-mail address sent to that address (`portal.lost_reference`)."""
    if not status_providers():
        from django.http import Http404

        raise Http404
    if request.method == "POST":
        return _track_lost_reference(request)
    reference = request.GET.get("reference", "").strip()[:40]
    status = status_lookup(agency=request.agency, reference=reference) if reference else None
    return render(
        request,
        "portal/track.html",
        {"reference": reference, "status": status, "not_found": bool(reference) and status is None},
    )


def _track_lost_reference(request):
    """The same answer whether or not anything was filed with the address (see `portal.lost_reference`)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import get_language

    from portal.lost_reference import TooManyAsks, references_email

    email = request.POST.get("email", "")[:254]
    context, status = {"email": email}, 200
    try:
        references_email(
            agency=request.agency,
            email=email,
            language=get_language(),
            client=f"ip:{request.META.get('REMOTE_ADDR', '')}",
            via="web",
        )
    except ValidationError as error:
        context["email_error"], status = error.messages[0], 400
    except TooManyAsks as refused:
        context["email_error"], status = str(refused), 429
    else:
        context["email_sent"] = True
    return render(request, "portal/track.html", context, status=status)
