# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""A problem told, then "what should I do?" is a report (issue 19; found on make run at the front door:
"我家门口的路灯坏了怎么办" read as a question, so neither the report form nor the front door's report routing
started, and "the street light outside my house is broken, what should I do?" was a question in five languages).
The messages below are written for these tests (none is in bench/chat/data/)."""

import pytest

from chat.engine.what_to_do import told_before
from chat.understanding import classify
from tests.chat.test_intent_unseen_causes import EVERY_SKILL

pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py


@pytest.mark.parametrize(
    "text",
    [
        "The traffic signal at Oak and 3rd has been dark since last night, what should I do?",
        "Die Ampel an der Kreuzung Ringstraße ist seit gestern aus, was soll ich tun?",
        "El semáforo de la esquina lleva dos días apagado, ¿qué hago?",
        "Le feu de circulation au coin de ma rue est éteint depuis hier, que dois-je faire ?",
        "十字路口的红绿灯坏了两天了怎么办",
        "사거리 신호등이 어제부터 꺼져 있어요 어떻게 해야 하나요?",
        "Đèn giao thông ở ngã tư bị hỏng từ hôm qua, tôi phải làm gì?",
        "إشارة المرور عند التقاطع مطفأة منذ أمس، ماذا أفعل؟",
    ],
)
def test_a_problem_told_then_what_should_i_do_is_a_report(text):
    assert classify(text, available=EVERY_SKILL).intent == "report", text


@pytest.mark.parametrize(
    "text",
    [
        "what should I do?",  # nothing told
        "I lost my passport, what should I do?",  # told, but no report for the city
        "My tax refund has not arrived, who do I call?",
        "How do I get a parking permit? what should I do first",  # a question, not a telling, before it
    ],
)
def test_what_should_i_do_after_something_else_stays_what_it_was(text):
    assert classify(text, available=EVERY_SKILL).intent != "report", text


def test_the_telling_is_read_only_before_the_closing_ask():
    assert told_before("La farola no funciona, ¿qué hago?") == "la farola no funciona"
    assert told_before("路灯坏了怎么办？") == "路灯坏了"
    assert told_before("what should I do with old paint?") == ""  # its own subject: not the closing ask
    assert told_before("what should I do?") == ""
