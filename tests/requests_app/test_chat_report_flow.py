"""The report-a-problem chat flow runs on the form engine: back, skip, resume, validation, languages and
duplicates behave as in every other form (turns through the engine's entry point, real database)."""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from chat.models import Conversation
from requests_app.models import Follower, ServiceRequest
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LONG
from tests.requests_app.test_routing import file


@pytest.fixture
def conversation(agency_a):
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        yield conversation


def say(agency, conversation, text, action=""):
    received = services.message_receive(agency=agency, conversation_id=conversation.pk, text=text, action=action)
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


def values(reply) -> list[str]:
    return [action["value"] for action in reply.payload.get("actions", [])]


def labels(reply) -> list[str]:
    return [action["label"] for action in reply.payload.get("actions", [])]


def up_to_description(agency, conversation):
    say(agency, conversation, "report a problem")
    say(agency, conversation, "Pothole", "report:val:pothole")
    return say(agency, conversation, f"{LAT}, {LONG}")


def test_back_goes_one_question_back_and_keeps_the_answers(agency_a, catalogue_a, conversation):
    reply = say(agency_a, conversation, "report a problem")
    assert "report:back" not in values(reply)  # nothing before the first question
    reply = up_to_description(agency_a, conversation)
    assert "Describe the problem" in reply.text and "report:back" in values(reply)
    reply = say(agency_a, conversation, "Back", "report:back")
    assert "Where is it?" in reply.text
    assert conversation.skill_state["form"]["answers"]["location"]["lat"] == LAT  # kept while going back
    reply = say(agency_a, conversation, "back")  # typed
    assert "What kind of problem" in reply.text
    reply = say(agency_a, conversation, "Fallen tree", "report:val:fallen-tree")
    assert "Where is it?" in reply.text  # forward again, question by question
    assert conversation.skill_state["form"]["answers"]["category"] == "fallen-tree"


def test_back_from_the_review_and_typed_back_in_chinese_is_not_a_cancel(agency_a, catalogue_a, conversation):
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    reply = say(agency_a, conversation, "Large", "report:val:large")
    assert "Send it?" in reply.text and "report:confirm" in values(reply)
    reply = say(agency_a, conversation, "返回")  # "back" in Chinese: one question back, the flow goes on
    assert conversation.skill == "report_problem" and "How big" in reply.text


def test_skip_only_optional_questions(agency_a, catalogue_a, conversation):
    up_to_description(agency_a, conversation)
    reply = say(agency_a, conversation, "A deep hole in the right lane")
    assert "Photo" in reply.text and "report:skip" in values(reply)
    reply = say(agency_a, conversation, "no")  # no photo: skipped like "skip"
    assert "How big" in reply.text and "report:skip" not in values(reply)
    reply = say(agency_a, conversation, "skip")  # a required question
    assert reply.text.startswith("This question cannot be skipped.") and "How big" in reply.text


def test_resume_after_reconnect_continues_where_it_stopped(agency_a, catalogue_a, conversation):
    up_to_description(agency_a, conversation)
    # Another process (a restarted server, a new socket) continues from the stored conversation.
    again = Conversation.objects.for_agency(agency_a).get(pk=conversation.pk)
    assert again.skill == "report_problem" and again.skill_state["form"]["field"] == "description"
    reply = say(agency_a, again, "Street light is flickering")
    assert "Photo" in reply.text
    assert again.skill_state["form"]["answers"]["description"] == "Street light is flickering"


def test_a_stored_step_of_the_old_skill_starts_a_fresh_form(agency_a, catalogue_a, conversation):
    Conversation.objects.for_agency(agency_a).filter(pk=conversation.pk).update(
        skill="report_problem", skill_state={"step": "location", "category": "pothole", "attributes": {}}
    )
    reply = say(agency_a, conversation, "hello there")
    assert "What kind of problem" in reply.text


