"""GET /api/v1/a/<slug>/analytics/summary/?from=YYYY-MM-DD&to=YYYY-MM-DD (staff session) and
POST /api/v1/a/<slug>/feedback/ {text, rating?, language?, contact?, about_kind?, about_ref?, anonymous?} (public)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from analytics.feedback.services import feedback_submit
from analytics.models import FEEDBACK_MAX_CHARS, Feedback
from analytics.permissions import ANALYTICS_ROLES
from analytics.selectors import analytics_summary
from analytics.selectors.filters import period_for
from core.errors import api_error
from portal.api_input import JsonInput
from tenants.api import AgencyScopedAPIView


class InputRefused(APIException):
    status_code = 400
    default_code = "invalid"


# The API's numeric filters: given, they name an id. The dashboard's form sends "" for "all"; the API's schema says
# a whole number, so a blank one is refused instead of read as no filter.
ID_FILTERS = ("department", "category")


def period_or_400(*, agency, params):
    """The period, or a 400 whose `detail` says what is wrong with the range or a filter."""
    for name in ID_FILTERS:
        if name in params and not (params.get(name) or "").strip():
            raise InputRefused(
                detail=_("%(name)s must be a whole number (an id).") % {"name": name}, code="blank_filter"
            )
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


# An e-mail address (ASCII, as Django's validator accepts it) or a phone number: what a reply can reach.
CONTACT_PATTERN = (
    r"^(?:[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"|\+?[0-9][0-9 ().-]{6,19})$"
)


class FeedbackInput(JsonInput):
    def to_internal_value(self, data):
        # DRF trims before it checks max_length; the schema's maxLength is about the text as sent.
        if isinstance(data, dict):
            errors = {
                name: [f"At most {field.max_length} characters."]
                for name, field in self.fields.items()
                if isinstance(data.get(name), str)
                and getattr(field, "max_length", None)
                and len(data[name]) > field.max_length
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    text = serializers.CharField(max_length=FEEDBACK_MAX_CHARS, help_text="The feedback, plain text.")
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    language = serializers.CharField(max_length=10, required=False, allow_blank=True)
    contact = serializers.RegexField(
        CONTACT_PATTERN,
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="An e-mail address or phone number for a reply.",
    )
    about_kind = serializers.ChoiceField(choices=Feedback.About.values, required=False, allow_blank=True)
    about_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)
    anonymous = serializers.BooleanField(required=False, default=False)


class FeedbackReceived(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.CharField(allow_null=True, help_text="The topic it was filed under (slug).")
    sentiment = serializers.CharField()
    status = serializers.CharField()


class FeedbackApi(AgencyScopedAPIView):
    """A citizen's feedback on the agency (no account needed), classified on arrival."""

    allowed_roles = None
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = FeedbackInput
    pagination_class = None

    def get_agency_queryset(self, agency):
        return Feedback.objects.for_agency(agency)

    @extend_schema(request=FeedbackInput, responses={201: FeedbackReceived})
    def post(self, request, **kwargs):
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            feedback = feedback_submit(agency=self.agency, channel=Feedback.Channel.API, **data.validated_data)
        except ValidationError as exc:
            if "about_ref" in getattr(exc, "error_dict", {}):
                raise NotFound(" ".join(exc.messages)) from None  # like any reference that names nothing
            raise api_error(exc) from None
        body = {
            "id": feedback.pk,
            "topic": feedback.topic.slug if feedback.topic else None,
            "sentiment": feedback.sentiment,
            "status": feedback.status,
        }
        return Response(FeedbackReceived(body).data, status=201)
