# ruff: noqa: RUF001, RUF002 - Chinese text uses full-width punctuation
"""The answer is given from the passage that asks the same kind of thing as the citizen when the ranking's first
asks another and is only a little ahead (seen in the widget: "什么时候收垃圾？", when is trash picked up, was answered
with the holidays entry "节假日收垃圾吗？", which shares "收垃圾" word for word, instead of "垃圾哪天收集？")."""

import json
from dataclasses import replace

import pytest

from knowledge.demo_faqs import TRASH_FAQ_ZH
from knowledge.ingestion import HEADING_SEPARATOR as SEP
from knowledge.question_kinds import heading_question, kinds
from knowledge.services import answer_question
from knowledge.services.answers import KIND_MARGIN, _lead
from tenants.context import agency_context
from tests.knowledge.test_related import _passage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("什么时候收垃圾？", {"when"}),
        ("垃圾哪天收集？", {"when"}),
        ("几号收垃圾", {"when"}),
        ("节假日收垃圾吗？", set()),
        ("When is trash collected?", {"when"}),
        ("Is trash collected on holidays?", set()),
        ("Wann wird der Müll abgeholt?", {"when"}),
        ("Wo kann ich Sperrmüll abgeben?", {"where"}),
        ("¿Cuánto cuesta un permiso?", {"cost"}),
        ("How long does it take to fix a pothole?", {"duration"}),
        ("Can I put pizza boxes in the recycling?", set()),
        ("Whenever it rains the street floods", set()),  # "when" is a word, not a prefix
        ("Who do I call about a missed pickup?", set()),  # not "who": mostly a relative pronoun in headings
    ],
)
def test_what_a_question_asks_for(text, expected):
    assert kinds(text) == expected


def test_the_heading_question_is_the_last_part_of_the_path():
    assert heading_question(f"Trash FAQ{SEP}When is trash collected?") == "When is trash collected?"


def test_a_close_second_asking_when_leads_over_a_first_asking_something_else():
    holidays = _passage(1, f"FAQ{SEP}节假日收垃圾吗？", 0.94)
    which_day = _passage(2, f"FAQ{SEP}垃圾哪天收集？", 0.89)
    yard = _passage(3, f"FAQ{SEP}庭院垃圾什么时候收？", 0.3)
    holidays, which_day, yard = (replace(p, score=s) for p, s in ((holidays, 0.997), (which_day, 0.812), (yard, 0.5)))
    top = [holidays, which_day, yard]
    assert _lead(top, "什么时候收垃圾？") is which_day
    assert _lead(top) is holidays  # without the question: the ranking's first
    assert _lead(top, "节假日收垃圾吗？") is holidays  # a question of no kind keeps the first
    assert _lead(top, "When is trash collected?") is which_day  # the kind, in whatever language it is asked
    far = replace(which_day, score=holidays.score - KIND_MARGIN - 0.01)
    assert _lead([holidays, far, yard], "什么时候收垃圾？") is holidays  # too far behind
    close_yard = replace(yard, score=0.9, confidence=0.9)
    assert (
        _lead([holidays, close_yard, which_day], "什么时候收垃圾？") is close_yard
    )  # the first of them that asks when


def test_a_first_that_asks_the_same_kind_keeps_the_lead():
    which_day = _passage(1, f"FAQ{SEP}垃圾哪天收集？", 0.9)
    yard = _passage(2, f"FAQ{SEP}庭院垃圾什么时候收？", 0.9)
    assert _lead([which_day, yard], "什么时候收垃圾？") is which_day


@pytest.mark.parametrize("question", ["什么时候收垃圾？", "几号收垃圾", "收垃圾是哪一天", "垃圾什么时候收集？"])
def test_the_demos_chinese_trash_questions_are_answered_with_the_collection_day(agency_a, publish, dense, question):
    agency_a.languages = ["en", "zh-hans"]
    agency_a.save(update_fields=["languages"])
    publish(
        agency_a,
        title="垃圾、回收和路面坑洞：常见问题",
        format="faq_json",
        language="zh-hans",
        content=json.dumps(TRASH_FAQ_ZH, ensure_ascii=False),
    )
    with agency_context(agency_a):
        answer = answer_question(agency=agency_a, question=question, language="zh-hans")
    assert answer.grounded and answer.text.startswith("生活垃圾和可回收物每周收集一次"), answer.text
