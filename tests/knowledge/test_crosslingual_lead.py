# ruff: noqa: RUF001 - heading paths are joined with a single right-pointing angle quotation mark
"""A cross-language answer below the cross-language floor when its passage clearly leads the others
(knowledge/retrieval/clear_lead.py; issue 19, session 25). Citizens' own questions score lower in the shared space
than near-translations of the headings: on two sets written blind, the floor of 0.65 answered 7 of 210 answerable
questions; "Le parc ferme à quelle heure le soir ?" scored 0.517 with the park-hours passage first by far, and was
"I don't know"."""

import pytest

from knowledge import services
from knowledge.retrieval.clear_lead import clear_lead
from tenants.context import agency_context
from tests.knowledge.passages import make_passage


def _ask(agency, question):
    with agency_context(agency):
        answer, passages = services.answer_with_passages(agency=agency, question=question)
    return answer, passages


@pytest.mark.parametrize(
    ("question", "heading", "words"),
    [
        ("Le parc ferme à quelle heure le soir?", "Park hours", "10:00 p.m."),
        ("강아지 목줄 없이 뛰어놀 수 있는 공원 있나요?", "Dogs in parks", "leash"),
    ],
)
def test_a_clearly_leading_passage_answers_below_the_floor(springfield_english, dense, question, heading, words):
    answer, passages = _ask(springfield_english, question)
    assert answer.grounded, (question, answer.text)
    assert passages[0].heading_path.endswith(heading) and passages[0].chunk_id == answer.citations[0].chunk_id
    assert words in answer.text, answer.text
    assert answer.confidence < 0.65  # under the cross-language floor: answered by the lead rule


def test_the_lead_rule_switched_off_refuses_them_as_before(springfield_english, dense, settings):
    settings.KNOWLEDGE_CROSSLINGUAL_LEAD = 0
    assert not _ask(springfield_english, "Le parc ferme à quelle heure le soir?")[0].grounded


def test_a_question_nothing_answers_is_still_refused(springfield_english, dense):
    for question in ("Où est-ce que je renouvelle mon passeport?", "여권은 어디서 갱신해요?"):
        assert not _ask(springfield_english, question)[0].grounded, question


def _passage(score, heading):
    return make_passage(int(score * 1000), heading, score, title="Parks")


def test_the_lead_is_measured_against_another_heading(settings):
    settings.KNOWLEDGE_CROSSLINGUAL_LEAD, settings.KNOWLEDGE_CROSSLINGUAL_LEAD_FLOOR = 0.1, 0.45
    first = _passage(0.52, "Parks › Park hours")
    assert clear_lead([first, _passage(0.45, "Parks › Dogs in parks")]) is None  # leads by 0.07
    assert clear_lead([first, _passage(0.50, "Parks › Park hours"), _passage(0.40, "Parks › Pools")]) is first
    assert clear_lead([first]) is first  # no rival at all
    assert clear_lead([_passage(0.44, "Parks › Park hours")]) is None  # under the lead floor
    assert clear_lead([]) is None
