"""What the assistant understands of a message: intents in four languages (words and the semantic layer),
the staff "try a message" page and `POST /api/v1/a/<slug>/chat/understand/`, and corrections that become
the agency's own examples (issue 19)."""

import pytest

from chat.corrections import understand
from chat.models import IntentCorrection
from chat.understanding import classify
from tenants.context import agency_context

EVERY_SKILL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem",
               "register_service"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # a question about a topic is a question; a request to act on it is that act
        ("How long does it take to fix a pothole?", "question"),
        ("¿Cuánto tardan en arreglar un bache?", "question"),
        ("修补坑洼需要多长时间？", "question"),  # noqa: RUF001
        ("Wie lange dauert es, ein Schlagloch zu reparieren?", "question"),
        ("How long does voter registration take?", "question"),
        ("There is a pothole on Main St", "report"),
        ("I want to report a pothole", "report"),
        ("quiero reportar un bache", "report"),
        ("我要报告一个坑洼", "report"),
        ("Ich möchte ein Schlagloch melden", "report"),
        ("Wie melde ich ein Schlagloch?", "report"),
        ("what's the status of SPR-2026-000123", "status"),
        ("Wie ist der Stand von SPR-2026-000123?", "status"),
        ("¿cuál es el estado de SPR-2026-000123?", "status"),
        ("I want to register to vote", "register"),
        ("ich möchte mich als Wähler registrieren", "register"),
        ("can I talk to someone", "handoff"),
        ("kann ich mit jemandem sprechen", "handoff"),
        ("the website is confusing", "feedback"),
        ("la página web es confusa", "feedback"),
        ("die Webseite ist verwirrend", "feedback"),
        ("网站很难用", "feedback"),
        ("hello", "greeting"),
        ("Guten Tag", "greeting"),
    ],
)
def test_intents_in_four_languages(text, intent):
    assert classify(text, available=EVERY_SKILL).intent == intent


def test_an_intent_the_agency_does_not_offer_is_never_the_answer():
    offered = EVERY_SKILL - {"register_service"}
    assert classify("I want to register to vote", available=offered).intent != "register"


@pytest.mark.parametrize(
    "text",
    [
        "Beschwerde: niemand hat auf meine E-Mail geantwortet",
        "queja: nadie contestó mi carta",
        "ich möchte eine Rückmeldung zum Bürgeramt geben",
        "投诉：窗口的人态度不好",  # noqa: RUF001
        "complaint: the clerk was rude",
        "I have a suggestion for the parks department",
    ],
)
def test_a_statement_that_names_feedback_is_feedback(text):
    """The cue words of giving an opinion decide before the encoder's nearest utterances, which follow the
    topic (an e-mail, the office, the staff) more than the purpose."""
    assert classify(text, available=EVERY_SKILL).intent == "feedback"


def test_feedback_cues_do_not_take_a_question_or_a_named_problem():
    from chat.engine.intents import cued

    assert cued("how do I file a complaint?", available=EVERY_SKILL) == ""
    assert cued("quiero reclamar mi reembolso", available=EVERY_SKILL) == ""  # "reclamar": to claim
    assert cued("Beschwerde: niemand antwortet", available=EVERY_SKILL - {"feedback"}) == ""
    # a report's own words lead, and the citizen is asked which one they meant
    classified = classify("complaint: there is a pothole on Main St", available=EVERY_SKILL)
    assert (classified.intent, classified.runner_up) == ("report", "feedback")
    # a complaint about the staff is not a request to talk to them
    assert classify("投诉：柜台工作人员态度很差", available=EVERY_SKILL).intent == "feedback"  # noqa: RUF001


@pytest.mark.parametrize(
    "text",
    [
        "the city's permit website is a nightmare",
        "the clerks at the records office were wonderful",
        "la oficina de licencias es un desastre total",
        "die Hotline ist eine Zumutung",
        "办事大厅的效率太差了",
    ],
)
def test_a_verdict_on_a_service_is_feedback_without_a_feedback_word(text):
    """A statement that judges a service names no kind of feedback; before, no intent's words and no clear
    neighbour made it a question for the knowledge base."""
    classified = classify(text, available=EVERY_SKILL)
    assert (classified.intent, classified.detector) == ("feedback", "verdict")


def test_a_verdict_word_does_not_take_a_question_a_report_or_an_unoffered_skill():
    from chat.engine.verdicts import is_verdict

    assert not is_verdict("is the new portal easy to use?")
    assert classify("is the new portal easy to use?", available=EVERY_SKILL).detector != "verdict"
    assert classify("there is a pothole on Main St and it's terrible", available=EVERY_SKILL).intent == "report"
    assert classify("the permit website is a nightmare", available=EVERY_SKILL - {"feedback"}).intent != "feedback"
    assert not is_verdict("the street light on Elm Street is broken")  # a defect is reported, not judged