def test_validation_reasks_with_the_reason(agency_a, catalogue_a, area_a, conversation):
    say(agency_a, conversation, "report a problem")
    reply = say(agency_a, conversation, "Graffiti")
    assert reply.text.startswith("I could not match that to a kind of problem reported here.")
    say(agency_a, conversation, "pothole")
    reply = say(agency_a, conversation, "40.5, -89.64")  # outside the agency's area
    assert "outside the area" in reply.text and "Where is it?" in reply.text
    reply = say(agency_a, conversation, "95, -89.64")
    assert "latitude, longitude" in reply.text and "Where is it?" in reply.text
    reply = say(agency_a, conversation, "12 Main St")
    assert "Describe the problem" in reply.text
    reply = say(agency_a, conversation, "<b>big</b> hole")
    assert "plain text" in reply.text and "Describe the problem" in reply.text
    say(agency_a, conversation, "A big hole")
    say(agency_a, conversation, "skip")
    reply = say(agency_a, conversation, "Gigantic")
    assert reply.text.startswith("Choose one of the options.") and "How big" in reply.text
    reply = say(agency_a, conversation, "2")  # the second option, by its number
    assert "Please check: Pothole at 12 Main St" in reply.text
    assert not ServiceRequest.objects.for_agency(agency_a).exists()


def test_a_choice_button_value_is_taken_as_is(agency_a, catalogue_a, conversation):
    """A button carries the option's key: a key that looks like a number is not read as a position."""
    from requests_app.models import ServiceAttribute

    ServiceAttribute.objects.for_agency(agency_a).filter(code="size").update(
        values=[{"key": "2", "name": "Small"}, {"key": "1", "name": "Large"}]
    )
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    say(agency_a, conversation, "Large", "report:val:1")
    reply = say(agency_a, conversation, "Send", "report:confirm")
    filed = ServiceRequest.objects.for_agency(agency_a).get()
    assert filed.attributes["size"] == "1" and filed.reference in reply.text


@pytest.mark.parametrize(
    ("opening", "language", "texts"),
    [
        (
            "reportar un bache",
            "es",
            {"where": "¿Dónde está?", "of": "Pregunta 2 de", "back": "Atrás", "html": "sin HTML", "photo": "Foto"},
        ),
        (
            "报告路面坑洞",
            "zh-hans",
            {"where": "在哪里", "of": "第 2 题", "back": "返回", "html": "不能包含 HTML", "photo": "照片"},
        ),
    ],
)
def test_the_flow_speaks_the_citizens_language(agency_a, catalogue_a, conversation, opening, language, texts):
    reply = say(agency_a, conversation, opening)
    assert reply.payload["decision"]["language"] == language
    if conversation.skill_state["form"]["field"] == "category":  # the category was not named
        reply = say(agency_a, conversation, "Pothole", "report:val:pothole")
    assert texts["where"] in reply.text and texts["of"] in reply.text and texts["back"] in labels(reply), reply.text
    reply = say(agency_a, conversation, "Calle Mayor 12" if language == "es" else "主街12号")
    reply = say(agency_a, conversation, "<b>x</b>")
    assert texts["html"] in reply.text
    reply = say(agency_a, conversation, "Un bache profundo" if language == "es" else "很深的坑")
    assert texts["photo"] in reply.text
    say(agency_a, conversation, "no" if language == "es" else "不")
    reply = say(agency_a, conversation, "Large", "report:val:large")
    reply = say(agency_a, conversation, "sí" if language == "es" else "是")
    filed = ServiceRequest.objects.for_agency(agency_a).get()
    assert filed.reference in reply.text and filed.language == language


def test_a_duplicate_nearby_is_offered_to_follow(agency_a, catalogue_a, conversation):
    existing = file(agency_a)
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    say(agency_a, conversation, "Large", "report:val:large")
    reply = say(agency_a, conversation, "yes")
    assert existing.reference in reply.text and "report:pick:follow" in values(reply)
    reply = say(agency_a, conversation, "back")  # to the review, nothing filed
    assert "Send it?" in reply.text
    reply = say(agency_a, conversation, "Send", "report:confirm")
    assert existing.reference in reply.text
    reply = say(agency_a, conversation, "yes")  # follow it
    assert "You are now following" in reply.text and conversation.skill == ""
    assert Follower.objects.for_agency(agency_a).filter(request=existing, chat_conversation=str(conversation.pk))
    assert ServiceRequest.objects.for_agency(agency_a).count() == 1


