"""Reads of the knowledge base, always scoped to one agency."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from knowledge.models import Audience, Chunk, Document, DocumentVersion, UnansweredQuestion, VersionStatus
from tenants.models import Role

KNOWLEDGE_EDIT_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


def documents_list(*, agency, search: str = "", audience: str | None = None, include_retired: bool = True) -> QuerySet:
    documents = Document.objects.for_agency(agency).prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.for_agency(agency).order_by("-number"))
    )
    if search:
        documents = documents.filter(Q(title__icontains=search) | Q(tags__icontains=[search]))
    if audience in ("public", "staff"):
        documents = documents.filter(audience=audience)
    if not include_retired:
        documents = documents.filter(is_retired=False)
    return documents.order_by("-is_crisis", "title", "pk")


def document_get(*, agency, document_id) -> Document | None:
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        return None
    return Document.objects.for_agency(agency).filter(pk=document_id).first()


def versions_of(*, agency, document: Document) -> QuerySet:
    return (
        DocumentVersion.objects.for_agency(agency)
        .filter(document=document)
        .select_related("author")
        .annotate(chunk_count=Count("chunks"))
        .order_by("-number")
    )


def version_get(*, agency, version_id, document: Document | None = None) -> DocumentVersion | None:
    try:
        version_id = int(version_id)
    except (TypeError, ValueError):
        return None
    versions = DocumentVersion.objects.for_agency(agency).select_related("document")
    if document is not None:
        versions = versions.filter(document=document)
    return versions.filter(pk=version_id).first()


def chunks_of(*, agency, version: DocumentVersion) -> QuerySet:
    return (
        Chunk.objects.for_agency(agency)
        .filter(version=version)
        .order_by("order")
        .only("id", "order", "heading_path", "text", "language", "is_live", "version_id")
    )


def public_passage_get(*, agency, chunk_id) -> Chunk | None:
    """A passage the public can read in full (a citation's "full passage"): live, public, this agency's."""
    return (
        Chunk.objects.for_agency(agency)
        .filter(pk=chunk_id, is_live=True, audience=Audience.PUBLIC)
        .select_related("document", "version")
        .first()
    )


def latest_version(document: Document) -> DocumentVersion | None:
    versions = list(document.versions.all())  # prefetched, newest first
    return versions[0] if versions else None


def unanswered_questions(*, agency, include_resolved: bool = False) -> QuerySet:
    questions = UnansweredQuestion.objects.for_agency(agency)
    if not include_resolved:
        questions = questions.filter(resolved=False)
    return questions.select_related("meant_chunk__document").order_by("-created_at")


def knowledge_stats(*, agency) -> dict:
    chunks = Chunk.objects.for_agency(agency)
    return {
        "documents": Document.objects.for_agency(agency).filter(is_retired=False).count(),
        "live_chunks": chunks.filter(is_live=True).count(),
        "indexing": DocumentVersion.objects.for_agency(agency).filter(status=VersionStatus.INDEXING).count(),
        "unanswered": UnansweredQuestion.objects.for_agency(agency).filter(resolved=False).count(),
    }
