"""Platform-level API: the agency directory, and the API's error handling."""

import logging

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tenants.models import Agency
from tenants.selectors import agencies_public

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    """DRF's handler, plus: anything unexpected becomes a plain 500 JSON body, never a traceback."""
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response({"detail": "Internal error. The problem has been logged."}, status=500)
    return response


class AgencyOutput(serializers.ModelSerializer):
    links = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["slug", "name", "kind", "languages", "description", "crisis_mode", "links"]

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
        return agencies_public(search=self.request.query_params.get("search", "").strip()[:100])

    @extend_schema(parameters=[OpenApiParameter("search", str, description="Filter by name or description.")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
