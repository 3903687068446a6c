"""Writes of the knowledge base: documents, versions, indexing, activation, answers and knowledge gaps."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import detect as detect_language
from core.language import normalize as normalize_language
from knowledge import answering, indexing, retrieval
from knowledge.embedders import EmbeddingError
from knowledge.ingestion import IngestionError, format_for_filename
from knowledge.models import (
    Audience,
    Chunk,
    Document,
    DocumentVersion,
    SourceFormat,
    UnansweredQuestion,
    VersionStatus,
)
from knowledge.types import Answer, Passage

logger = logging.getLogger(__name__)


def max_upload_bytes() -> int:
    return int(getattr(settings, "KNOWLEDGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def confidence_floor() -> float:
    return float(getattr(settings, "KNOWLEDGE_CONFIDENCE_FLOOR", 0.55))


# --- documents and versions ------------------------------------------------------------------------


def _check_agency(agency, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.agency_id != agency.pk:
            raise ValidationError(_("This belongs to another agency."))


@transaction.atomic
def document_create(
    *,
    agency,
    actor,
    title: str,
    audience: str = Audience.PUBLIC,
    language: str = "en",
    source_url: str = "",
    tags: list[str] | None = None,
    is_crisis: bool = False,
    content: str | None = None,
    file=None,
    format: str | None = None,
    effective_from=None,
    queue: bool = True,
) -> Document:
    """Create a document and its first version, and queue the version's indexing."""
    document = Document(
        agency=agency,
        title=(title or "").strip(),
        audience=audience,
        language=normalize_language(language) or "en",
        source_url=source_url or "",
        tags=[tag.strip()[:50] for tag in (tags or []) if tag and tag.strip()],
        is_crisis=is_crisis,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean()
    document.save()
    document_version_create(
        agency=agency,
        actor=actor,
        document=document,
        content=content,
        file=file,
        format=format,
        effective_from=effective_from,
        queue=queue,
    )
    return document


@transaction.atomic
def document_update(*, agency, actor, document: Document, **fields) -> Document:
    """Change a document's metadata; audience changes reach the live chunks at once."""
    _check_agency(agency, document)
    allowed = {"title", "source_url", "audience", "language", "tags", "is_crisis"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "language" in fields:
        fields["language"] = normalize_language(fields["language"]) or "en"
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    if "audience" in fields:
        Chunk.objects.for_agency(agency).filter(document=document).update(audience=document.audience)
    return document


def _read_upload(file) -> tuple[bytes, str]:
    size = getattr(file, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s MB.") % {"limit": round(limit / 1048576, 1)}
        )
    return data, getattr(file, "name", "") or ""


@transaction.atomic
def document_version_create(
    *,
    agency,
    actor,
    document: Document,
    content: str | None = None,
    file=None,
    format: str | None = None,
    effective_from=None,
    queue: bool = True,
) -> DocumentVersion:
    """Store a new version (text or file) and queue its indexing. The active version keeps serving."""
    _check_agency(agency, document)
    document = Document.objects.for_agency(agency).select_for_update().get(pk=document.pk)
    if (content is None) == (file is None):
        raise ValidationError(_("Give either the text of the document or a file."))
    filename = ""
    if file is not None:
        data, filename = _read_upload(file)
        filename = filename.rsplit("/", 1)[-1][:255]
        fmt = format or format_for_filename(filename)
        if fmt is None:
            raise ValidationError(_("Unsupported file type. Upload .txt, .md, .html, .pdf, or a FAQ as .csv or .json."))
    else:
        data = content.encode("utf-8")
        if len(data) > max_upload_bytes():
            raise ValidationError(_("The text is too long."))
        fmt = format or SourceFormat.TEXT
    if fmt not in SourceFormat.values:
        raise ValidationError(_("Unsupported format: %(fmt)s") % {"fmt": fmt})
    if not data.strip():
        raise ValidationError(_("The document is empty."))
    checksum = hashlib.sha256(data).hexdigest()
    last = document.versions.order_by("-number").first()
    version = DocumentVersion(
        agency=agency,
        document=document,
        number=(last.number + 1) if last else 1,
        format=fmt,
        content=content if file is None else "",
        filename=filename,
        checksum=checksum,
        effective_from=effective_from,
        status=VersionStatus.INDEXING,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean(exclude=["file"])
    if file is not None:
        version.file.save(filename or f"upload.{fmt}", ContentFile(data), save=False)
    version.save()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    if queue:  # bulk loaders (evaluation, imports) index synchronously with `versions_index`
        transaction.on_commit(lambda: _queue_indexing(agency.pk, version.pk, actor_id))
    return version


def _queue_indexing(agency_id: int, version_id: int, actor_id: int | None) -> None:
    from knowledge.tasks import embed_document_version

    embed_document_version.delay(agency_id=agency_id, actor_id=actor_id, version_id=version_id)


@transaction.atomic
def document_retire(*, agency, actor, document: Document) -> Document:
    """Take a document out of answers: its active version is retired, its chunks stop being served."""
    _check_agency(agency, document)
    document = Document.objects.for_agency(agency).select_for_update().get(pk=document.pk)
    active = document.versions.filter(status=VersionStatus.ACTIVE).first()
    if active is not None:
        _version_retire(agency=agency, version=active)
    document.is_retired = True
    document.save()
    return document


@transaction.atomic
def document_delete(*, agency, actor, document: Document) -> None:
    _check_agency(agency, document)
    document = Document.objects.for_agency(agency).select_for_update().get(pk=document.pk)
    active = document.versions.filter(status=VersionStatus.ACTIVE).first()
    if active is not None:
        _version_retire(agency=agency, version=active)
    for version in document.versions.all():
        if version.file:
            version.file.delete(save=False)
    document.delete()


def _version_retire(*, agency, version: DocumentVersion) -> None:
    live = list(
        Chunk.objects.for_agency(agency).filter(version=version, is_live=True).values_list("heading_path", "text")
    )
    Chunk.objects.for_agency(agency).filter(version=version).update(is_live=False)
    indexing.document_frequencies_apply(agency=agency, texts=[indexing.embedding_text(h, t) for h, t in live], sign=-1)
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save()


# --- indexing --------------------------------------------------------------------------------------


def version_fail(*, agency, version_id: int, reason: str) -> DocumentVersion | None:
    """Mark a version failed with its reason; its chunks are dropped, the active version keeps serving."""
    with transaction.atomic():
        version = DocumentVersion.objects.for_agency(agency).select_for_update().filter(pk=version_id).first()
        if version is None or version.status not in (VersionStatus.INDEXING, VersionStatus.DRAFT):
            return version
        Chunk.objects.for_agency(agency).filter(version=version).delete()
        version.status = VersionStatus.FAILED
        version.error = reason[:2000]
        version.save()
        return version


def document_version_index(*, agency, version_id: int) -> DocumentVersion | None:
    """Parse, chunk and embed a version in batches (resumable, idempotent), then activate it.

    Re-running it leaves the same chunks: rows are keyed by (version, checksum) and only missing vectors
    are computed. `EmbeddingError` propagates so the task can retry with backoff; a source that cannot be
    parsed fails the version at once.
    """
    versions_index(agency=agency, version_ids=[version_id])
    return DocumentVersion.objects.for_agency(agency).filter(pk=version_id).first()


def versions_index(
    *, agency, version_ids: list[int], batch_size: int | None = None, maintain_indexes: bool = True
) -> dict[int, str]:
    """Index several versions with embedding batches that span them (bulk loads, evaluation)."""
    versions = list(
        DocumentVersion.objects.for_agency(agency)
        .select_related("document")
        .filter(pk__in=version_ids, status__in=[VersionStatus.INDEXING, VersionStatus.DRAFT])
        .order_by("pk")  # chunk ids follow upload order, so equal scores tie-break the same on every load
    )
    ready = []
    for version in versions:
        try:
            drafts = indexing.version_drafts(version)
        except IngestionError as exc:
            version_fail(agency=agency, version_id=version.pk, reason=str(exc))
            continue
        ready.append((version, drafts))
    indexing.embed_versions(agency=agency, prepared=ready, batch_size=batch_size)
    outcome = {}
    pending_frequencies: list[str] = []
    for version, _drafts in ready:
        activated = version_activate(
            agency=agency, version_id=version.pk, maintain_indexes=False, frequencies=pending_frequencies
        )
        outcome[version.pk] = activated.status if activated else "missing"
    # One document-frequency update for the whole batch (a repair is `agency_frequencies_rebuild`).
    indexing.document_frequencies_apply(agency=agency, texts=pending_frequencies, sign=+1)
    if maintain_indexes and ready:
        transaction.on_commit(lambda: _queue_index_maintenance(agency.pk))
    return outcome


@transaction.atomic
def version_activate(
    *, agency, version_id: int, maintain_indexes: bool = True, frequencies: list[str] | None = None
) -> DocumentVersion | None:
    """Make a fully indexed version the one that answers, retiring the previous one in the same commit.

    A version whose effective date is still ahead stays indexed and waits (see `versions_activate_due`).
    With `frequencies` (bulk loads), the new chunks' texts are appended there for one later update of the
    lexical document frequencies instead of one per version.
    """
    version = DocumentVersion.objects.for_agency(agency).select_related("document").filter(pk=version_id).first()
    if version is None:
        return None
    document = Document.objects.for_agency(agency).select_for_update().get(pk=version.document_id)
    version = DocumentVersion.objects.for_agency(agency).select_for_update().get(pk=version_id)
    if version.status not in (VersionStatus.INDEXING, VersionStatus.DRAFT):
        return version
    if version.effective_from and version.effective_from > timezone.localdate():
        if version.status != VersionStatus.DRAFT:
            version.status = VersionStatus.DRAFT
            version.save()
        return version
    previous = document.versions.filter(status=VersionStatus.ACTIVE).exclude(pk=version.pk).first()
    if previous is not None:
        _version_retire(agency=agency, version=previous)
    chunks = Chunk.objects.for_agency(agency).filter(version=version)
    chunks.update(is_live=True, audience=document.audience)
    texts = [indexing.embedding_text(h, t) for h, t in chunks.values_list("heading_path", "text")]
    if frequencies is None:
        indexing.document_frequencies_apply(agency=agency, texts=texts, sign=+1)
    else:
        frequencies.extend(texts)
    version.status = VersionStatus.ACTIVE
    version.activated_at = timezone.now()
    version.error = ""
    version.progress_done = version.progress_total = len(texts)
    version.save()
    if document.is_retired:
        document.is_retired = False
        document.save()
    if maintain_indexes:
        transaction.on_commit(lambda: _queue_index_maintenance(agency.pk))
    return version


def _queue_index_maintenance(agency_id: int) -> None:
    from knowledge.tasks import ensure_agency_indexes

    ensure_agency_indexes.delay(agency_id=agency_id)


def versions_activate_due(*, agency) -> int:
    """Activate indexed versions whose effective date has come (run daily by Celery beat)."""
    due = DocumentVersion.objects.for_agency(agency).filter(
        status=VersionStatus.DRAFT, effective_from__lte=timezone.localdate(), progress_total__gt=0
    )
    count = 0
    for version_id in due.values_list("pk", flat=True):
        version = version_activate(agency=agency, version_id=version_id)
        count += bool(version and version.status == VersionStatus.ACTIVE)
    return count


# --- answers ---------------------------------------------------------------------------------------


def unanswered_question_record(
    *, agency, question: str, language: str, audience: str, top_score: float
) -> UnansweredQuestion:
    record = UnansweredQuestion(
        agency=agency, question=question[:2000], language=language[:10], audience=audience, top_score=top_score
    )
    record.full_clean()
    record.save()
    return record


def _prepare(*, agency, question: str, audience: str, language: str | None, question_language: str | None = None):
    """`language`: the answer's (None: the question's own); `question_language`: the question's when the
    caller detected it already (a chat turn), else retrieval detects it with `language` as the hint."""
    question = " ".join((question or "").split())[:1000]
    audience = Audience.STAFF if audience == Audience.STAFF else Audience.PUBLIC
    language = normalize_language(language)
    question_language = normalize_language(question_language) or None
    if not language:
        fallback = (agency.languages or ["en"])[0]
        language = question_language = question_language or detect_language(question, fallback=fallback).written
    passages = (
        retrieval.search(
            agency=agency, query=question, audience=audience, language=language, query_language=question_language
        )
        if question
        else []
    )
    retrieved = [
        {"chunk_id": p.chunk_id, "version_id": p.version_id, "score": p.score}
        for passage in passages
        for p in (passage, *passage.also)
    ]
    top = max((p.confidence for p in passages[:3]), default=0.0)
    if passages and top >= confidence_floor():
        # The most confident of the top three leads (fusion ranks, confidence decides what is said).
        lead = max(passages[:3], key=lambda p: p.confidence)
        passages = [lead] + [p for p in passages if p is not lead]
    return question, audience, language, passages, retrieved, top


def _no_answer(*, agency, question, audience, language, retrieved, top) -> Answer:
    if question:
        unanswered_question_record(
            agency=agency, question=question, language=language, audience=audience, top_score=top
        )
    return Answer(
        text=answering.no_answer_text(agency, language),
        citations=[],
        confidence=round(top, 3),
        grounded=False,
        language=language,
        retrieved=retrieved,
    )


def _extractive(*, question, passages: list[Passage], language, retrieved, top) -> Answer:
    lead = passages[0]
    return Answer(
        text=answering.extract(question, lead, language),
        citations=answering.citations_for(lead),
        confidence=round(top, 3),
        grounded=True,
        language=lead.language or language,
        retrieved=retrieved,
    )


def _from_llm(*, agency, question, audience, raw: str, passages, language, retrieved, top, record_gap=True) -> Answer:
    if answering.NO_ANSWER_TOKEN in raw:
        return _no_answer(
            agency=agency,
            question=question if record_gap else "",
            audience=audience,
            language=language,
            retrieved=retrieved,
            top=top,
        )
    text, cited = answering.resolve_citations(raw, passages)
    if not cited:
        logger.info("LLM answer cited no retrieved passage; falling back to the extractive answer")
        return _extractive(question=question, passages=passages, language=language, retrieved=retrieved, top=top)
    return Answer(
        text=text,
        citations=[citation for p in cited for citation in answering.citations_for(p)],
        confidence=round(top, 3),
        grounded=True,
        language=language,
        retrieved=retrieved,
    )


def answer_question(
    *,
    agency,
    question: str,
    audience: str = "public",
    language: str | None = None,
    record_gap: bool = True,
    question_language: str | None = None,
) -> Answer:
    """A grounded, cited answer from the agency's knowledge base, or a plain "I don't know".

    Below the confidence floor the question is recorded as an `UnansweredQuestion` (knowledge gap)
    unless `record_gap` is False (staff trying questions out).
    """
    return answer_with_passages(
        agency=agency,
        question=question,
        audience=audience,
        language=language,
        record_gap=record_gap,
        question_language=question_language,
    )[0]


def answer_with_passages(
    *,
    agency,
    question: str,
    audience: str = "public",
    language: str | None = None,
    record_gap: bool = True,
    question_language: str | None = None,
) -> tuple[Answer, list[Passage]]:
    """The answer and the passages it was chosen from (for the staff "try a question" box)."""
    question, audience, language, passages, retrieved, top = _prepare(
        agency=agency, question=question, audience=audience, language=language, question_language=question_language
    )
    if not passages or top < confidence_floor():
        answer = _no_answer(
            agency=agency,
            question=question if record_gap else "",
            audience=audience,
            language=language,
            retrieved=retrieved,
            top=top,
        )
        return answer, passages
    context = passages[: answering.LLM_PASSAGES]
    if answering.llm_configured():
        try:
            raw = answering.llm_complete(agency=agency, question=question, passages=context, language=language)
        except Exception:
            logger.warning("LLM unavailable; answering extractively", exc_info=True)
        else:
            answer = _from_llm(
                agency=agency,
                question=question,
                audience=audience,
                raw=raw,
                passages=context,
                language=language,
                retrieved=retrieved,
                top=top,
                record_gap=record_gap,
            )
            return answer, passages
    return _extractive(question=question, passages=passages, language=language, retrieved=retrieved, top=top), passages


def answer_question_stream(
    *,
    agency,
    question: str,
    audience: str = "public",
    language: str | None = None,
    question_language: str | None = None,
) -> Iterator[str | Answer]:
    """Yield text deltas as the LLM writes, then the final `Answer` (without an LLM: just the Answer).

    The final Answer's text is authoritative (citation markers renumbered, invalid ones removed).
    """
    question, audience, language, passages, retrieved, top = _prepare(
        agency=agency, question=question, audience=audience, language=language, question_language=question_language
    )
    if not passages or top < confidence_floor():
        yield _no_answer(
            agency=agency, question=question, audience=audience, language=language, retrieved=retrieved, top=top
        )
        return
    context = passages[: answering.LLM_PASSAGES]
    if not answering.llm_configured():
        yield _extractive(question=question, passages=passages, language=language, retrieved=retrieved, top=top)
        return
    parts: list[str] = []
    try:
        for delta in answering.llm_stream(agency=agency, question=question, passages=context, language=language):
            parts.append(delta)
            yield delta
    except Exception:
        logger.warning("LLM stream failed; answering extractively", exc_info=True)
        yield _extractive(question=question, passages=passages, language=language, retrieved=retrieved, top=top)
        return
    yield _from_llm(
        agency=agency,
        question=question,
        audience=audience,
        raw="".join(parts),
        passages=context,
        language=language,
        retrieved=retrieved,
        top=top,
    )


__all__ = [
    "EmbeddingError",
    "answer_question",
    "answer_question_stream",
    "document_create",
    "document_delete",
    "document_retire",
    "document_update",
    "document_version_create",
    "document_version_index",
    "version_activate",
    "version_fail",
]
