"""After an agent hands the conversation back, the citizen's next "weiter", "ok", "continue" goes on with the form
they were in (seen on make run: it showed the main menu, and "continue" was filed as feedback); a question is
answered; with no form to take up, "ok" shows the menu. The hand back's line offers "Continue the report" itself."""

import pytest

from chat import services
from chat.models import Message
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401

pytestmark = pytest.mark.django_db


def taken_and_handed_back(agency, conversation, agent):  # noqa: F811
    with agency_context(agency):
        services.conversation_claim(agency=agency, actor=agent, conversation_id=conversation.pk)
        services.message_post_agent(agency=agency, actor=agent, conversation_id=conversation.pk, text="Hello!")
        services.conversation_handback(agency=agency, actor=agent, conversation_id=conversation.pk)
        line = Message.objects.for_agency(agency).filter(conversation=conversation).order_by("-seq").first()
    conversation.refresh_from_db()
    return line


def at_description(agency, conversation):  # noqa: F811
    say(agency, conversation, "report a pothole")
    return say(agency, conversation, "12 Elm St")


@pytest.mark.parametrize("word", ["weiter", "ok", "continue", "继续", "Continuar"])
def test_go_on_words_take_up_the_form_the_agent_found(agency, staff_a, word):  # noqa: F811
    conversation = start(agency)
    at_description(agency, conversation)
    line = taken_and_handed_back(agency, conversation, staff_a["supervisor"])
    assert [a["value"] for a in line.payload["actions"]] == ["report_problem:resume"]
    reply = say(agency, conversation, word)
    assert reply.payload["decision"]["form_field"] == "description", reply.text
    assert conversation.skill == "report_problem"
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "12 Elm St"
    assert "report_problem" not in (conversation.parked_forms or {})  # taken up, no longer offered


def test_the_form_left_to_ask_for_a_person_is_taken_up_too(agency, staff_a):  # noqa: F811
    conversation = start(agency)
    at_description(agency, conversation)
    say(agency, conversation, "can I talk to a person")
    say(agency, conversation, "Yes", "report:leave")
    taken_and_handed_back(agency, conversation, staff_a["supervisor"])
    reply = say(agency, conversation, "ok")
    assert reply.payload["decision"]["form_field"] == "description", reply.text


def test_the_hand_back_lines_button_takes_it_up(agency, staff_a):  # noqa: F811
    conversation = start(agency)
    at_description(agency, conversation)
    line = taken_and_handed_back(agency, conversation, staff_a["supervisor"])
    [button] = line.payload["actions"]
    reply = say(agency, conversation, button["label"], button["value"])
    assert reply.payload["decision"]["form_field"] == "description", reply.text


def test_a_question_after_the_hand_back_is_answered_and_the_form_offered(agency, staff_a):  # noqa: F811
    conversation = start(agency)
    at_description(agency, conversation)
    taken_and_handed_back(agency, conversation, staff_a["supervisor"])
    reply = say(agency, conversation, "When is trash pickup?")
    assert "Monday" in reply.text
    assert "report_problem:resume" in [a["value"] for a in reply.payload["actions"]]


@pytest.mark.parametrize("word", ["continue", "ok", "weiter"])
def test_with_no_form_go_on_words_show_the_menu_not_feedback(agency, staff_a, word):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "talk to a person")
    line = taken_and_handed_back(agency, conversation, staff_a["supervisor"])
    assert not line.payload.get("actions")
    reply = say(agency, conversation, word)
    assert reply.payload["decision"]["skill"] == "greeting", reply.text
    assert reply.payload["decision"].get("intent") != "feedback"
