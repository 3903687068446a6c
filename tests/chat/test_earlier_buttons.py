"""A button of an earlier message, pressed after the conversation moved on, does not act on the step it belonged
to (seen on make run: the review's "Send" and an old menu stayed pressable): the reply says so and shows the
latest message again with its buttons; nothing is filed, started or changed. The widget disables such buttons
(tests/e2e/test_chat_buttons.py); this is the server's side, for a page left open and for messaging apps. A
menu's entry belongs to no step and still acts."""

import pytest

from chat.models import Message
from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401

pytestmark = pytest.mark.django_db

EARLIER = "That button belongs to an earlier message: it did nothing."


def values(reply) -> list[str]:
    return [action["value"] for action in reply.payload.get("actions", [])]


def test_the_reviews_send_after_the_report_was_filed_files_nothing_more(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "report a pothole")
    say(agency, conversation, "12 Elm St")
    say(agency, conversation, "A deep hole in the right lane")
    say(agency, conversation, "skip", "report:skip")
    review = say(agency, conversation, "Large", "report:val:large")
    assert "report:confirm" in values(review)
    filed = say(agency, conversation, "Send", "report:confirm")
    assert "has been filed" in filed.text
    again = say(agency, conversation, "Send", "report:confirm")  # the review's button, pressed again
    assert again.text.startswith(EARLIER) and filed.text in again.text
    assert again.payload["decision"]["stale_action"] == "report:confirm"
    with agency_context(agency):
        assert ServiceRequest.objects.for_agency(agency).count() == 1
    assert conversation.skill == ""


def test_an_earlier_questions_option_does_not_change_the_answer(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "I want to report a problem")
    where = say(agency, conversation, "Pothole", "report:val:pothole")
    reply = say(agency, conversation, "Fallen tree", "report:val:fallen-tree")  # the category question's button
    assert reply.text.startswith("That button belongs to an earlier question.") and where.text in reply.text
    assert values(reply) == values(where)  # the latest question's buttons again
    assert conversation.skill == "report_problem"
    assert conversation.skill_state["form"]["answers"] == {"category": "pothole"}
    assert conversation.skill_state["form"]["field"] == "location"


def test_an_old_rating_does_not_rate_again(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "bye")
    thanks = say(agency, conversation, "4 ★", "feedback:4")
    conversation.refresh_from_db()
    assert conversation.csat_score == 4
    reply = say(agency, conversation, "1 ★", "feedback:1")  # the rating question's other button, pressed later
    assert reply.text.startswith(EARLIER) and thanks.text in reply.text
    conversation.refresh_from_db()
    assert conversation.csat_score == 4


def test_an_old_menus_entry_starts_what_it_names(agency):  # noqa: F811
    """A menu's entry is no step's: pressed from an old menu it does what it says (and a form running is kept)."""
    conversation = start(agency)
    say(agency, conversation, "hello")
    say(agency, conversation, "When is trash pickup?")
    reply = say(agency, conversation, "Report a problem", "report_problem")
    assert reply.payload["decision"]["form_field"] == "category", reply.text
    assert "stale_action" not in reply.payload["decision"]


def test_the_latest_messages_buttons_still_act(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "hello")
    reply = say(agency, conversation, "Report a problem", "report_problem")
    assert reply.payload["decision"]["form_field"] == "category"
    assert "stale_action" not in reply.payload["decision"]


def test_an_action_no_message_offered_is_not_taken_for_an_old_button(agency):  # noqa: F811
    """A client's own menu, or a relay, sends an action no message carried: it acts as before."""
    conversation = start(agency)
    say(agency, conversation, "When is trash pickup?")
    reply = say(agency, conversation, "Report a problem", "report_problem")
    assert reply.payload["decision"]["form_field"] == "category"
    with agency_context(agency):
        assert Message.objects.for_agency(agency).filter(conversation=conversation).count() == 4
