"""Knowledge API under /api/v1/a/<slug>/: staff CRUD of documents and versions, search, knowledge gaps,
and the public `ask` endpoint. Views are thin: validate, call one service or selector, serialize."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from knowledge import selectors, services
from knowledge.models import Audience, Document, DocumentVersion, SourceFormat, UnansweredQuestion
from portal.api_input import JsonInput
from tenants.api import AgencyScopedAPIView
from tenants.selectors import STAFF_ROLES


class EditRolesForWrites:
    """Every staff role reads; administrators and supervisors change the knowledge base."""

    @property
    def allowed_roles(self):
        if self.request.method in SAFE_METHODS:
            return STAFF_ROLES
        return selectors.KNOWLEDGE_EDIT_ROLES


# --- serializers ------------------------------------------------------------------------------------


class VersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    format = serializers.CharField()
    filename = serializers.CharField()
    status = serializers.CharField()
    error = serializers.CharField()
    progress = serializers.SerializerMethodField()
    effective_from = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    retired_at = serializers.DateTimeField(allow_null=True)
    author = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_progress(self, version) -> dict:
        return {"done": version.progress_done, "total": version.progress_total, "percent": version.progress_percent}

    def get_author(self, version) -> str | None:
        return version.author.get_username() if version.author_id else None

    def get_url(self, version) -> str:
        agency = self.context["agency"]
        return reverse(
            "api-knowledge-version",
            kwargs={"agency_slug": agency.slug, "document_id": version.document_id, "version_id": version.pk},
        )


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    source_url = serializers.CharField()
    audience = serializers.CharField()
    language = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    is_crisis = serializers.BooleanField()
    is_retired = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    versions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_versions(self, document) -> list[dict]:
        return VersionOutput(list(document.versions.all())[:10], many=True, context=self.context).data

    def get_url(self, document) -> str:
        return reverse(
            "api-knowledge-document", kwargs={"agency_slug": self.context["agency"].slug, "document_id": document.pk}
        )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string", "description": "Tags separated by commas (an upload form's field)."},
        ]
    }
)
class TagsField(serializers.Field):
    """A list of tags, or one comma-separated string (HTML forms)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [part.strip() for part in data.split(",")]
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise ValidationError("Give a list of tags or a comma-separated string.")
        return [item.strip()[:50] for item in data if item.strip()][:20]

    def to_representation(self, value):
        return value


class VersionInput(JsonInput):
    content = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    file = serializers.FileField(required=False, allow_empty_file=True)
    format = serializers.ChoiceField(choices=SourceFormat.choices, required=False)
    effective_from = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if ("content" in attrs) == ("file" in attrs):
            raise ValidationError("Give either 'content' (text) or 'file' (an upload).")
        return attrs


class DocumentInput(VersionInput):
    title = serializers.CharField(max_length=300)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.PUBLIC)
    language = serializers.CharField(max_length=10, default="en")
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    tags = TagsField(required=False, default=list)
    is_crisis = serializers.BooleanField(required=False, default=False)


class DocumentPatch(JsonInput):
    title = serializers.CharField(max_length=300, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    language = serializers.CharField(max_length=10, required=False)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    tags = TagsField(required=False)
    is_crisis = serializers.BooleanField(required=False)


class ChunkOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    heading_path = serializers.CharField()
    text = serializers.CharField()
    language = serializers.CharField()
    is_live = serializers.BooleanField()


class CitationOutput(serializers.Serializer):
    document_id = serializers.IntegerField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField()
    chunk_id = serializers.IntegerField()


class AnswerOutput(serializers.Serializer):
    text = serializers.CharField()
    citations = CitationOutput(many=True)
    confidence = serializers.FloatField()
    grounded = serializers.BooleanField()
    language = serializers.CharField()


class AskInput(JsonInput):
    question = serializers.CharField(max_length=1000)
    # A language code (en, es, zh-hans…): anything else was stored as the gap's language as given.
    language = serializers.RegexField(
        r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$", max_length=10, required=False, allow_blank=True
    )


class SearchInput(AskInput):
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.STAFF)


