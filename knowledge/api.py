"""Knowledge API under /api/v1/a/<slug>/: staff CRUD of documents and versions, search, knowledge gaps,
and the public `ask` endpoint. Views are thin: validate, call one service or selector, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from knowledge import selectors, services
from knowledge.models import Document, DocumentVersion
from knowledge.serializers import (
    AnswerOutput,
    AskInput,
    ChunkOutput,
    DocumentInput,
    DocumentOutput,
    DocumentPatch,
    SearchInput,
    SearchOutput,
    UnansweredOutput,
    VersionInput,
    VersionOutput,
)
from tenants.api import AgencyScopedAPIView
from tenants.selectors import STAFF_ROLES


class EditRolesForWrites:
    """Every staff role reads; administrators and supervisors change the knowledge base."""

    @property
    def allowed_roles(self):
        if self.request.method in SAFE_METHODS:
            return STAFF_ROLES
        return selectors.KNOWLEDGE_EDIT_ROLES


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