@pytest.mark.parametrize("text", ["", "   ", "👍👍", "x" * 2000, "hola 你好 hallo", "\u200b", "a\u0301\u0301\u0301"])
def test_odd_messages_are_understood_without_error(text):
    result = classify(text, available=EVERY_SKILL)
    assert result.intent and 0.0 <= result.confidence <= 1.0


def test_understand_api_for_staff(agency_a, staff_a, client_for):
    client = client_for(staff_a["analyst"])
    response = client.post(
        "/api/v1/a/alpha/chat/understand/", {"text": "Quiero hablar con una persona"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"language": "es", "intent": "handoff", "confidence": pytest.approx(
        response.json()["confidence"]), "skill": "handoff"}  # fmt: skip
    assert set(response.json()) == {"language", "intent", "confidence", "skill"}


@pytest.mark.parametrize("text", ["   ", "\u200f\u200e\u200d\u200c", "\ufeff", "\t\n\u200b"])
def test_a_message_with_nothing_to_read_gets_the_menu(text):
    # Issue 19: invisible characters alone were taken as feedback (the encoder's nearest), spaces as a question.
    result = classify(text, available=EVERY_SKILL)
    assert (result.intent, result.skill, result.detector) == ("greeting", "greeting", "empty")
    assert classify(text, available=EVERY_SKILL - {"greeting"}).intent == "question"


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": 5}, {"text": "x" * 2001}, [], {"text": "   "}, {"text": "\u200f\u200d"}]
)
def test_understand_api_refuses_bad_input_clearly(agency_a, staff_a, client_for, body):
    client = client_for(staff_a["agent"])
    response = client.post("/api/v1/a/alpha/chat/understand/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("text", ["", "   ", "\u200f\u200d"])
def test_understand_api_says_a_blank_message_is_blank(agency_a, staff_a, client_for, text):
    client = client_for(staff_a["agent"])
    response = client.post("/api/v1/a/alpha/chat/understand/", {"text": text}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["text"] == ["This field may not be blank."]


def test_understand_api_is_for_this_agencys_staff_only(agency_a, agency_b, staff_a, staff_b, client, client_for):
    url = "/api/v1/a/alpha/chat/understand/"
    assert client.post(url, {"text": "hi"}, content_type="application/json").status_code in (401, 403)
    assert client_for(staff_b["admin"]).post(url, {"text": "hi"}, content_type="application/json").status_code == 404


def test_a_supervisors_correction_teaches_this_agency_only(agency_a, agency_b, staff_a, staff_b, client_for):
    text = "the street light schedule for the festival"
    before = understand(agency=agency_a, text=text)
    client = client_for(staff_a["supervisor"])
    page = client.get("/a/alpha/staff/chat/try/", {"text": text})
    assert page.status_code == 200 and before["intent"].encode() in page.content
    response = client.post("/a/alpha/staff/chat/try/", {"text": text, "intent": "handoff"})
    assert response.status_code == 302
    with agency_context(agency_a):
        row = IntentCorrection.objects.get()
    assert (row.skill, row.created_by, row.agency_id) == ("handoff", staff_a["supervisor"], agency_a.pk)
    assert understand(agency=agency_a, text=text)["intent"] == "handoff"
    assert understand(agency=agency_a, text=text.upper() + "!")["intent"] == "handoff"  # close enough counts
    assert understand(agency=agency_b, text=text)["intent"] == before["intent"]  # B learnt nothing
    # Beta's supervisor can neither see nor change Alpha's corrections.
    other = client_for(staff_b["supervisor"])
    assert other.get("/a/alpha/staff/chat/try/").status_code == 404
    assert other.post("/a/alpha/staff/chat/try/", {"delete": row.pk}).status_code == 404
    assert other.post("/a/beta/staff/chat/try/", {"delete": row.pk}).status_code == 404
    # Removing it restores what the assistant understood.
    client = client_for(staff_a["supervisor"])
    assert client.post("/a/alpha/staff/chat/try/", {"delete": row.pk}).status_code == 302
    assert understand(agency=agency_a, text=text)["intent"] == before["intent"]


def test_only_supervisors_and_admins_correct(agency_a, staff_a, client_for):
    client = client_for(staff_a["agent"])
    assert client.get("/a/alpha/staff/chat/try/", {"text": "hello"}).status_code == 200
    assert client.post("/a/alpha/staff/chat/try/", {"text": "hello", "intent": "handoff"}).status_code == 403
    with agency_context(agency_a):
        assert not IntentCorrection.objects.exists()


def test_a_correction_to_an_unknown_intent_is_refused(agency_a, staff_a, client_for):
    client = client_for(staff_a["admin"])
    response = client.post("/a/alpha/staff/chat/try/", {"text": "hello", "intent": "launch_rockets"}, follow=True)
    assert response.status_code == 200
    with agency_context(agency_a):
        assert not IntentCorrection.objects.exists()


def test_two_intents_about_as_likely_are_asked_about(agency_a, settings):
    """One short question with both intents as buttons, instead of a guess (issue 19)."""
    from chat import services
    from tests.chat.test_engine import say
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)  # the agency takes reports
    # Close in the multilingual encoder's space (status 0.453; feedback since session 11's examples of
    # complaints about being ignored, handoff before); MiniLM, which reads English messages, separates "my
    # report was ignored, I want a person" clearly (status 0.553, report 0.496).
    text = "mein Bericht wurde ignoriert, ich will einen Menschen"
    classified = classify(text, available=EVERY_SKILL)
    assert (classified.skill, classified.runner_up) == ("check_status", "feedback")
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        reply = say(agency_a, conversation, text)
    values = {action["value"] for action in reply.payload["actions"]}
    assert values == {"check_status", "feedback"}, reply.payload
    assert "choose" in reply.text
    # The citizen's choice starts that skill.
    with agency_context(agency_a):
        chosen = say(agency_a, conversation, "Check status", action="check_status")
    assert chosen.payload["decision"]["intent"] == "check_status"


def test_a_correction_steers_the_chat_itself(agency_a, staff_a):
    from chat import services
    from chat.corrections import intent_correction_save
    from tests.chat.test_engine import say

    with agency_context(agency_a):
        intent_correction_save(agency=agency_a, actor=staff_a["admin"], text="I need the boss", intent="handoff")
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        reply = say(agency_a, conversation, "i need the boss!")
    assert reply.payload["decision"]["intent"] == "handoff"


def test_a_problem_this_agency_does_not_handle_names_the_agency_that_does(agency_a, agency_b):
    """ "There is graffiti on the bridge" where Alpha has no graffiti service but Beta has: Alpha's chat says
    so and links Beta's report page (issue 19), instead of a form that cannot take it."""
    from chat import services
    from requests_app.models import ServiceCategory
    from tests.chat.test_engine import say
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)  # potholes, trees: no graffiti
    with agency_context(agency_b):
        ServiceCategory.objects.create(agency=agency_b, code="graffiti", name="Graffiti", keywords="graffiti,tag")
        ServiceCategory.objects.create(agency=agency_b, code="old", name="Sinkhole", active=False)
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        reply = say(agency_a, conversation, "There is graffiti on the bridge")
        assert "Beta State Revenue" in reply.text and "/a/beta/report/graffiti/" in reply.text, reply.text
        assert reply.payload["decision"]["elsewhere"] == ["beta"]
        # A problem Alpha handles starts Alpha's own form; an inactive service elsewhere is never offered.
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        assert "beta" not in say(agency_a, conversation, "There is a pothole on Main St").text
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        assert "/a/beta/" not in say(agency_a, conversation, "I want to report a sinkhole").text


