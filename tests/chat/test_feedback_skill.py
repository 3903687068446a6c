"""An opinion told to the chat is kept for the staff and the chat goes on; a goodbye asks for a rating and ends it
(issue 19: seen on `make run`, "the website is confusing, I could not find the form for bulk pickup" was answered
"Thank you for contacting … How would you rate this conversation?", the chat was closed and the complaint kept
nowhere)."""

import pytest
from django.conf import settings
from django.utils import translation

from analytics.models import Feedback
from chat.engine.skills.feedback import says_goodbye
from chat.models import Conversation
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401

pytestmark = pytest.mark.django_db


def feedback_texts(of):
    with agency_context(of):
        return list(Feedback.objects.for_agency(of).values_list("text", flat=True))


def test_an_opinion_is_filed_for_the_staff_and_the_chat_goes_on(agency):  # noqa: F811
    conversation = start(agency)
    text = "the website is confusing, I could not find the form for bulk pickup"
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["skill"] == "feedback", reply.text
    assert "passed on to the staff of Alpha City" in reply.text
    assert feedback_texts(agency) == [text]
    assert conversation.state == Conversation.State.BOT
    assert {a["value"] for a in reply.payload["actions"]} >= {"answer", "feedback"}
    after = say(agency, conversation, "When is trash pickup?")
    assert "Monday" in after.text


def test_an_opinion_in_german_is_thanked_in_german(agency):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, "Die Webseite ist total verwirrend, ich finde nichts")
    assert "Ihre Rückmeldung wurde an die Mitarbeitenden dieser Behörde (Alpha City) weitergegeben" in reply.text, (
        reply.text
    )
    assert feedback_texts(agency) == ["Die Webseite ist total verwirrend, ich finde nichts"]


@pytest.mark.parametrize("text", ["bye", "ok thanks bye", "Chat beenden", "再见"])
def test_a_goodbye_asks_for_a_rating_and_ends_the_chat_without_filing_it(agency, text):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["skill"] == "feedback", reply.text
    assert any(a["value"] == "feedback:5" for a in reply.payload["actions"]), reply.text
    assert conversation.state == Conversation.State.CLOSED
    assert feedback_texts(agency) == []


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_end_the_chat_buttons_label_typed_is_a_goodbye(language):
    """A citizen types what the menu's button says (seen on make run: a Korean "채팅 종료" and an Arabic "إنهاء
    المحادثة" were read as saying something more than goodbye, and so not as one)."""
    with translation.override(language):
        label = translation.gettext("End the chat")
    assert says_goodbye(label), label


@pytest.mark.parametrize(
    "text",
    ["Chat beenden", "Tschüss", "Auf Wiedersehen", "대화 종료", "채팅 종료", "إنهاء المحادثة", "مع السلامة", "再见"],
)
def test_a_goodbye_at_a_forms_question_is_not_taken_for_the_answer(agency, text):  # noqa: F811
    """Seen on make run: a German citizen in the middle of a registration typed "Chat beenden" at "Date of birth"
    and was told to enter a valid date (the learned model read the goodbye, and its read alone is not sure enough
    for a form; the closing words are). Asked whether to leave the form, the draft kept, as "end the chat" was."""
    conversation = start(agency)
    say(agency, conversation, "I want to register to vote")
    reply = say(agency, conversation, "Yes")
    assert reply.payload["decision"]["form_field"] == "date_of_birth", reply.text
    reply = say(agency, conversation, text)
    assert reply.payload["decision"].get("leaving") == "feedback", (reply.text, reply.payload["decision"])
    with translation.override(reply.payload["decision"]["language"]):
        # asked about as what it is, the menu's way out, not as "Give feedback"
        assert translation.gettext("End the chat") in reply.text, reply.text
        assert translation.gettext("Give feedback") not in reply.text, reply.text
    assert conversation.skill == "register_service" and conversation.skill_state["field"] == "date_of_birth"


def test_asking_to_complain_asks_what_then_files_the_answer(agency):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, "I want to make a complaint")
    assert reply.text.startswith("What would you like to tell us?"), reply.text
    assert feedback_texts(agency) == []
    reply = say(agency, conversation, "the driver of the trash truck was rude to my mother this morning")
    assert "passed on to the staff" in reply.text
    assert feedback_texts(agency) == ["the driver of the trash truck was rude to my mother this morning"]
    assert conversation.state == Conversation.State.BOT


def test_an_opinion_with_a_goodbye_is_filed_and_the_rating_follows(agency):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, "that's all, the new online form was really easy, well done")
    assert reply.text.startswith("Thank you for your feedback."), reply.text
    assert feedback_texts(agency) == ["that's all, the new online form was really easy, well done"]
    assert conversation.state == Conversation.State.CLOSED


def test_the_end_the_chat_button_is_a_goodbye(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "the website is confusing, I could not find the form for bulk pickup")
    reply = say(agency, conversation, "End the chat", "feedback")
    assert any(a["value"] == "feedback:5" for a in reply.payload["actions"]), reply.text
    assert conversation.state == Conversation.State.CLOSED


def test_feedback_is_filed_in_the_conversations_agency_only(agency, agency_b):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "the website is confusing, I could not find the form for bulk pickup")
    assert len(feedback_texts(agency)) == 1 and feedback_texts(agency_b) == []
