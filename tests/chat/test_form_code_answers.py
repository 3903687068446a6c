"""A number typed at a form's question that asks for a number is its answer, right or wrong (found by the session-24
walk in Korean: "123456789" at the voter registration's licence number offered to leave the form for "Check a
status", its digits read as a reference number). The form says what is wrong with it; a sentence asking for a
status is still asked about."""

import pytest

from chat.engine.interrupts import only_a_code
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401

OPENINGS = {
    "en": ("I want to register to vote", "Kim Minji"),
    "ko": ("유권자 등록을 하고 싶어요", "김민지"),
}


def at_licence_number(agency, language):  # noqa: F811
    opening, name = OPENINGS[language]
    conversation = start(agency)
    say(agency, conversation, opening)
    say(agency, conversation, "yes", "reg:val:yes")
    say(agency, conversation, "1990-05-04")
    say(agency, conversation, "yes", "reg:val:yes")
    say(agency, conversation, name)
    reply = say(agency, conversation, "licence", "reg:val:drivers_license")
    assert reply.payload["decision"]["form_field"] == "drivers_license", reply.text
    return conversation


@pytest.mark.parametrize("language", list(OPENINGS))
@pytest.mark.parametrize("typed", ["123456789", "1234-5678-9012", "S123 4567"])
def test_a_wrong_number_at_a_number_question_is_answered_by_the_form(agency, language, typed):  # noqa: F811
    conversation = at_licence_number(agency, language)
    reply = say(agency, conversation, typed)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert reply.payload["decision"]["form_field"] == "drivers_license"
    assert "S123-4567-8901" in reply.text  # the field's own message: a letter and 11 digits
    assert "reg:leave" not in [action["value"] for action in reply.payload.get("actions", [])]


def test_the_right_number_is_taken(agency):  # noqa: F811
    conversation = at_licence_number(agency, "ko")
    reply = say(agency, conversation, "S12345678901")
    assert reply.payload["decision"]["form_field"] == "home_address", reply.text


def test_a_status_question_at_a_number_question_is_still_asked_about(agency):  # noqa: F811
    conversation = at_licence_number(agency, "en")
    reply = say(agency, conversation, "what's the status of SPR-2026-000123")
    assert reply.payload["decision"].get("form_interrupted") == "status", reply.text


@pytest.mark.parametrize("text", ["123456789", "S123-4567-8901", " 0171 2345678 ", "#12345", "d 1234.5678"])
def test_codes(text):
    assert only_a_code(text)


@pytest.mark.parametrize("text", ["status 123456789", "SPR-2026-000123 的进度", "where is 123456", "", "hello"])
def test_not_codes(text):
    assert not only_a_code(text)
