"""GET /api/v1/a/<slug>/analytics/summary/?from=YYYY-MM-DD&to=YYYY-MM-DD (staff session)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from analytics.models import Feedback
from analytics.permissions import ANALYTICS_ROLES
from analytics.selectors import analytics_summary
from analytics.selectors.filters import period_for
from tenants.api import AgencyScopedAPIView


class InputRefused(APIException):
    status_code = 400
    default_code = "invalid"


def period_or_400(*, agency, params):
    """The period, or a 400 whose `detail` says what is wrong with the range or a filter."""
    try:
        return period_for(agency=agency, params=params)
    except ValidationError as exc:
        raise InputRefused(detail=" ".join(exc.messages), code=exc.code or "invalid") from None


class CsatOutput(serializers.Serializer):
    responses = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)
    distribution = serializers.DictField(child=serializers.IntegerField(), help_text='{"1": n, …, "5": n}')


class RequestsOutput(serializers.Serializer):
    filed = serializers.IntegerField()
    closed = serializers.IntegerField()
    sla_met_rate = serializers.FloatField(allow_null=True)


class RegistrationsOutput(serializers.Serializer):
    submitted = serializers.IntegerField()


class FeedbackOutput(serializers.Serializer):
    received = serializers.IntegerField()


class SummaryOutput(serializers.Serializer):
    conversations = serializers.IntegerField()
    contained = serializers.IntegerField()
    containment_rate = serializers.FloatField(allow_null=True)
    handoffs = serializers.IntegerField()
    handoff_rate = serializers.FloatField(allow_null=True)
    csat = CsatOutput()
    unanswered = serializers.IntegerField()
    requests = RequestsOutput()
    registrations = RegistrationsOutput()
    feedback = FeedbackOutput()


class SummaryApi(AgencyScopedAPIView):
    """The agency's numbers for a date range (whole days in its time zone; at most 366 days; the last 30
    days without dates). Definitions: docs/analytics.md."""

    allowed_roles = ANALYTICS_ROLES
    serializer_class = SummaryOutput
    pagination_class = None

    def get_agency_queryset(self, agency):
        return Feedback.objects.for_agency(agency)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD"),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD"),
            OpenApiParameter("channel", str, description="Only conversations on this channel"),
            OpenApiParameter("department", int, description="Only requests of this department"),
            OpenApiParameter("category", int, description="Only requests of this category"),
        ],
        responses=SummaryOutput,
    )
    def get(self, request, **kwargs):
        period = period_or_400(agency=self.agency, params=request.query_params)
        return Response(SummaryOutput(analytics_summary(agency=self.agency, period=period)).data)
