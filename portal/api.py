"""Platform-level API: the agency directory, and the API's error handling."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import api_error
from portal.directory import agencies_search
from portal.tracking import status_lookup
from portal.views import database_unavailable
from tenants.api import AgencyScopedAPIView
from tenants.models import Agency
from tenants.selectors import agencies_public
from tenants.translations import ui_language

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    """DRF's handler, plus: a service's validation error is a 400 naming the fields (`core.errors`), and
    anything unexpected becomes a plain 500 JSON body, never a traceback."""
    if isinstance(exc, DjangoValidationError):
        exc = api_error(exc)
    response = drf_exception_handler(exc, context)
    if response is None and database_unavailable(exc):
        logger.warning("Database unavailable: %s", exc)
        return Response(
            {"detail": "Service temporarily unavailable. Please try again in a few seconds."},
            status=503,
            headers={"Retry-After": "5"},
        )
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response({"detail": "Internal error. The problem has been logged."}, status=500)
    return response


class AgencyOutput(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["slug", "name", "kind", "languages", "description", "crisis_mode", "links"]

    def _language(self) -> str:
        return ui_language(self.context["request"].query_params.get("lang", "")[:10])

    def get_name(self, agency: Agency) -> str:
        """In `lang=` where the agency has that translation; without `lang=`, its own name, as before."""
        return agency.name_in(self._language())

    def get_description(self, agency: Agency) -> str:
        return agency.description_in(self._language())

    def get_links(self, agency: Agency) -> dict[str, str]:
        request = self.context["request"]
        return {
            "html": request.build_absolute_uri(agency.get_absolute_url()),
            "self": request.build_absolute_uri(reverse("api-agency-list") + f"?search={agency.slug}"),
        }


class AgencyListApi(generics.ListAPIView):
    """Every active agency on this installation."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = AgencyOutput

    def get_queryset(self):
        query = self.request.query_params.get("search", "").strip()[:100]
        return agencies_search(query=query) if query else agencies_public()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                str,
                description="What you need, in any UI language: matches agency names and descriptions, report "
                "categories, registration forms and public document titles, by prefix and with typos; best first.",
            ),
            OpenApiParameter(
                "lang",
                str,
                description="Name and describe each agency in this language (en, es, zh-hans, de, fr, vi, ko, ar) "
                "where it has that translation; without it, in the agency's own.",
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StatusEventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    note = serializers.CharField()


class StatusOutput(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=["service_request", "registration"])
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    expected_date = serializers.DateField(allow_null=True)
    history = StatusEventOutput(many=True)


class StatusLookupApi(AgencyScopedAPIView):
    """Status of a service request or registration by its reference number (public; no personal data)."""

    allowed_roles = None
    authentication_classes = []
    serializer_class = StatusOutput
    throttle_classes = [AnonRateThrottle]

    def get_agency_queryset(self, agency):
        return Agency.objects.none()

    def get(self, request, reference: str, **kwargs):
        status = status_lookup(agency=self.agency, reference=reference)
        if status is None:
            raise NotFound("No request or registration has this reference.")
        return Response(StatusOutput(status).data)
