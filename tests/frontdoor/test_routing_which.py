"""Session 27's front-door misses, each a kind (bench/frontdoor/RESULTS.md, session 27), on the seeded demo (its
agencies, categories, services and documents; lexical search only, as the suite runs without a dense model). One
seeded demo per test (seeding is most of the time), each test checking its kind in two languages or more:
- the words that say *which* licence decide, not the word shared by several agencies' licences;
- a German compound is read by its parts ("Steuererstattung" against "Erstattungen", "Steuerbehörde");
- a state highway's pothole or deer told in French or German goes to the state, not to the city whose report
  category names only the pothole;
- a passport, a green card, citizenship, the weather: no agency here, and who does handle it."""

import pytest
from auditlog.context import auditlog_value

from frontdoor import catalogue, routing
from portal import demo
from portal.directory import directory_index_clear


@pytest.fixture
def seeded(db, monkeypatch):
    token = auditlog_value.set({})
    monkeypatch.setattr(demo, "DEMO_APPS", ["requests_app", "frontdoor"])
    demo.seed()
    directory_index_clear()
    catalogue.catalogue_clear()
    yield
    directory_index_clear()
    auditlog_value.reset(token)


def _routed(question: str, language: str):
    route = routing.route_question(question=question, language=language)
    offered = [s.agency.slug for s in route.choices] if route.decision != "none" else []
    return route.decision, offered, route


def _answered_by(cases) -> list:
    """The cases (question, language, wanted slug) not answered by the wanted agency alone, with what happened."""
    wrong = []
    for question, language, wanted in cases:
        decision, offered, route = _routed(question, language)
        if decision != "answer" or offered != [wanted]:
            wrong.append((question, route.as_dict()))
    return wrong


def test_the_words_that_say_which_licence_decide(seeded):
    assert not _answered_by(
        [
            # Vietnamese two-syllable words matched only when misspelt: "giấy phép" (licence) and "câu cá" (fishing)
            # of Natural Resources' description did not count; the county's "giấy phép kết hôn" took the question.
            ("Mua giấy phép câu cá ở đâu?", "vi", "natural-resources"),
            ("Tôi muốn mua giấy phép săn bắn", "vi", "natural-resources"),
            # Natural Resources' passages on renewing a hunting licence scored with Motor Vehicles' and were offered.
            ("I need to renew my driver's license", "en", "motor-vehicles"),
            ("How do I renew my driving licence?", "en", "motor-vehicles"),
        ]
    )


def test_a_german_compound_is_read_by_its_parts(seeded):
    assert not _answered_by(
        [
            ("Wann bekomme ich meine Steuererstattung vom Staat?", "de", "revenue"),
            ("Welche Staatsstraße ist gesperrt?", "de", "transportation"),
        ]
    )


def test_a_state_highways_problem_goes_to_the_state_in_french_and_german(seeded):
    assert not _answered_by(
        [
            ("Il y a un nid-de-poule énorme sur l'autoroute de l'État", "fr", "transportation"),
            ("Ein totes Reh liegt auf der Staatsstraße", "de", "transportation"),
            # and the city's own stay the city's
            ("Il y a un nid-de-poule dans ma rue", "fr", "springfield"),
            ("In unserer Straße ist ein tiefes Schlagloch", "de", "springfield"),
        ]
    )


def test_what_no_agency_here_handles_is_none_and_says_who_does(seeded):
    cases = [
        ("how do I renew my passport", "en", "passport"),
        ("여권 신청은 어떻게 하나요?", "ko", "passport"),
        ("Làm sao để xin thẻ xanh?", "vi", "green card"),
        ("¿Cómo pido la ciudadanía estadounidense?", "es", "citizenship"),
        ("Quelle est la météo pour demain ?", "fr", "weather"),
    ]
    wrong = []
    for question, language, topic in cases:
        decision, _offered, route = _routed(question, language)
        if decision != "none" or route.elsewhere is None or route.elsewhere.topic != topic:
            wrong.append((question, route.as_dict(), route.elsewhere))
    assert not wrong
    # The weather named in passing leaves the question with the agency it is about.
    assert not _answered_by(
        [
            ("Is trash pickup delayed by the weather this week?", "en", "springfield"),
            ("¿Se retrasa la recogida de basura por el clima?", "es", "springfield"),
        ]
    )


def test_a_weak_directory_match_alone_answers_nothing(seeded):
    """One Vietnamese syllable of a park category ("cây xanh", greenery), one Spanish function word ("está" ~
    "estado"): the best directory match spoke alone for an agency however weak it was."""
    for question, language in [
        ("Tôi muốn mua áo màu xanh", "vi"),
        ("¿Dónde está el centro comercial más cercano?", "es"),
    ]:
        decision, _offered, route = _routed(question, language)
        assert decision == "none", (question, route.as_dict())


def test_the_ask_page_names_who_handles_it(seeded, client):
    page = client.get("/ask/", {"q": "how do I renew my passport"}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "it is handled by the U.S. Department of State" in text and "https://travel.state.gov/" in text
    page = client.get("/ask/", {"q": "여권 신청은 어떻게 하나요?"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert "https://travel.state.gov/" in page.content.decode()
