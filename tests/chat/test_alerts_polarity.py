"""Signing up for alerts is never taken for stopping them, nor stopping them for signing up: subscribing and
unsubscribing sit side by side in the encoder's space, so whether the message says stop decides (issue 19)."""

import pytest

from chat.understanding import classify

OFFERED = {"greeting", "answer", "handoff", "feedback", "check_status", "report_problem", "register_service",
           "alerts_subscribe", "alerts_unsubscribe"}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "سجلني في تنبيهات الفيضانات",  # sign me up for flood alerts: was alerts_unsubscribe
        "أريد تلقي تنبيهات الطوارئ",
        "sign me up for emergency alerts",
        "apuntame a las alertas de inundaciones porfa",
        "je veux recevoir les alertes",
        "订阅警报",
    ],
)
def test_a_sign_up_for_alerts_is_never_unsubscribing(text):
    assert classify(text, available=OFFERED).intent == "alerts_subscribe"


@pytest.mark.parametrize(
    "text",
    [
        "أريد إيقاف التنبيهات",  # I want to stop the alerts: was alerts_subscribe
        "ya no quiero recibir alertas",  # was alerts_subscribe
        "je veux arrêter les alertes",  # was alerts_subscribe
        "unsubscribe from alerts",
        "取消订阅警报",
        "je ne veux plus recevoir les alertes",  # was alerts_subscribe
    ],
)
def test_stopping_alerts_is_never_signing_up(text):
    assert classify(text, available=OFFERED).intent == "alerts_unsubscribe"


def test_without_the_alerts_skills_it_is_a_question():
    offered = OFFERED - {"alerts_subscribe", "alerts_unsubscribe"}
    assert classify("سجلني في تنبيهات الفيضانات", available=offered).intent not in (
        "alerts_subscribe",
        "alerts_unsubscribe",
    )


@pytest.mark.parametrize(
    "text",
    [
        "keine Warnungen mehr bitte",  # seen on make run: feedback, which ended the chat
        "Ich möchte keine Warnmeldungen mehr",
        "재난 문자 그만 받고 싶어요",  # feedback
        "please stop sending me all these alerts, its too much",
    ],
)
def test_a_message_naming_the_alerts_and_saying_stop_stops_them(text):
    assert classify(text, available=OFFERED).intent == "alerts_unsubscribe"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("thanks for the flood alert yesterday, very helpful", "feedback"),  # praise of an alert is feedback
        ("the flood warning siren on oak st is broken", "report"),
        ("how do the emergency alerts work?", "question"),
    ],
)
def test_a_message_naming_the_alerts_is_not_always_about_signing_up(text, intent):
    assert classify(text, available=OFFERED).intent == intent


def test_an_agencys_correction_still_wins():
    from chat.engine import semantic
    from chat.engine.intents import prepare_examples
    from chat.understanding import AgencyExamples

    rows = [("feedback", "de", "keine Warnungen mehr bitte")]
    examples = AgencyExamples(words=prepare_examples(rows), vectors=semantic.agency_vectors(rows))
    found = classify("keine Warnungen mehr bitte", available=OFFERED, agency_examples=examples)
    assert found.intent == "feedback"


@pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py: as shipped
@pytest.mark.parametrize(
    "text",
    [
        "Enlevez-moi de la liste des alertes",  # taken off the list: was alerts_subscribe (1.00)
        "sortez-moi de vos alertes SMS",
        "bitte trag mich aus dem Warnverteiler aus",  # the separable verb apart: was alerts_subscribe
        "Ich will die Warn-SMS nimmer",  # Bavarian "no more"
        "ألغوا اشتراكي في التنبيهات",  # cancel my subscription to the alerts: was alerts_subscribe (1.00)
        "ألغِ اشتراكي في رسائل التنبيه",
        "huỷ đăng ký nhận tin nhắn khẩn cấp",  # cancel the emergency texts: was register (the keyword đăng ký)
    ],
)
def test_being_taken_off_the_list_stops_the_alerts(text):
    assert classify(text, available=OFFERED).intent == "alerts_unsubscribe"


@pytest.mark.usefixtures("learned_intents")
@pytest.mark.parametrize(
    "text",
    [
        "Inscrivez-moi aux alertes",
        "tragen Sie mich für die Unwetterwarnungen ein",
        "اشتركني في التنبيهات",
        "đăng ký nhận tin nhắn khẩn cấp",
        "Pouvez-vous m'envoyer une alerte quand la rue est fermée?",
    ],
)
def test_being_put_on_the_list_still_signs_up(text):
    assert classify(text, available=OFFERED).intent == "alerts_subscribe"
