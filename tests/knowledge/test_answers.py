"""Grounded answers: extractive with a citation, the no-answer path, audience scoping and isolation."""

from knowledge.models import UnansweredQuestion, VersionStatus
from knowledge.services import answer_question, answer_question_stream
from knowledge.types import Answer

POTHOLES = """# Reporting potholes

Report a pothole online, in the chat, or by calling 311. Crews inspect every report within two business
days and fill most potholes within five business days of the inspection.

# Street sweeping

Residential streets are swept once a month from April to November. Move your car on the posted day.
"""


def test_extractive_answer_cites_the_version(agency_a, publish):
    document, version = publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    assert version.status == VersionStatus.ACTIVE
    answer = answer_question(agency=agency_a, question="How soon are potholes filled?")
    assert isinstance(answer, Answer)
    assert answer.grounded
    assert "five business days" in answer.text
    assert answer.citations[0].document_id == document.pk
    assert answer.citations[0].version == 1
    assert answer.retrieved and {"chunk_id", "version_id", "score"} <= set(answer.retrieved[0])


def test_unknown_question_says_so_and_records_gap(agency_a, publish):
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    answer = answer_question(agency=agency_a, question="Can I renew my fishing license here?")
    assert not answer.grounded
    assert answer.citations == []
    assert "don't know" in answer.text
    assert UnansweredQuestion.objects.for_agency(agency_a).filter(question__icontains="fishing").exists()


def test_stream_without_llm_yields_only_the_answer(agency_a, publish):
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    items = list(answer_question_stream(agency=agency_a, question="When are streets swept?"))
    assert len(items) == 1 and isinstance(items[0], Answer) and items[0].grounded
