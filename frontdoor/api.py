"""The front door's public API: routing a question, the agency responsible for a place, the service
directory and public contacts across agencies (public data only; no sign-in)."""

from __future__ import annotations

import contextlib
import math

from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from core.language import normalize as normalize_language
from frontdoor import catalogue, location, routing

MAX_QUERY_CHARS = 1000


def _error(detail: str, status: int = 400, **extra) -> Response:
    return Response(
        {"detail": detail, "directory": reverse("home"), "services": reverse("frontdoor-services"), **extra},
        status=status,
    )


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]


class RoutedAgencyOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()


class ElsewhereOutput(serializers.Serializer):
    topic = serializers.CharField(help_text="passport, green card, citizenship, weather")
    handler = serializers.CharField(help_text="Who handles it, in `lang`.")
    url = serializers.URLField()


class RouteOutput(serializers.Serializer):
    agencies = RoutedAgencyOutput(many=True)
    decision = serializers.ChoiceField(choices=["answer", "choose", "none"])
    elsewhere = ElsewhereOutput(
        required=False, help_text="With decision none: a topic none of these agencies handles, and who does."
    )


class RouteApi(_Public):
    """Which agency can answer a question: best first, and whether to answer, let the citizen choose, or none."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS, "pattern": r"[^\s\x1c-\x1f\x85]"},
                required=True,
                description="The question, 1-1000 characters.",
            ),
            OpenApiParameter(
                "lang",
                str,
                description="The citizen's language (a hint), e.g. en, es, zh-hans; agencies are named in it where "
                "they have that translation.",
            ),
        ],
        responses={200: RouteOutput},
    )
    def get(self, request):
        question = request.query_params.get("q", "")
        if not question.strip():
            return _error("Ask a question (the q parameter is empty), or browse the directory.")
        if len(question) > MAX_QUERY_CHARS:
            return _error(f"The question is longer than {MAX_QUERY_CHARS} characters; ask it in fewer words.")
        language = request.query_params.get("lang", "")[:10]
        route = routing.route_question(question=question, language=language)
        body = route.as_dict(language=language)
        if route.elsewhere is not None:
            code = normalize_language(language)
            with translation.override(code) if code else contextlib.nullcontext():
                body["elsewhere"] = route.elsewhere.as_dict()
        return Response(body)


LocationOutput = inline_serializer(
    "ResponsibleAgency",
    {
        "agency": inline_serializer(
            "LocatedAgency", {"slug": serializers.CharField(), "name": serializers.CharField()}
        ),
        "area": serializers.CharField(),
        "why": serializers.CharField(),
        "category": inline_serializer(
            "LocatedCategory", {"code": serializers.CharField(), "name": serializers.CharField()}, required=False
        ),
        "report_url": serializers.CharField(required=False),
        "others": serializers.ListField(child=serializers.DictField(), required=False),
    },
)


def _coordinate(raw: str, low: float, high: float) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and low <= value <= high else None


class LocationRouteApi(_Public):
    """The agency responsible for a place (and, with `category`, for that kind of problem there), and why."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lat", {"type": "number", "minimum": -90, "maximum": 90}, required=True, description="Latitude."
            ),
            OpenApiParameter(
                "lon", {"type": "number", "minimum": -180, "maximum": 180}, required=True, description="Longitude."
            ),
            OpenApiParameter(
                "category", str, description="A report category's code or a word of its name, e.g. pothole."
            ),
        ],
        responses={
            200: LocationOutput,
            404: OpenApiResponse(
                description="No agency on this portal is responsible for this place, or takes this kind of report."
            ),
        },
    )
    def get(self, request):
        lat = _coordinate(request.query_params.get("lat", ""), -90, 90)
        lon = _coordinate(request.query_params.get("lon", ""), -180, 180)
        if lat is None or lon is None:
            return _error("Give lat (-90 to 90) and lon (-180 to 180) as numbers.")
        category = request.query_params.get("category", "").strip()[:100]
        try:
            found = location.responsible_for(lat=lat, lon=lon, category=category)
        except location.UnknownCategory:
            # A well-formed question with no answer here (like a place outside every area): 404, not a refusal.
            return _error(
                f"No agency here takes reports of “{category}”. Search the services directory instead.", status=404
            )
        if not found:
            what = f" for “{category}”" if category else ""
            return _error(f"No agency on this portal is responsible for this place{what}.", status=404)
        best = found[0]
        data = best.as_dict()
        if best.category is not None:
            data["report_url"] = (
                reverse("requests:report-form", kwargs={"agency_slug": best.agency.slug, "code": best.category.code})
                + f"?lat={lat:.6f}&long={lon:.6f}"
            )
        data["others"] = [other.as_dict() for other in found[1:5]]
        return Response(data)


def _listing(entries, request, *, fields_language: bool) -> Response:
    query = request.query_params.get("q", "")
    if len(query) > MAX_QUERY_CHARS:
        return _error(f"The search is longer than {MAX_QUERY_CHARS} characters.")
    agency = request.query_params.get("agency", "").strip()[:40]
    language = request.query_params.get("lang", "")[:10] if fields_language else ""
    try:
        limit = int(request.query_params.get("limit", "50"))
    except ValueError:
        return _error("limit must be a number from 1 to 200.")
    if not 1 <= limit <= 200:
        return _error("limit must be a number from 1 to 200.")
    hits = catalogue.search(entries, query=query, agency=agency, limit=limit)
    return Response(
        {
            "count": len(hits),
            "results": [catalogue.entry_as_dict(entry, language=language, score=score) for entry, score in hits],
        }
    )


ListOutput = inline_serializer(
    "DirectoryList",
    {"count": serializers.IntegerField(), "results": serializers.ListField(child=serializers.DictField())},
)


class ServicesApi(_Public):
    """Every agency's services: its own "how to" services (with eligibility, fees, what to bring, hours and the
    online link), report categories and registration forms; searchable in any language the agency uses."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": MAX_QUERY_CHARS},
                description="What you want to do, in your words (prefixes and typos match).",
            ),
            OpenApiParameter("agency", str, description="Only this agency (its slug)."),
            OpenApiParameter("lang", str, description="Show the agency's translations in this language."),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 200}, description="Default 50."),
        ],
        responses={200: ListOutput},
    )
    def get(self, request):
        return _listing(catalogue.services_all(), request, fields_language=True)


class OfficialsApi(_Public):
    """Every agency's officials and offices that it marks public: name, title, what they handle, public
    e-mail, phone, office hours and address."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, description="A name, a title or what you need (e.g. business tax registration)."
            ),
            OpenApiParameter("agency", str, description="Only this agency (its slug)."),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 200}, description="Default 50."),
        ],
        responses={200: ListOutput},
    )
    def get(self, request):
        return _listing(catalogue.officials_all(), request, fields_language=False)
