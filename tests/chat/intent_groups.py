"""The shape the unseen sets' cause tests share: groups of messages, each group one cause with the intent its
messages must be read as and the word rules that must (or must not) fire on them."""

import pytest

from chat.understanding import classify
from tests.chat.test_intent_unseen_causes import EVERY_SKILL


def cases(groups) -> list:
    """One pytest case per message of each `(why, intent, checks, texts)` group, named by the cause and its number."""
    return [
        pytest.param(text, intent, checks, id=f"{why} {number}")
        for why, intent, checks, texts in groups
        for number, text in enumerate(texts)
    ]


def assert_read_as(text: str, intent: str, checks) -> None:
    for rule, says in checks:
        assert bool(rule(text)) is says, (rule.__name__, text)
    assert classify(text, available=EVERY_SKILL).intent == intent, text
