# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""The front door routes a question in a language no agency writes in to the agency whose passage answers it in
another language (issue 19), and that agency's answer carries the note in the citizen's language."""

import pytest

from frontdoor import routing
from frontdoor.ask import frontdoor_ask
from knowledge import shared_space
from tenants.context import agency_context


@pytest.fixture
def dense_front(settings, front):
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "use"
    settings.KNOWLEDGE_DENSE_LANGUAGES = None
    from knowledge import indexing

    for agency in front:
        with agency_context(agency):
            indexing.agency_reembed(agency=agency)  # the fixture indexed them lexical-only
            shared_space.shared_vectors_fill(agency=agency)
    return front


@pytest.mark.django_db
def test_a_german_question_is_routed_to_the_agency_with_the_english_answer(dense_front):
    alpha, beta = dense_front
    route = routing.route_question(question="Wann bekomme ich meine Einkommensteuererstattung?")
    assert route.decision == "answer" and route.best.agency.pk == beta.pk
    result = frontdoor_ask(question="Wie werde ich eine alte Matratze los?", language=None, channel="web")
    assert result.agency is not None and result.agency.pk == alpha.pk
    assert result.answer.grounded and result.answer.text.startswith("Diese Antwort gibt es nur auf Englisch.")


@pytest.mark.django_db
def test_a_question_no_agency_answers_in_any_language_is_still_none(dense_front):
    for question in ("Wie verlängere ich meinen Reisepass?", "怎么办理护照？"):
        assert routing.route_question(question=question).decision == "none", question


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["en", "fr"])
def test_the_answer_is_for_the_questions_language_whatever_the_pages(dense_front, page):
    """Seen on make run: a Spanish question on the English front door got the English passage and no note, since
    the page's language was taken for the reader's (the agency listed Spanish)."""
    alpha, _beta = dense_front
    alpha.languages = ["en", "de"]
    alpha.save(update_fields=["languages"])
    result = frontdoor_ask(question="Wie werde ich eine alte Matratze los?", language=page, channel="web")
    assert result.agency is not None and result.agency.pk == alpha.pk
    assert result.answer.text.startswith("Diese Antwort gibt es nur auf Englisch."), result.answer.text
