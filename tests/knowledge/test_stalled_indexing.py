"""Indexing whose worker was killed mid-way (issue 13 fault): the beat sweep queues the version again once
its progress has not moved for KNOWLEDGE_INDEX_STALL_MINUTES, and the real worker finishes it exactly once.
Fresh versions are left alone; each agency's versions are swept in that agency's scope."""

import time
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from knowledge import indexing, services
from knowledge.models import Chunk, DocumentVersion, VersionStatus
from knowledge.tasks import requeue_stalled_versions
from tenants.context import agency_context, get_current_agency

pytestmark = pytest.mark.django_db(transaction=True)

SECTIONS = 12
LONG = "\n\n".join(
    f"## Section {i}\n\nRule {i}: permits of type {i} are issued within {i + 2} business days by the permit desk."
    for i in range(SECTIONS)
)


def version_row(pk):
    return DocumentVersion.objects.unscoped().get(pk=pk)  # unscoped: test inspection across agencies


def half_indexed(agency, *, title, stalled_for):
    """A version whose worker died after storing 5 of its 12 chunks, `stalled_for` ago (what a SIGKILL leaves:
    status `indexing`, partial progress, partial chunk rows, one delivery)."""
    with agency_context(agency):
        document = services.document_create(
            agency=agency, actor=None, title=title, content=LONG, format="markdown", queue=False
        )
        v1 = document.versions.get()
        services.versions_index(agency=agency, version_ids=[v1.pk])
        v2 = services.document_version_create(
            agency=agency, actor=None, document=document, content=LONG + "\n\nNew rule.", format="markdown", queue=False
        )
        drafts = indexing.version_drafts(v2)
        indexing.embed_versions(agency=agency, prepared=[(v2, drafts[:5])])
    DocumentVersion.objects.unscoped().filter(pk=v2.pk).update(  # unscoped: test setup
        progress_done=5, progress_total=len(drafts), attempts=1, progress_at=timezone.now() - stalled_for
    )
    return v1, v2, len(drafts)


def wait_active(pk, timeout=60.0):
    deadline = time.monotonic() + timeout
    while version_row(pk).status != VersionStatus.ACTIVE:
        assert time.monotonic() < deadline, version_row(pk).status
        time.sleep(0.1)
    return version_row(pk)


def test_stalled_version_is_requeued_and_indexed_exactly_once(celery_worker, agency_a, agency_b, settings, monkeypatch):
    settings.KNOWLEDGE_INDEX_STALL_MINUTES = 5
    a_old, a_stalled, a_total = half_indexed(agency_a, title="Permits", stalled_for=timedelta(minutes=6))
    _b_old, b_stalled, b_total = half_indexed(agency_b, title="Parking", stalled_for=timedelta(minutes=30))
    _f_old, fresh, _ = half_indexed(agency_a, title="Fresh", stalled_for=timedelta(minutes=1))
    with agency_context(agency_a):  # queued, never started by a worker: waiting, not stalled
        queued = services.document_create(agency=agency_a, actor=None, title="Queued", content="x y z", queue=False)
        waiting = queued.versions.get()
    DocumentVersion.objects.unscoped().filter(pk=waiting.pk).update(  # unscoped: test setup
        created_at=timezone.now() - timedelta(hours=2)
    )
    assert a_total == b_total == SECTIONS
    # While version 2 is unfinished, version 1 answers.
    assert version_row(a_old.pk).status == VersionStatus.ACTIVE
    scopes = []
    original = services.versions_requeue_stalled

    def spy(*, agency):
        scopes.append((agency.pk, getattr(get_current_agency(), "pk", None)))
        return original(agency=agency)

    monkeypatch.setattr(services, "versions_requeue_stalled", spy)

    outcome = requeue_stalled_versions.apply().get()

    assert outcome == {"requeued": 2, "failed": 0}
    assert (agency_a.pk, agency_a.pk) in scopes and (agency_b.pk, agency_b.pk) in scopes
    assert all(agency == scope for agency, scope in scopes)
    for pk, total, agency in ((a_stalled.pk, a_total, agency_a), (b_stalled.pk, b_total, agency_b)):
        version = wait_active(pk)
        assert (version.progress_done, version.progress_total, version.progress_percent) == (total, total, 100)
        assert (version.requeues, version.attempts) == (1, 2)
        chunks = Chunk.objects.unscoped().filter(version_id=pk)  # unscoped: counting across agencies
        assert chunks.count() == total
        assert chunks.values("order").distinct().count() == total
        assert not chunks.values("order").annotate(n=Count("id")).filter(n__gt=1).exists()
        assert set(chunks.values_list("agency_id", flat=True)) == {agency.pk}
        assert chunks.filter(is_live=True).count() == total
    assert version_row(a_old.pk).status == VersionStatus.RETIRED
    # The fresh one (progress a minute ago) and the never-started one are left alone.
    fresh_row = version_row(fresh.pk)
    assert (fresh_row.status, fresh_row.requeues, fresh_row.progress_done) == (VersionStatus.INDEXING, 0, 5)
    assert Chunk.objects.unscoped().filter(version_id=fresh.pk).count() == 5  # unscoped: test inspection
    assert (version_row(waiting.pk).status, version_row(waiting.pk).requeues) == (VersionStatus.INDEXING, 0)
    # A second sweep right away finds nothing: re-queueing restarted the clock.
    assert requeue_stalled_versions.apply().get() == {"requeued": 0, "failed": 0}


def test_sweep_of_one_agency_leaves_the_other_alone(agency_a, agency_b, settings):
    settings.KNOWLEDGE_INDEX_STALL_MINUTES = 5
    _a_old, _a_stalled, _ = half_indexed(agency_a, title="Permits", stalled_for=timedelta(minutes=10))
    _b_old, b_stalled, _ = half_indexed(agency_b, title="Parking", stalled_for=timedelta(minutes=10))
    with agency_context(agency_a):
        assert services.versions_requeue_stalled(agency=agency_a) == {"requeued": 1, "failed": 0}
    assert version_row(b_stalled.pk).requeues == 0


def test_version_that_keeps_stalling_fails_and_the_old_one_keeps_serving(agency_a, settings):
    settings.KNOWLEDGE_INDEX_STALL_MINUTES = 5
    settings.KNOWLEDGE_INDEX_MAX_REQUEUES = 3
    old, stalled, _ = half_indexed(agency_a, title="Permits", stalled_for=timedelta(minutes=10))
    DocumentVersion.objects.unscoped().filter(pk=stalled.pk).update(requeues=3)  # unscoped: test setup
    with agency_context(agency_a):
        assert services.versions_requeue_stalled(agency=agency_a) == {"requeued": 0, "failed": 1}
    failed = version_row(stalled.pk)
    assert failed.status == VersionStatus.FAILED and "stopped without finishing 4 times" in failed.error
    assert not Chunk.objects.unscoped().filter(version_id=stalled.pk).exists()  # unscoped: test inspection
    assert version_row(old.pk).status == VersionStatus.ACTIVE
