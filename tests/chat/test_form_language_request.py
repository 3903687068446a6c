"""A request to go on in another language, typed at a form's question, changes the conversation's language and asks
the question again: it is not the answer. Found by the session-24 walk: in a German report, "sorry, can we continue
in English please" typed at "Beschreiben Sie das Problem mit wenigen Worten." became the report's description
(the next question, the photo, came in English)."""

import pytest

from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401 - fixture and helpers


def _german_report_at_the_description(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "Ich möchte ein Schlagloch melden")
    reply = say(agency, conversation, "Schlagloch", "report:val:pothole")
    if reply.payload["decision"].get("form_field") != "location":
        pytest.fail(reply.text)
    reply = say(agency, conversation, "Hauptstraße 12")
    assert reply.payload["decision"].get("form_field") == "description", reply.text
    assert conversation.language == "de"
    return conversation


@pytest.mark.parametrize(
    ("text", "language", "asked"),
    [
        ("sorry, can we continue in English please", "en", "Describe the problem in a few words."),
        ("en español por favor", "es", "Describa el problema en pocas palabras."),
        ("I don't speak German", "en", "Describe the problem in a few words."),
    ],
)
def test_a_request_for_another_language_asks_the_question_again_in_it(agency, text, language, asked):  # noqa: F811
    conversation = _german_report_at_the_description(agency)
    reply = say(agency, conversation, text)
    assert conversation.language == language
    assert reply.payload["decision"].get("form_field") == "description", reply.text
    assert asked in reply.text, reply.text
    assert "description" not in conversation.skill_state["form"]["answers"]


def test_a_description_in_another_language_is_still_the_description(agency):  # noqa: F811
    conversation = _german_report_at_the_description(agency)
    reply = say(agency, conversation, "There is a deep hole next to the bus stop")
    assert reply.payload["decision"].get("form_field") != "description", reply.text
    assert conversation.skill_state["form"]["answers"]["description"] == "There is a deep hole next to the bus stop"
