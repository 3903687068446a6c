"""A message padded with one letter held down keeps the conversation's language (found by the session-25 walk on
make run: in Chinese, Korean and Arabic conversations a 2,000-character "x aaaa…" was answered in English, and a
German "Die Straßenlaterne ist kaputt. aaaa…" turned the conversation and the report form English). Words that are
one letter repeated say nothing about a language; the rest of the message still does."""

import pytest

from core.language import detect, without_stretched
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import LANGUAGES, agency, say, start  # noqa: F401

OPENINGS = {"zh-hans": "你好", "ko": "안녕하세요", "ar": "مرحبا", "de": "Guten Tag", "vi": "Xin chào"}


@pytest.mark.parametrize("language", list(OPENINGS))
def test_a_held_down_letter_keeps_the_conversations_language(agency, language):  # noqa: F811
    conversation = start(agency)
    assert say(agency, conversation, OPENINGS[language]).payload["decision"]["language"] == language
    reply = say(agency, conversation, "x " + "a" * 1998)
    assert reply.payload["decision"]["language"] == language, reply.text


def test_the_words_before_the_padding_still_name_their_language():
    padded = "Die Straßenlaterne ist kaputt. " + "a" * 1990
    assert detect(padded, allowed=LANGUAGES, hint="en").language == "de"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("aaaa", ""),
        ("x aaa zzz", "x"),
        ("Zzz the lamp", "the lamp"),
        ("Straße", "Straße"),
        ("book keeper", "book keeper"),
    ],
)
def test_without_stretched(text, kept):
    assert " ".join(without_stretched(text).split()) == kept
