"""The front door's public pages: ask any agency (/ask/), the service and contact directory (/services/) and
reporting a problem where the place picks the agency (/report/)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.danger import danger_notice, in_danger
from frontdoor import ask as front_ask
from frontdoor import catalogue, crossagency, location
from frontdoor.api import MAX_QUERY_CHARS, _coordinate


def ask(request):
    question = request.GET.get("q", "")
    context = {"question": question[:MAX_QUERY_CHARS]}
    if "q" in request.GET:
        if not question.strip():
            context["error"] = _("Type a question first, or browse the agencies and services below.")
        elif len(question) > MAX_QUERY_CHARS:
            context["error"] = _("Your question is longer than %(n)s characters. Ask it in fewer words.") % {
                "n": MAX_QUERY_CHARS
            }
        else:
            chosen = None
            slug = request.GET.get("agency", "")[:40]
            if slug:
                chosen = crossagency.agency_active_by_slug(slug)
            context["result"] = front_ask.frontdoor_ask(
                question=question, language=get_language(), channel="ask", chosen=chosen
            )
            context["danger"] = danger_notice() if in_danger(question) else ""
    status = 400 if context.get("error") else 200
    return render(request, "frontdoor/ask.html", context, status=status)


def services_directory(request):
    query = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    agency = request.GET.get("agency", "")[:40]
    language = get_language() or ""
    services = catalogue.search(catalogue.services_all(), query=query, agency=agency, limit=60)
    officials = catalogue.search(catalogue.officials_all(), query=query, agency=agency, limit=30)
    context = {
        "query": query,
        "agency": agency,
        "agencies": crossagency.agencies_active().order_by("name"),
        "services": [catalogue.entry_as_dict(entry, language=language) for entry, _score in services],
        "officials": [catalogue.entry_as_dict(entry, language=language) for entry, _score in officials],
    }
    return render(request, "frontdoor/services.html", context)


def report(request):
    """Pick the kind of problem and the place; the front door says which agency takes it and why, and sends the
    citizen to that agency's own report form with the place filled in."""
    categories = sorted({c.name for c in crossagency.categories_active()})
    category = request.GET.get("category", "").strip()[:100]
    context = {"categories": categories, "category": category, "lat": "", "lon": ""}
    status = 200
    if "lat" in request.GET or "lon" in request.GET:
        lat = _coordinate(request.GET.get("lat", ""), -90, 90)
        lon = _coordinate(request.GET.get("lon", ""), -180, 180)
        context.update(lat=request.GET.get("lat", "")[:30], lon=request.GET.get("lon", "")[:30])
        if lat is None or lon is None:
            context["error"], status = _("Give the place as a latitude (-90 to 90) and a longitude (-180 to 180)."), 400
        else:
            try:
                found = location.responsible_for(lat=lat, lon=lon, category=category)
            except location.UnknownCategory:
                context["error"], status = _("No agency here takes reports of “%(c)s”.") % {"c": category}, 400
            else:
                if not found:
                    context["error"] = _("No agency on this portal is responsible for this place.")
                    status = 404
                else:
                    best = found[0]
                    context["responsible"] = best
                    context["others"] = found[1:]
                    if best.category is not None:
                        context["report_url"] = (
                            reverse(
                                "requests:report-form",
                                kwargs={"agency_slug": best.agency.slug, "code": best.category.code},
                            )
                            + f"?lat={lat:.6f}&long={lon:.6f}"
                        )
    return render(request, "frontdoor/report.html", context, status=status)
