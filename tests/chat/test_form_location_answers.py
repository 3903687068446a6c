"""At a report's "Where is it?", a message with nothing of a place is not stored as the address (found by the
session-25 walk on make run, in five languages: "Hallo, ich brauche help mit meinem trash pickup", "안녕하세요, trash
pickup 관련 help가 필요해요", "Bonjour, j'ai besoin d'help avec mon trash pickup", "Xin chào, tôi cần help với trash
pickup", "مرحبا، I need help مع جمع القمامة" and an earlier walk's "😀😀😀" became the pothole's location). A
greeting that opens a request is answered as a question and the place asked again; a text with no letter or digit
is refused with the location hint. Addresses after a greeting and landmarks are still places."""

import pytest

from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, at_location, say, start  # noqa: F401


def location_of(conversation):
    saved = conversation.skill_state.get("form") or {}
    return (saved.get("answers") or {}).get("location")


@pytest.mark.parametrize(
    "text",
    [
        "Hallo, ich brauche help mit meinem trash pickup",
        "안녕하세요, trash pickup 관련 help가 필요해요",
        "Bonjour, j'ai besoin d'help avec mon trash pickup",
        "Xin chào, tôi cần help với trash pickup",
        "مرحبا، I need help مع جمع القمامة",
        "Hi, I need help with my trash pickup",
    ],
)
def test_a_greeting_that_opens_a_request_is_not_the_place(agency, text):  # noqa: F811
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"].get("form_interrupted") == "question", reply.text
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert location_of(conversation) is None


@pytest.mark.parametrize("text", ["😀😀😀", "👍", "?!"])
def test_a_text_without_letters_or_digits_is_not_a_place(agency, text):  # noqa: F811
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert location_of(conversation) is None


@pytest.mark.parametrize(
    "text", ["Hello, it is at 1200 S MacArthur Blvd", "Hola, en la calle Main", "Lincoln Park", "behind the library"]
)
def test_places_are_still_places(agency, text):  # noqa: F811
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["form_field"] != "location", reply.text
    assert location_of(conversation)["address"]
