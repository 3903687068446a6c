"""Public API: published forms, their definitions, and submissions (all answers at once)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core.errors import error_dict
from registrations.engine import LANGUAGES, localize, normalize_language
from registrations.flows import spec_for
from registrations.models import Channel
from registrations.selectors import form_get, forms_published
from registrations.services import FormClosed, SubmissionInvalid, form_current_version, registration_create
from tenants.api import AgencyScopedAPIView


class SubmissionThrottle(AnonRateThrottle):
    scope = "registration_submit"
    rate = "30/minute"


def _languages(spec) -> list[str]:
    title = spec.title
    return sorted(title) if isinstance(title, dict) else ["en"]


class FormSummaryOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    version = serializers.IntegerField()
    languages = serializers.ListField(child=serializers.CharField())
    links = serializers.DictField(child=serializers.CharField())


class FormDetailOutput(FormSummaryOutput):
    definition = serializers.DictField(help_text="The form definition: steps, typed fields, conditions.")


class _PublicFormApi(AgencyScopedAPIView):
    allowed_roles = None
    authentication_classes = []
    pagination_class = None
    throttle_classes = [AnonRateThrottle]

    def get_agency_queryset(self, agency):
        return forms_published(agency=agency)

    def summary(self, request, form, version) -> dict:
        spec = spec_for(version)
        lang = normalize_language(get_language())
        slug = self.agency.slug
        return {
            "slug": form.slug,
            "title": localize(spec.title, lang),
            "description": localize(spec.description, lang),
            "version": version.number,
            "languages": _languages(spec),
            "links": {
                "self": request.build_absolute_uri(reverse("api-registration-form", args=[slug, form.slug])),
                "submissions": request.build_absolute_uri(
                    reverse("api-registration-submissions", args=[slug, form.slug])
                ),
                "html": request.build_absolute_uri(reverse("registration-form", args=[slug, form.slug])),
            },
        }

    def open_form(self, form_slug: str):
        form = form_get(agency=self.agency, slug=form_slug)
        if form is None:
            raise NotFound("No form has this name.")
        version = form_current_version(agency=self.agency, form=form)
        if not form.published or version is None or version.retired:
            raise NotFound("This form is not open for applications right now.")
        return form, version


class FormListApi(_PublicFormApi):
    """The agency's published registration forms."""

    serializer_class = FormSummaryOutput

    @extend_schema(responses=FormSummaryOutput(many=True))
    def get(self, request, **kwargs):
        rows = []
        for form in self.get_queryset():
            version = form_current_version(agency=self.agency, form=form)
            if version is not None and not version.retired:
                rows.append(self.summary(request, form, version))
        return Response(rows)


class FormDetailApi(_PublicFormApi):
    """One published form with its full definition (labels in every language it has)."""

    serializer_class = FormDetailOutput

    def get(self, request, form_slug: str, **kwargs):
        form, version = self.open_form(form_slug)
        return Response({**self.summary(request, form, version), "definition": version.definition})


class SubmissionInput(serializers.Serializer):
    answers = serializers.DictField(help_text='Answers by field id; a file is {"name": …, "content_base64": …}.')
    language = serializers.ChoiceField(choices=list(LANGUAGES), required=False)
    version = serializers.IntegerField(required=False, help_text="The form version the answers were written for.")


class SubmissionCreateApi(_PublicFormApi):
    """Submit an application with every answer at once. Refused per field when an answer is invalid,
    a required question is skipped, or a question that does not apply (or does not exist) is answered."""

    serializer_class = SubmissionInput
    throttle_classes = [SubmissionThrottle]

    @extend_schema(
        request=SubmissionInput,
        responses={
            201: inline_serializer(
                "SubmissionCreated",
                {
                    "reference": serializers.CharField(),
                    "status": serializers.CharField(),
                    "status_url": serializers.URLField(),
                },
            ),
            400: OpenApiResponse(description='{"detail": …, "errors": {field: [message]}, "codes": {field: code}}'),
            404: OpenApiResponse(description="Unknown form, or not open for applications."),
            409: OpenApiResponse(description="The answers were written for a retired version."),
        },
    )
    def post(self, request, form_slug: str, **kwargs):
        form, version = self.open_form(form_slug)
        data = SubmissionInput(data=request.data)
        if not data.is_valid():
            return Response({"detail": "The request body is not valid.", "errors": data.errors}, status=400)
        lang = data.validated_data.get("language") or normalize_language(get_language())
        asked = data.validated_data.get("version")
        if asked is not None and asked != version.number:
            return Response(
                {"detail": f"Version {asked} of this form is not accepted; the current version is {version.number}."},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            registration = registration_create(
                agency=self.agency,
                form=form,
                answers=data.validated_data["answers"],
                language=lang,
                channel=Channel.API,
            )
        except SubmissionInvalid as exc:
            return Response(
                {
                    "detail": "Some answers need attention.",
                    "errors": {key: [error.message(lang)] for key, error in exc.errors.items()},
                    "codes": {key: error.code for key, error in exc.errors.items()},
                },
                status=400,
            )
        except FormClosed as exc:
            raise NotFound(exc.message) from exc
        except ValidationError as exc:
            errors = error_dict(exc, field="answers")
            return Response({"detail": "Some answers need attention.", "errors": errors}, status=400)
        status_url = reverse("api-status", args=[self.agency.slug, registration.reference])
        return Response(
            {
                "reference": registration.reference,
                "status": registration.status,
                "status_url": request.build_absolute_uri(status_url),
            },
            status=201,
        )
