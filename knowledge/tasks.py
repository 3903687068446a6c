"""Celery tasks of the knowledge base (thin: load by id, call a service)."""

import logging

from celery import shared_task

from core.tasks import AgencyTask

logger = logging.getLogger(__name__)

MAX_RETRIES = 5


@shared_task(
    base=AgencyTask, bind=True, name="knowledge.embed_document_version", max_retries=MAX_RETRIES, acks_late=True
)
def embed_document_version(self, *, agency, version_id: int):
    """Chunk and embed one document version, then activate it.

    A failing embedding provider is retried with exponential backoff (2, 4, 8, … s); after
    the last retry the version is marked failed with the reason and the previous version keeps serving.
    """
    from django.db.models import F
    from django.utils import timezone

    from knowledge.embedders import EmbeddingError
    from knowledge.models import DocumentVersion
    from knowledge.services import document_version_index, version_fail

    DocumentVersion.objects.for_agency(agency).filter(pk=version_id).update(
        attempts=F("attempts") + 1, progress_at=timezone.now()
    )
    try:
        version = document_version_index(agency=agency, version_id=version_id)
    except EmbeddingError as exc:
        from django.conf import settings

        max_retries = int(getattr(settings, "KNOWLEDGE_EMBED_MAX_RETRIES", MAX_RETRIES))
        if self.request.retries >= max_retries:
            version_fail(
                agency=agency,
                version_id=version_id,
                reason=f"Embedding failed after {self.request.retries + 1} attempts: {exc}",
            )
            return "failed"
        base = float(getattr(settings, "KNOWLEDGE_EMBED_RETRY_BACKOFF", 2.0))
        countdown = min(300.0, base * 2**self.request.retries)
        logger.warning(
            "Embedding provider failed for version %s (attempt %s): %s", version_id, self.request.retries + 1, exc
        )
        raise self.retry(
            exc=exc,
            countdown=countdown,
            max_retries=max_retries,
            kwargs={"agency_id": agency.pk, "actor_id": _actor_id(), "version_id": version_id},
        ) from exc
    return version.status if version is not None else None


@shared_task(base=AgencyTask, name="knowledge.ensure_agency_indexes")
def ensure_agency_indexes(*, agency):
    """Create (or drop) the agency's partial vector indexes to match its size."""
    from knowledge.indexes import agency_indexes_ensure

    return agency_indexes_ensure(agency=agency)


@shared_task(base=AgencyTask, name="knowledge.fill_shared_vectors", acks_late=True)
def fill_shared_vectors(*, agency):
    """The shared-space vectors of the agency's live chunks that lack them (after an activation; the sweep)."""
    from knowledge.shared_space import shared_vectors_fill

    return shared_vectors_fill(agency=agency)


@shared_task(name="knowledge.shared_vectors_sweep")
def shared_vectors_sweep():
    """Every minute (beat): queue `fill_shared_vectors` for each agency with live chunks still lacking their
    shared-space vectors (knowledge bases indexed before they existed; a fill lost with its worker)."""
    from knowledge.shared_space import shared_space_enabled, shared_vectors_missing
    from tenants.context import agency_context
    from tenants.models import Agency

    if not shared_space_enabled():
        return 0
    queued = 0
    for agency in Agency.objects.filter(is_active=True):
        with agency_context(agency):
            if shared_vectors_missing(agency=agency):
                fill_shared_vectors.delay(agency_id=agency.pk)
                queued += 1
    return queued


@shared_task(name="knowledge.activate_due_versions")
def activate_due_versions():
    """Daily: activate versions whose effective date has come, agency by agency."""
    from knowledge.services import versions_activate_due
    from tenants.context import agency_context
    from tenants.models import Agency

    total = 0
    for agency in Agency.objects.filter(is_active=True):
        with agency_context(agency):
            total += versions_activate_due(agency=agency)
    return total


@shared_task(name="knowledge.requeue_stalled_versions")
def requeue_stalled_versions():
    """Every minute (beat): queue again the versions whose indexing stopped (its worker was killed), agency by
    agency. A worker that dies mid-task leaves its message unacknowledged in the Redis broker until kombu's
    visibility timeout (an hour); this brings the version back within KNOWLEDGE_INDEX_STALL_MINUTES."""
    from knowledge.services import versions_requeue_stalled
    from tenants.context import agency_context
    from tenants.models import Agency

    outcome = {"requeued": 0, "failed": 0}
    for agency in Agency.objects.filter(is_active=True):
        with agency_context(agency):
            for key, count in versions_requeue_stalled(agency=agency).items():
                outcome[key] += count
    return outcome


def _actor_id():
    """The acting user (set by AgencyTask for the audit trail), so a retry keeps recording them."""
    from auditlog.context import auditlog_value

    actor = (auditlog_value.get(None) or {}).get("actor")
    return getattr(actor, "pk", None)
