"""A report's description in the chat says something: a message without a letter or a digit ("😀😀😀", "???") is
not taken as the description, the question is asked again with a word on why. Found by the session-24 walk: in a
Chinese report, "😀😀😀" typed at "请简要描述问题。" became the report's description."""

import pytest

from tests.chat.test_form_interrupts import agency, at_location, say, start  # noqa: F401 - fixture and helpers


def _at_the_description(agency):  # noqa: F811
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, "12 Elm St")
    assert reply.payload["decision"].get("form_field") == "description", reply.text
    return conversation


@pytest.mark.parametrize("text", ["😀😀😀", "???", "👍 !!"])
def test_a_description_without_a_word_is_asked_again(agency, text):  # noqa: F811
    conversation = _at_the_description(agency)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"].get("form_field") == "description", reply.text
    assert reply.text.startswith("Describe the problem."), reply.text
    assert "description" not in conversation.skill_state["form"]["answers"]


@pytest.mark.parametrize("text", ["big hole 😀", "坑很深", "3"])
def test_a_description_with_a_word_or_a_number_is_taken(agency, text):  # noqa: F811
    conversation = _at_the_description(agency)
    say(agency, conversation, text)
    assert conversation.skill_state["form"]["answers"]["description"] == text
