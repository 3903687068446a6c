# ruff: noqa: RUF001 - Chinese and Korean text uses full-width punctuation
"""A denial closed by its own comma ("신고하려는 건 아니고요, …", I'm not reporting, …) is a clause of its own: the ask
is the part after it. Read as the part before the comma, the denial itself was read again as the whole message, and
`classify` recursed until Python's limit (RecursionError in the chat turn; seen scoring session 26's blind set)."""

import pytest

from chat.engine import registry
from chat.engine.denials import after_a_denial
from chat.understanding import classify

AVAILABLE = {skill.name for skill in registry.all_skills()}

pytestmark = pytest.mark.usefixtures("learned_intents")  # tests/chat/conftest.py


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("신고하려는 건 아니고요, 가로등 고치는 데 보통 며칠 걸려요?", "가로등 고치는 데 보통 며칠 걸려요?"),
        ("민원 아니고요, 도서관 몇 시에 닫아요?", "도서관 몇 시에 닫아요?"),
    ],
)
def test_a_korean_denial_closed_by_a_comma_leaves_the_ask_after_it(text, rest):
    assert after_a_denial(text) == rest


@pytest.mark.parametrize(
    "text",
    [
        "신고하려는 건 아니고요, 가로등 고치는 데 보통 며칠 걸려요?",
        "신고 아니고요, 질문이에요",
        "신고 아니고요,",
        "질문 아니고요,,, 그냥요",
        "I'm not reporting anything, ",
        "no quiero reportar nada,",
        "不是要投诉，",
        "مش عايز أبلغ عن حاجة،",
    ],
)
def test_a_denial_with_nothing_or_a_comma_after_it_is_read_without_error(text):
    assert classify(text, available=AVAILABLE).intent


def test_the_question_after_a_korean_denial_is_the_question():
    assert (
        classify("신고하려는 건 아니고요, 가로등 고치는 데 보통 며칠 걸려요?", available=AVAILABLE).intent == "question"
    )
