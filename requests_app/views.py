"""Citizen pages under /a/<slug>/: report a problem, follow an existing report, the public map of
open requests, photos, and unsubscribing from updates."""

import contextlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.media import media_response
from portal.tracking import status_lookup
from requests_app import selectors
from requests_app.forms import FollowForm, ReportForm
from requests_app.media import photo_media
from requests_app.models import RequestPhoto
from requests_app.services import DuplicatesFound, OnDuplicate, Reporter, follower_add, service_request_create
from requests_app.services.notify import unsubscribe_token_read
from requests_app.services.workflow import follower_unsubscribe
from tenants.translations import translated


def map_context(agency) -> dict:
    row = selectors.request_settings_get(agency=agency)
    return {
        "map_config": {
            "lat": row.map_latitude,
            "long": row.map_longitude,
            "zoom": row.map_zoom,
            "tileUrl": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            # Leaflet guesses its marker images' folder from its CSS, which fails on hashed static names.
            "leafletImages": settings.STATIC_URL + "vendor/leaflet/images/",
            # What the map draws without tiles (static/geocoding/known.js).
            "area": row.service_area or None,
            "openUrl": reverse("requests-api-open", kwargs={"agency_slug": agency.slug}),
            "geocode": {
                name: reverse(f"geocode-api-{name}", kwargs={"agency_slug": agency.slug})
                for name in ("search", "reverse", "nearby")
            },
        }
    }


def report_start(request, agency_slug: str):
    categories = list(selectors.categories_active(agency=request.agency))
    if not categories:
        raise Http404
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(translated(category, "group") or _("Other"), []).append(category)
    return render(request, "requests_app/report_start.html", {"groups": groups})


def report_file(form: ReportForm, *, agency, actor, reporter: Reporter, source: str):
    """File the report a valid `form` holds (the citizen's page and staff's phone entry): (the service's
    result, no duplicates), or (None, the open requests it may repeat, to show first unless the form
    confirms a new one), or (None, []) with the service's objections added to the form's fields."""
    data = form.cleaned_data
    try:
        result = service_request_create(
            agency=agency,
            actor=actor,
            category=form.category,
            description=data["description"],
            lat=data["lat"],
            long=data["long"],
            address=data["address"],
            zipcode=data["zipcode"],
            attributes=form.attribute_answers(),
            photos=data["photos"],
            reporter=reporter,
            source=source,
            language=get_language() or "",
            on_duplicate=OnDuplicate.FILE if data["confirm_new"] else OnDuplicate.ASK,
        )
    except DuplicatesFound as found:
        return None, found.duplicates
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None, []
    return result, []


@require_http_methods(["GET", "POST"])
def report_form(request, agency_slug: str, code: str):
    agency = request.agency
    category = selectors.category_get(agency=agency, code=code)
    if category is None:
        raise Http404
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    # The portal's front door sends the citizen here with the place already chosen (validated on submit).
    place = {key: request.GET[key][:30] for key in ("lat", "long") if request.GET.get(key)}
    form = ReportForm(
        request.POST or None, request.FILES or None, category=category, initial={"follow": True, **initial, **place}
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result, duplicates = report_file(
            form,
            agency=agency,
            actor=request.user if request.user.is_authenticated else None,
            reporter=Reporter(email=data["email"], phone=data["phone"], user=request.user, follow=data["follow"]),
            source="web",
        )
        if result is not None:
            if data.get("alerts") and data["email"]:
                _alerts_for_follower(agency=agency, email=data["email"], target=result.request)
            request.session["requests_last_filed"] = result.request.reference
            return redirect("requests:report-sent", agency_slug=agency.slug, reference=result.request.reference)
    context = {
        "form": form,
        "category": category,
        "duplicates": duplicates,
        "follow_form": FollowForm(initial=initial),
        "nearby_url": reverse("requests-api-nearby", kwargs={"agency_slug": agency.slug}),
        **map_context(agency),
    }
    return render(request, "requests_app/report_form.html", context, status=200)


def report_sent(request, agency_slug: str, reference: str):
    status = status_lookup(agency=request.agency, reference=reference)
    if status is None or status.kind != "service_request":
        raise Http404
    just_filed = request.session.get("requests_last_filed") == status.reference
    return render(request, "requests_app/report_sent.html", {"status": status, "just_filed": just_filed})


@require_POST
def follow(request, agency_slug: str, reference: str):
    agency = request.agency
    target = selectors.service_request_get_public(agency=agency, reference=reference)
    if target is None:
        raise Http404
    form = FollowForm(request.POST)
    track = reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={target.reference}"
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address to follow this report."))
        return redirect(track)
    try:
        follower_add(
            agency=agency,
            actor=request.user,
            request=target,
            email=form.cleaned_data["email"],
            language=get_language() or "",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(track)
    messages.success(request, _("Thank you. We will email you when this report changes; no need to file it again."))
    if form.cleaned_data["alerts"]:
        _alerts_for_follower(agency=agency, email=form.cleaned_data["email"], target=target)
        messages.info(request, _("To get emergency alerts for this area, confirm with the link we emailed you."))
    return redirect(track)


def _alerts_for_follower(*, agency, email: str, target) -> None:
    """The reporter's or follower's opt-in to the agency's alerts near the report (issue 16). The report is
    filed either way: an address the alerts refuse only costs the opt-in."""
    from crisis.services import subscription_for_follower

    with contextlib.suppress(ValidationError):
        subscription_for_follower(agency=agency, email=email, request=target, language=get_language() or "")


def public_map(request, agency_slug: str):
    agency = request.agency
    requests = list(selectors.service_requests_public_map(agency=agency, limit=500))
    context = {
        "requests": requests,
        "categories": selectors.categories_active(agency=agency),
        "open_url": reverse("requests-api-open", kwargs={"agency_slug": agency.slug}),
        **map_context(agency),
    }
    return render(request, "requests_app/public_map.html", context)


def photo(request, agency_slug: str, uid, ext: str):
    row = RequestPhoto.objects.for_agency(request.agency).select_related("request").filter(uid=uid).first()
    if row is None or {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}.get(ext) != row.format:
        raise Http404
    media = photo_media(request, agency=request.agency, photo=row)
    if media is None:
        raise Http404
    return media_response(media)


@require_http_methods(["GET", "POST"])
def unsubscribe(request, agency_slug: str, token: str):
    agency = request.agency
    follower_id = unsubscribe_token_read(agency=agency, token=token)
    if follower_id is None:
        return render(request, "requests_app/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        done = follower_unsubscribe(agency=agency, follower_id=follower_id) is not None
        if not done:
            return render(request, "requests_app/unsubscribe.html", {"invalid": True}, status=404)
    return render(request, "requests_app/unsubscribe.html", {"done": done})
