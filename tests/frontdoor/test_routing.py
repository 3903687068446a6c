"""Routing a question across agencies: by topic, ambiguity, none; bad input; staff-only text never used."""

import pytest

from frontdoor import routing
from frontdoor.models import RoutedQuestion
from tests.frontdoor.conftest import SECRET


def _route(client, q, **params):
    return client.get("/api/v1/route/", {"q": q, **params})


@pytest.mark.django_db
def test_a_question_goes_to_the_agency_that_holds_the_answer(front, client):
    alpha, beta = front
    body = _route(client, "when is my trash collected").json()
    assert body["decision"] == "answer"
    assert body["agencies"][0]["slug"] == alpha.slug
    body = _route(client, "when will I get my income tax refund").json()
    assert body["decision"] == "answer"
    assert body["agencies"][0]["slug"] == beta.slug
    assert set(body["agencies"][0]) == {"slug", "name", "score"}


@pytest.mark.django_db
def test_a_question_no_agency_holds_is_none(front, client):
    body = _route(client, "what is the capital of France").json()
    assert body["decision"] == "none" and "elsewhere" not in body


@pytest.mark.django_db
def test_a_topic_handled_elsewhere_says_who_handles_it_in_the_asked_language(front, client):
    body = _route(client, "how do I renew my passport", lang="de").json()
    assert body["decision"] == "none"
    assert body["elsewhere"] == {
        "topic": "passport",
        "handler": "das US-Außenministerium",
        "url": "https://travel.state.gov/",
    }
    assert _route(client, "¿Cómo pido la ciudadanía estadounidense?").json()["elsewhere"]["topic"] == "citizenship"


@pytest.mark.django_db
def test_two_agencies_holding_the_same_topic_let_the_citizen_choose(front, client, django_capture_on_commit_callbacks):
    from tests.frontdoor.conftest import TRASH, _publish

    _alpha, beta = front
    _publish(beta, title="Trash at state offices", entries=TRASH, capture=django_capture_on_commit_callbacks)
    route = routing.route_question(question="When is my trash collected?")
    assert route.decision == "choose"
    assert {choice.agency.slug for choice in route.choices} == {"alpha", "beta"}


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["", "   ", "x" * 10_000])
def test_empty_or_huge_questions_get_a_clear_message_and_the_directory(front, client, q):
    response = _route(client, q)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert response.json()["directory"] == "/"
    page = client.get("/ask/", {"q": q})
    assert page.status_code == 400
    assert 'href="/"' in page.content.decode()


@pytest.mark.django_db
def test_staff_only_documents_never_route_or_answer_at_the_front_door(front, client):
    _alpha, beta = front
    question = f"what is the {SECRET} overtime code for snow plowing shifts"
    body = _route(client, question).json()
    assert not any(
        agency["slug"] == beta.slug and agency["score"] >= routing.WEIGHTS.floor for agency in body["agencies"]
    )
    page = client.get("/ask/", {"q": question, "agency": beta.slug})
    assert page.status_code == 200
    html = page.content.decode()
    assert "7731" not in html and "Internal overtime" not in html and "Overtime codes" not in html


@pytest.mark.django_db
def test_an_answered_question_is_recorded_for_the_receiving_agency(front, client):
    alpha, _beta = front
    page = client.get("/ask/", {"q": "when is my trash collected"})
    html = page.content.decode()
    assert "Answered by Alpha City" in html
    assert "Trash and streets FAQ" in html  # cited
    assert "/a/alpha/chat/" in html  # continue with the agency
    records = list(RoutedQuestion.objects.unscoped().all())  # unscoped: the test looks at both agencies
    assert [(r.agency_id, r.decision, r.channel) for r in records] == [(alpha.pk, "answer", "ask")]
    assert records[0].confidence > 0
    assert records[0].question == "when is my trash collected"


@pytest.mark.django_db
def test_the_citizen_picks_an_agency_after_choose(front, client):
    alpha, beta = front
    page = client.get("/ask/", {"q": "when is my trash collected", "agency": beta.slug})
    assert "Answered by Beta State Revenue" in page.content.decode()
    record = RoutedQuestion.objects.unscoped().get()  # unscoped: the test looks at both agencies
    assert record.agency_id == beta.pk and record.decision == "choose"
    assert record.alternatives and record.alternatives[0]["slug"] == alpha.slug


@pytest.mark.django_db
def test_with_many_agencies_only_public_words_pick_the_agencies_searched(front, monkeypatch):
    alpha, beta = front
    monkeypatch.setattr(routing, "FULL_SEARCH_MAX", 1)  # as with more agencies than are searched in full
    monkeypatch.setattr(routing, "_vocabularies", {})
    route = routing.route_question(question="when is my trash collected")
    assert route.decision == "answer" and route.best.agency == alpha
    assert [s.agency for s in route.agencies] == [alpha]  # the tax office shares none of its words: not searched
    # A word only B's staff-only document holds does not make B a candidate.
    assert routing._vocabulary_best(f"{SECRET} overtime", "en", [alpha, beta]) == []
    assert routing._vocabulary_best("income tax refund", "en", [alpha, beta]) == [beta.pk]
