"""Versions: a new upload replaces the active one only once indexed; citations pin the version;
failures and retirement keep the right text serving; effective dates wait."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from knowledge import services
from knowledge.models import Chunk, DocumentVersion, VersionStatus
from knowledge.services import answer_question
from tenants.context import agency_context

V1 = "# Bulk pickup\n\nBulk item pickup costs 35 dollars after two free pickups a year."
V2 = "# Bulk pickup\n\nBulk item pickup costs 50 dollars after two free pickups a year."
QUESTION = "How much does bulk item pickup cost?"


def _new_version(agency, document, django_capture_on_commit_callbacks, **fields):
    with agency_context(agency), django_capture_on_commit_callbacks(execute=False):
        return services.document_version_create(agency=agency, actor=None, document=document, **fields)


def test_new_version_serves_only_once_indexed_and_citations_pin_it(
    agency_a, publish, django_capture_on_commit_callbacks
):
    document, v1 = publish(agency_a, title="Bulk pickup", content=V1, format="markdown")
    first = answer_question(agency=agency_a, question=QUESTION)
    assert "35 dollars" in first.text and first.citations[0].version == 1

    v2 = _new_version(agency_a, document, django_capture_on_commit_callbacks, content=V2, format="markdown")
    assert v2.number == 2 and v2.status == VersionStatus.INDEXING
    # Not indexed yet: version 1 keeps answering.
    assert "35 dollars" in answer_question(agency=agency_a, question=QUESTION).text

    with agency_context(agency_a):
        services.document_version_index(agency=agency_a, version_id=v2.pk)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (VersionStatus.RETIRED, VersionStatus.ACTIVE)
    second = answer_question(agency=agency_a, question=QUESTION)
    assert "50 dollars" in second.text and second.citations[0].version == 2
    assert not Chunk.objects.for_agency(agency_a).filter(version=v1, is_live=True).exists()
    # The old citation still points at the text it quoted (version 1 is kept, not rewritten).
    assert Chunk.objects.for_agency(agency_a).get(pk=first.citations[0].chunk_id).version_id == v1.pk


def test_failed_new_version_keeps_the_old_one_serving(agency_a, publish, django_capture_on_commit_callbacks):
    document, _v1 = publish(agency_a, title="Bulk pickup", content=V1, format="markdown")
    v2 = _new_version(
        agency_a, document, django_capture_on_commit_callbacks, file=SimpleUploadedFile("v2.pdf", b"%PDF-1.7 broken")
    )
    with agency_context(agency_a):
        services.document_version_index(agency=agency_a, version_id=v2.pk)
    v2.refresh_from_db()
    assert v2.status == VersionStatus.FAILED and v2.error
    assert "35 dollars" in answer_question(agency=agency_a, question=QUESTION).text


def test_retired_document_no_longer_answers(agency_a, publish):
    document, _v1 = publish(agency_a, title="Bulk pickup", content=V1, format="markdown")
    with agency_context(agency_a):
        services.document_retire(agency=agency_a, actor=None, document=document)
    answer = answer_question(agency=agency_a, question=QUESTION)
    assert not answer.grounded
    assert not Chunk.objects.for_agency(agency_a).filter(is_live=True).exists()


def test_future_version_waits_for_its_effective_date(agency_a, publish, django_capture_on_commit_callbacks):
    document, _v1 = publish(agency_a, title="Bulk pickup", content=V1, format="markdown")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    v2 = _new_version(
        agency_a, document, django_capture_on_commit_callbacks, content=V2, format="markdown", effective_from=tomorrow
    )
    with agency_context(agency_a):
        services.document_version_index(agency=agency_a, version_id=v2.pk)
    v2.refresh_from_db()
    assert v2.status == VersionStatus.DRAFT and v2.progress_done == v2.progress_total > 0
    assert "35 dollars" in answer_question(agency=agency_a, question=QUESTION).text
    DocumentVersion.objects.for_agency(agency_a).filter(pk=v2.pk).update(effective_from=timezone.localdate())
    with agency_context(agency_a):
        assert services.versions_activate_due(agency=agency_a) == 1
    assert "50 dollars" in answer_question(agency=agency_a, question=QUESTION).text


def test_reindexing_is_idempotent(agency_a, publish):
    _document, version = publish(
        agency_a, title="Bulk pickup", content=V1 + "\n\n## More\n\nMore text here.", format="markdown"
    )
    before = list(
        Chunk.objects.for_agency(agency_a).filter(version=version).order_by("pk").values_list("pk", "checksum", "text")
    )
    DocumentVersion.objects.for_agency(agency_a).filter(pk=version.pk).update(status=VersionStatus.INDEXING)
    with agency_context(agency_a):
        services.document_version_index(agency=agency_a, version_id=version.pk)
    after = list(
        Chunk.objects.for_agency(agency_a).filter(version=version).order_by("pk").values_list("pk", "checksum", "text")
    )
    assert before == after
