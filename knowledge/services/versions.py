"""Indexing versions (resumable, idempotent, in batches) and activating them: the previous version is
retired in the same commit; a version with a later effective date waits for it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from knowledge import indexing
from knowledge.ingestion import IngestionError
from knowledge.models import Chunk, Document, DocumentVersion, VersionStatus


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
        version_retire(agency=agency, version=previous)
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


def version_retire(*, agency, version: DocumentVersion) -> None:
    live = list(
        Chunk.objects.for_agency(agency).filter(version=version, is_live=True).values_list("heading_path", "text")
    )
    Chunk.objects.for_agency(agency).filter(version=version).update(is_live=False)
    indexing.document_frequencies_apply(agency=agency, texts=[indexing.embedding_text(h, t) for h, t in live], sign=-1)
    version.status = VersionStatus.RETIRED
    version.retired_at = timezone.now()
    version.save()


def _queue_index_maintenance(agency_id: int) -> None:
    from knowledge.tasks import ensure_agency_indexes, fill_shared_vectors

    ensure_agency_indexes.delay(agency_id=agency_id)
    # The new passages' vectors for questions in other languages (knowledge.shared_space).
    fill_shared_vectors.delay(agency_id=agency_id)


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


def versions_requeue_stalled(*, agency) -> dict[str, int]:
    """Queue the indexing task again for the agency's versions left `indexing` with no progress for
    KNOWLEDGE_INDEX_STALL_MINUTES (the worker running it was killed; the broker would redeliver its message
    only after its visibility timeout, an hour). Indexing is idempotent (chunk rows are unique per version and
    text), so the rerun keeps what was stored and embeds the rest; a rare rerun of a slow but living task
    costs time, not duplicates. After KNOWLEDGE_INDEX_MAX_REQUEUES re-queues the version fails (something
    kills its worker every time) and the active version keeps serving.

    A version whose indexing never started (no `progress_at`) is left alone: it is waiting in the queue.
    """
    from knowledge.services.documents import _queue_indexing

    now = timezone.now()
    cutoff = now - timedelta(minutes=float(settings.KNOWLEDGE_INDEX_STALL_MINUTES))
    limit = int(settings.KNOWLEDGE_INDEX_MAX_REQUEUES)
    stalled = DocumentVersion.objects.for_agency(agency).filter(status=VersionStatus.INDEXING, progress_at__lt=cutoff)
    outcome = {"requeued": 0, "failed": 0}
    for version_id, progress_at, requeues, author_id in stalled.values_list("pk", "progress_at", "requeues", "author"):
        if requeues >= limit:
            version = version_fail(
                agency=agency,
                version_id=version_id,
                reason=f"Indexing stopped without finishing {requeues + 1} times (its worker was lost).",
            )
            outcome["failed"] += bool(version and version.status == VersionStatus.FAILED)
            continue
        with transaction.atomic():
            # Only if nothing moved since it was read (another sweep, or the task coming back to life).
            claimed = (
                DocumentVersion.objects.for_agency(agency)
                .filter(pk=version_id, status=VersionStatus.INDEXING, progress_at=progress_at)
                .update(requeues=F("requeues") + 1, progress_at=now)
            )
            if claimed:
                transaction.on_commit(lambda v=version_id, a=author_id: _queue_indexing(agency.pk, v, a))
        outcome["requeued"] += claimed
    return outcome