def test_following_a_report_merged_meanwhile_follows_the_original(agency_a, catalogue_a, staff_a, conversation):
    """Staff merged the offered report while the citizen was deciding: following it follows the report
    it now duplicates (through `follower_add`), so the citizen hears about the work that is done."""
    from requests_app.services import service_request_merge

    original = file(agency_a, description="Reported first")
    offered = file(agency_a, description="Reported second")
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    say(agency_a, conversation, "Large", "report:val:large")
    reply = say(agency_a, conversation, "yes")
    assert offered.reference in reply.text and "report:pick:follow" in values(reply)
    with agency_context(agency_a):
        service_request_merge(agency=agency_a, actor=staff_a["supervisor"], request=offered, into=original)
    reply = say(agency_a, conversation, "yes")  # follow it
    assert "You are now following" in reply.text and original.reference in reply.text
    following = Follower.objects.for_agency(agency_a).filter(chat_conversation=str(conversation.pk))
    assert [follower.request_id for follower in following] == [original.pk]


@pytest.mark.parametrize("answer", ["是的。", "Yes?", "yes;"])
def test_a_typed_answer_to_the_duplicate_question_is_read_like_a_form_answer(
    agency_a, catalogue_a, conversation, answer
):
    """The decision reads typed words as the form's questions do (registrations' `plain_words`): punctuation,
    Chinese included, does not hide a "yes"."""
    existing = file(agency_a)
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    say(agency_a, conversation, "Large", "report:val:large")
    reply = say(agency_a, conversation, "yes")
    assert "report:pick:follow" in values(reply)
    reply = say(agency_a, conversation, answer)  # the reply is in the answer's language
    assert existing.reference in reply.text and "report:pick:follow" not in values(reply)
    assert Follower.objects.for_agency(agency_a).filter(request=existing, chat_conversation=str(conversation.pk))
    assert ServiceRequest.objects.for_agency(agency_a).count() == 1


def test_a_duplicate_can_be_filed_anyway_or_cancelled(agency_a, catalogue_a, conversation):
    file(agency_a)
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    say(agency_a, conversation, "Large", "report:val:large")
    say(agency_a, conversation, "yes")
    reply = say(agency_a, conversation, "maybe")  # neither: asked again
    assert "report:pick:file" in values(reply)
    reply = say(agency_a, conversation, "File mine anyway", "report:pick:file")
    assert "has been filed" in reply.text
    assert ServiceRequest.objects.for_agency(agency_a).count() == 2


def test_the_cancel_button_files_nothing(agency_a, catalogue_a, conversation):
    up_to_description(agency_a, conversation)
    reply = say(agency_a, conversation, "Cancel", "report:cancel")
    assert reply.text == "Cancelled. Nothing was reported." and conversation.skill == ""
    assert not ServiceRequest.objects.for_agency(agency_a).exists()


def test_the_review_reads_yes_and_change_like_every_form(agency_a, catalogue_a, conversation):
    up_to_description(agency_a, conversation)
    say(agency_a, conversation, "A deep hole")
    say(agency_a, conversation, "skip")
    reply = say(agency_a, conversation, "Large", "report:val:large")
    assert labels(reply)[:2] == ["Send", "Change"]
    reply = say(agency_a, conversation, "change")  # back to the last answer
    assert "How big" in reply.text
    say(agency_a, conversation, "Small", "report:val:small")
    reply = say(agency_a, conversation, "ok")
    filed = ServiceRequest.objects.for_agency(agency_a).get()
    assert filed.attributes["size"] == "small" and filed.reference in reply.text
