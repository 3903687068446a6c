"""Intents that do not misfire (issue 19, session 13): the words of signing up in every language the chat
speaks are a registration, and a question about a subject is not a handoff unless it asks for a person."""

import pytest

from chat.engine.intents import is_question
from chat.understanding import classify

EVERY_SKILL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem",
               "register_service"}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "quiero apuntarme a la clase de gimnasia para mayores",
        "me gustaría apuntar a mi hijo al campamento de verano",
        "quiero darme de alta en la bolsa de empleo municipal",
        "necesito matricularme en el curso de cocina",
        "ich will mich für den Nähkurs eintragen lassen",
        "je voudrais m'inscrire à l'atelier de jardinage",
        "요가 수업에 등록하고 싶어요",
    ],
)
def test_the_words_of_signing_up_are_a_registration(text):
    assert classify(text, available=EVERY_SKILL).intent == "register"


@pytest.mark.parametrize(
    "text",
    [
        "How long does voter registration take?",  # a question about a registration, naming no act
        "¿cuánto dura la inscripción?",
        "Rückmeldung: die Online-Anmeldung hat gut geklappt",  # a noun naming one is not a request
    ],
)
def test_a_registration_named_but_not_asked_for_is_not_one(text):
    assert classify(text, available=EVERY_SKILL).intent != "register"


@pytest.mark.parametrize(
    "text",
    [
        # the chat load's wordings of FAQ questions that were handed to a person (bench/chat/load_support.py)
        "Can you tell me: what is the guidance for employees who are asked to work remotely Thank you.",
        "Question - Who can I contact with questions?",
        "Can I take an employee’s temperature?",  # noqa: RUF001
        "Können Sie mir sagen, wen ich bei Fragen kontaktieren kann?",
        "¿A quién puedo contactar si tengo preguntas?",
        "有问题可以联系谁？",  # noqa: RUF001
    ],
)
def test_a_question_about_a_subject_is_not_a_handoff(text):
    classified = classify(text, available=EVERY_SKILL)
    assert classified.intent == "question", classified


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to someone",
        "can someone call me back?",
        "¿me pasa con un agente?",
        "kann ich mit jemandem sprechen?",
        "能转人工吗？",  # noqa: RUF001
        "je veux parler à un conseiller",
        "상담원과 통화하고 싶습니다",
    ],
)
def test_a_question_asking_for_a_person_is_a_handoff(text):
    assert classify(text, available=EVERY_SKILL).intent == "handoff"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("I was wondering, what is the guidance for employees", True),
        ("Question - when does the pool open", True),
        ("quisiera saber cuándo abre la piscina", True),
        ("ich wollte fragen, wann der Müll abgeholt wird", True),
        ("there is a pothole on Main St, which is dangerous", False),  # a relative clause, not a question
        ("la farola, que está rota, parpadea", False),
        ("I know what you did", False),
    ],
)
def test_a_question_after_a_lead_in_is_a_question(text, question):
    assert is_question(text) is question


@pytest.mark.parametrize(
    "text",
    ["I want to register to vote", "quiero apuntarme a la clase de yoga", "can someone call me back?",
     "Can you tell me: what is the guidance for employees who are asked to work remotely Thank you."],
)  # fmt: skip
def test_no_clarifying_question_where_one_intent_is_clear(text):
    """The clarifying question is for two intents about as close (tests/chat/test_understand_api.py), not here."""
    assert classify(text, available=EVERY_SKILL).runner_up == ""