class PassageCopyOutput(serializers.Serializer):
    """An identical passage of another document, folded into the result above it."""

    chunk_id = serializers.IntegerField()
    document_id = serializers.IntegerField()
    version_number = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class PassageOutput(serializers.Serializer):
    chunk_id = serializers.IntegerField()
    document_id = serializers.IntegerField()
    version_number = serializers.IntegerField()
    title = serializers.CharField()
    heading_path = serializers.CharField()
    text = serializers.CharField()
    audience = serializers.CharField()
    is_crisis = serializers.BooleanField()
    score = serializers.FloatField()
    confidence = serializers.FloatField()
    signals = serializers.DictField(child=serializers.FloatField())
    also = PassageCopyOutput(many=True)


class SearchOutput(serializers.Serializer):
    answer = AnswerOutput()
    passages = PassageOutput(many=True)


class UnansweredOutput(serializers.ModelSerializer):
    class Meta:
        model = UnansweredQuestion
        fields = ["id", "question", "language", "audience", "top_score", "resolved", "created_at"]


# --- views ------------------------------------------------------------------------------------------


class DocumentListApi(EditRolesForWrites, AgencyScopedAPIView):
    """The agency's knowledge documents (staff). POST creates a document from text or an uploaded file."""

    parser_classes = [JSONParser, MultiPartParser]
    serializer_class = DocumentOutput

    def get_agency_queryset(self, agency):
        return selectors.documents_list(
            agency=agency,
            search=self.request.query_params.get("search", "").strip()[:100],
            audience=self.request.query_params.get("audience"),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "agency": self.agency}

    @extend_schema(operation_id="knowledge_documents_list", responses=DocumentOutput(many=True))
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DocumentOutput(page, many=True, context=self.get_serializer_context()).data)

    @extend_schema(request=DocumentInput, responses={201: DocumentOutput})
    def post(self, request, *args, **kwargs):
        data = DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_create(agency=self.agency, actor=request.user, **data.validated_data)
        document = selectors.documents_list(agency=self.agency).get(pk=document.pk)
        return Response(DocumentOutput(document, context=self.get_serializer_context()).data, status=201)