def test_a_reference_number_between_han_characters_is_found():
    """Han characters are word characters: a \\b boundary missed "案件SPR-2026-000915办"."""
    from chat.engine.skills.status import find_reference

    assert find_reference("我的案件SPR-2026-000915办得怎么样了") == "SPR-2026-000915"
    classified = classify("我的案件SPR-2026-000915办得怎么样了", available=EVERY_SKILL)
    assert (classified.intent, classified.detector) == ("status", "reference")


def test_intents_added_by_later_features_are_named_and_correctable(agency_a, staff_a, client_for):
    """Seen on make run: "keine Warnungen mehr bitte" was shown as "alerts_unsubscribe (alerts_unsubscribe)" and the
    correction's choices had no alerts at all."""
    client = client_for(staff_a["supervisor"])
    page = client.get("/a/alpha/staff/chat/try/", {"text": "unsubscribe from alerts"})
    assert "<strong>Stop emergency alerts</strong>" in page.content.decode()
    assert b'value="alerts_subscribe"' in page.content and b'value="alerts_unsubscribe"' in page.content
    text = "can you text me when the river floods"
    assert client.post("/a/alpha/staff/chat/try/", {"text": text, "intent": "alerts_subscribe"}).status_code == 302
    assert understand(agency=agency_a, text=text)["intent"] == "alerts_subscribe"


def test_a_phone_number_is_not_a_reference_number_when_reading_the_intent():
    """ "Kann mich bitte jemand vom Amt zurückrufen? 0171 2345678" asked for a call-back, and was read as a status
    question about "2345678" (a bare run of digits counts as a reference)."""
    from chat.engine.skills.status import find_reference

    assert find_reference("Ruft mich bitte zurück: 0171 2345678") == ""
    assert find_reference("call me on 217-555-0100 or 2175550100") == ""
    assert find_reference("call me at 217 555 0100 about SPR-2026-000001") == "SPR-2026-000001"
    assert find_reference("is 1234567 done yet") == "1234567"  # bare digits alone still are
    # The status skill asked for the reference: whatever digits the citizen gives are taken.
    assert find_reference("2175550100", phone_numbers=True) == "2175550100"
