"""Which detector decides, and the words of the languages that had none (issue 19, session 13, second round).

- A handoff's own words decide over the encoder's nearest example: asking for a person (a call back, being
  attended to) is the purpose whatever the topic, and the encoder follows the topic. Other intents' keywords
  name a topic that a message about something else shares, so there a clear nearest example still decides.
- A noun of signing up followed by what it is for is a registration.
- Reporting in French, Vietnamese, Korean and Arabic; the Arabic question mark makes a question.
- Asking after something sent earlier, with no reference number, is a status question.
"""

import pytest

from chat.understanding import classify

EVERY_SKILL = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem",
               "register_service"}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "kann mich jemand zurückrufen?",  # nearest to a status example
        "necesito que me atienda alguien del departamento",  # nearest to a registration
        "could somebody call me back about my permit",
        "pouvez-vous me rappeler demain ?",
        "请工作人员给我回个电话",
        "ich will einen echten Menschen",
    ],
)
def test_asking_for_a_person_is_a_handoff_whatever_the_topic(text):
    assert classify(text, available=EVERY_SKILL).intent == "handoff"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("跟踪我的报告", "status"),  # names a report (a report keyword) and asks after it
        ("我的报告处理得怎么样了", "status"),
    ],
)
def test_another_intents_keyword_does_not_override_a_clear_nearest_example(text, intent):
    assert classify(text, available=EVERY_SKILL).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "Anmeldung zur Rückenschule bitte",
        "inscripción al curso de yoga, por favor",
        "registration for the spring art class please",
        "帮我妈报个名，太极班",  # noqa: RUF001
        "inscription au cours de danse pour ma fille",
    ],
)
def test_a_noun_of_signing_up_for_something_is_a_registration(text):
    assert classify(text, available=EVERY_SKILL).intent == "register"


def test_a_noun_of_signing_up_alone_is_not_a_registration():
    assert classify("mi inscripción de ayer no aparece", available=EVERY_SKILL).intent != "register"


@pytest.mark.parametrize(
    "text",
    [
        "je veux signaler des graffitis sur le pont",
        "il y a un arbre tombé sur la route",
        "đèn giao thông ở ngã tư bị hỏng",
        "trên đường có ổ gà rất sâu",
        "쓰레기 무단 투기를 신고하고 싶어요",
        "신호등이 고장났어요",
        "أريد الإبلاغ عن تسرب مياه",
        "هناك شجرة ساقطة في الطريق",
    ],
)
def test_reports_in_french_vietnamese_korean_and_arabic(text):
    assert classify(text, available=EVERY_SKILL).intent == "report"


@pytest.mark.parametrize("text", ["هل هناك رسوم لموقف السيارات؟", "est-ce qu'il y a des frais pour le parking ?"])
def test_a_question_about_a_topic_in_those_languages_is_not_a_report(text):
    assert classify(text, available=EVERY_SKILL).intent == "question"


@pytest.mark.parametrize(
    "text",
    [
        "I applied for the parking permit in May and haven't heard back",
        "mandé la solicitud el lunes y no sé nada",
        "Gibt es was Neues zu meiner Beschwerde",
        "上个月交的申请审核通过了没有",
    ],
)
def test_asking_after_something_sent_earlier_is_a_status_question(text):
    assert classify(text, available=EVERY_SKILL).intent == "status"


def test_news_about_a_topic_is_a_question():
    assert classify("is there any news about when the library reopens?", available=EVERY_SKILL).intent == "question"