class DocumentDetailApi(EditRolesForWrites, AgencyScopedAPIView):
    """One document: read, change its metadata (PATCH), or delete it with all its versions."""

    serializer_class = DocumentOutput
    lookup_url_kwarg = "document_id"

    def get_agency_queryset(self, agency):
        return selectors.documents_list(agency=agency)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "agency": self.agency}

    def get(self, request, *args, **kwargs):
        return Response(DocumentOutput(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(request=DocumentPatch, responses={200: DocumentOutput})
    def patch(self, request, *args, **kwargs):
        document = self.get_object()
        data = DocumentPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.document_update(agency=self.agency, actor=request.user, document=document, **data.validated_data)
        return Response(DocumentOutput(self.get_object(), context=self.get_serializer_context()).data)

    def delete(self, request, *args, **kwargs):
        services.document_delete(agency=self.agency, actor=request.user, document=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentRetireApi(EditRolesForWrites, AgencyScopedAPIView):
    """Retire a document: it stops answering questions; its versions stay for the record."""

    serializer_class = DocumentOutput
    lookup_url_kwarg = "document_id"

    def get_agency_queryset(self, agency):
        return selectors.documents_list(agency=agency)

    @extend_schema(request=None, responses={200: DocumentOutput})
    def post(self, request, *args, **kwargs):
        services.document_retire(agency=self.agency, actor=request.user, document=self.get_object())
        return Response(DocumentOutput(self.get_object(), context={"agency": self.agency, "request": request}).data)


class VersionListApi(EditRolesForWrites, AgencyScopedAPIView):
    """Versions of a document; POST uploads a new version (it replaces the active one once indexed)."""

    parser_classes = [JSONParser, MultiPartParser]
    serializer_class = VersionOutput
    pagination_class = None

    def get_agency_queryset(self, agency):
        document = selectors.document_get(agency=agency, document_id=self.kwargs["document_id"])
        if document is None:
            raise NotFound
        self.document = document
        return selectors.versions_of(agency=agency, document=document)

    @extend_schema(operation_id="knowledge_versions_list", responses=VersionOutput(many=True))
    def get(self, request, *args, **kwargs):
        return Response(VersionOutput(self.get_queryset(), many=True, context={"agency": self.agency}).data)

    @extend_schema(request=VersionInput, responses={201: VersionOutput})
    def post(self, request, *args, **kwargs):
        self.get_queryset()
        data = VersionInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.document_version_create(
            agency=self.agency, actor=request.user, document=self.document, **data.validated_data
        )
        return Response(VersionOutput(version, context={"agency": self.agency}).data, status=201)


class VersionDetailApi(AgencyScopedAPIView):
    """One version with its indexing status and progress (poll this for a live progress bar)."""

    serializer_class = VersionOutput
    lookup_url_kwarg = "version_id"

    def get_agency_queryset(self, agency):
        return DocumentVersion.objects.for_agency(agency).filter(document_id=self.kwargs["document_id"])

    def get(self, request, *args, **kwargs):
        return Response(VersionOutput(self.get_object(), context={"agency": self.agency}).data)


class VersionChunksApi(AgencyScopedAPIView):
    """The passages a version was cut into (chunk preview)."""

    serializer_class = ChunkOutput

    def get_agency_queryset(self, agency):
        version = selectors.version_get(agency=agency, version_id=self.kwargs["version_id"])
        if version is None or version.document_id != self.kwargs["document_id"]:
            raise NotFound
        return selectors.chunks_of(agency=agency, version=version)

    @extend_schema(operation_id="knowledge_chunks_list", responses=ChunkOutput(many=True))
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ChunkOutput(page, many=True).data)


class SearchApi(AgencyScopedAPIView):
    """Staff "try a question": the answer plus the retrieved passages with their scores."""

    serializer_class = SearchOutput
    throttle_classes = [UserRateThrottle]

    def get_agency_queryset(self, agency):
        return Document.objects.none()

    @extend_schema(request=SearchInput, responses={200: SearchOutput})
    def post(self, request, *args, **kwargs):
        data = SearchInput(data=request.data)
        data.is_valid(raise_exception=True)
        answer, passages = services.answer_with_passages(
            agency=self.agency,
            question=data.validated_data["question"],
            audience=data.validated_data["audience"],
            language=data.validated_data.get("language") or None,
            record_gap=False,
        )
        return Response(SearchOutput({"answer": answer, "passages": passages}).data)


class UnansweredListApi(AgencyScopedAPIView):
    """Questions the knowledge base could not answer (the knowledge-gap report)."""

    serializer_class = UnansweredOutput

    def get_agency_queryset(self, agency):
        return selectors.unanswered_questions(agency=agency)

    @extend_schema(operation_id="knowledge_unanswered_list", responses=UnansweredOutput(many=True))
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(UnansweredOutput(page, many=True).data)


class AskApi(AgencyScopedAPIView):
    """Ask the agency a question (public): a cited answer from its knowledge base, or "I don't know"."""

    allowed_roles = None
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = AnswerOutput

    def get_agency_queryset(self, agency):
        return Document.objects.none()

    @extend_schema(request=AskInput, responses={200: AnswerOutput})
    def post(self, request, *args, **kwargs):
        data = AskInput(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.answer_question(
            agency=self.agency,
            question=data.validated_data["question"],
            audience="public",
            language=data.validated_data.get("language") or None,
        )
        return Response(AnswerOutput(answer).data)
