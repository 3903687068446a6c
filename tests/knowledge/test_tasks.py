"""The Celery task on a real worker and the real Redis broker, with embeddings from the local
OpenAI-compatible server over HTTP: progress, retries with backoff, failure, idempotency, scoping."""

import time

import pytest

from knowledge import services
from knowledge.models import Chunk, DocumentVersion, VersionStatus
from knowledge.services import answer_question
from knowledge.tasks import embed_document_version
from tenants.context import agency_context

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "\n\n".join(
    f"## Section {i}\n\nRule {i}: permits of type {i} are issued within {i + 2} business days by the permit desk."
    for i in range(12)
)


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def status_of(version_id):
    return DocumentVersion.objects.unscoped().get(pk=version_id)


@pytest.fixture
def remote_embeddings(settings, llm_server):
    llm_server.configure(settings, embeddings=True)
    settings.LLM_BASE_URL = None  # answers stay extractive; only embeddings go to the server
    settings.KNOWLEDGE_EMBED_RETRY_BACKOFF = 0.05
    settings.KNOWLEDGE_EMBED_MAX_RETRIES = 2
    return llm_server


def create(agency, actor=None, **fields):
    with agency_context(agency):
        document = services.document_create(agency=agency, actor=actor, **fields)
        return document, document.versions.get()


def test_task_reports_progress_and_activates(celery_worker, agency_a, staff_a, remote_embeddings, settings):
    settings.KNOWLEDGE_EMBED_BATCH = 2
    remote_embeddings.embedding_delay = 0.15
    _document, version = create(agency_a, actor=staff_a["admin"], title="Permits", content=LONG, format="markdown")
    seen = set()

    def done():
        current = status_of(version.pk)
        seen.add((current.progress_done, current.progress_total))
        return current.status == VersionStatus.ACTIVE

    wait_for(done)
    totals = {total for _done, total in seen if total}
    assert totals == {12}
    assert any(0 < done_ < 12 for done_, _total in seen), seen  # progress was visible while indexing
    assert len(remote_embeddings.calls("/v1/embeddings")) >= 6
    chunk = Chunk.objects.unscoped().filter(version_id=version.pk).first()
    assert chunk.embedder == "openai:test-embedding" and len(chunk.embedding) == 64
    answer = answer_question(agency=agency_a, question="How fast are permits of type 7 issued?")
    assert answer.grounded and answer.citations[0].version == 1


def test_provider_down_retries_then_fails_and_old_version_keeps_serving(celery_worker, agency_a, remote_embeddings):
    document, v1 = create(agency_a, title="Permits", content="Permit desk hours are 8 to 4 on weekdays.")
    wait_for(lambda: status_of(v1.pk).status == VersionStatus.ACTIVE)
    remote_embeddings.fail_next(50)
    with agency_context(agency_a):
        v2 = services.document_version_create(
            agency=agency_a, actor=None, document=document, content="Desk hours are 9 to 5."
        )
    failed = wait_for(lambda: (v := status_of(v2.pk)).status == VersionStatus.FAILED and v)
    assert failed.attempts == 3
    assert "Embedding failed after 3 attempts" in failed.error and "500" in failed.error
    assert not Chunk.objects.unscoped().filter(version_id=v2.pk).exists()
    assert status_of(v1.pk).status == VersionStatus.ACTIVE
    assert "8 to 4" in answer_question(agency=agency_a, question="What are the permit desk hours?").text


def test_transient_failure_is_retried_with_backoff(celery_worker, agency_a, remote_embeddings):
    remote_embeddings.fail_next(2)
    _document, version = create(agency_a, title="Permits", content="Permit desk hours are 8 to 4 on weekdays.")
    active = wait_for(lambda: (v := status_of(version.pk)).status == VersionStatus.ACTIVE and v)
    assert active.attempts == 3


def test_rerunning_the_task_changes_nothing(celery_worker, agency_a):
    _document, version = create(agency_a, title="Permits", content=LONG, format="markdown")
    wait_for(lambda: status_of(version.pk).status == VersionStatus.ACTIVE)
    before = list(
        Chunk.objects.unscoped().filter(version_id=version.pk).order_by("pk").values_list("pk", "checksum", "is_live")
    )
    # Re-run on the active version (no-op), and a forced re-index of the same version.
    embed_document_version.apply(kwargs={"agency_id": agency_a.pk, "version_id": version.pk})
    DocumentVersion.objects.unscoped().filter(pk=version.pk).update(status=VersionStatus.INDEXING)
    embed_document_version.apply(kwargs={"agency_id": agency_a.pk, "version_id": version.pk})
    after = list(
        Chunk.objects.unscoped().filter(version_id=version.pk).order_by("pk").values_list("pk", "checksum", "is_live")
    )
    assert before == after and status_of(version.pk).status == VersionStatus.ACTIVE


def test_task_for_another_agency_does_nothing(celery_worker, agency_a, agency_b):
    with agency_context(agency_a):
        document = services.document_create(
            agency=agency_a, actor=None, title="Permits", content="Desk hours.", queue=False
        )
        version = document.versions.get()
    embed_document_version.apply(kwargs={"agency_id": agency_b.pk, "version_id": version.pk})
    assert status_of(version.pk).status == VersionStatus.INDEXING
    assert not Chunk.objects.unscoped().filter(version_id=version.pk).exists()
