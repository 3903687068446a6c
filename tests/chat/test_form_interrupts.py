"""Issue 19: inside a form, a message that is plainly another request is not swallowed as the answer.

At "Where is it?" of a pothole report, "can I talk to someone" connects to a person, and "what's the status of
SPR-2026-000123", "I want to register to vote", "there is graffiti on the bridge" or "the website is confusing"
are asked about ("Leave this report and go to …?" [Yes] [No, continue the report]); the draft is kept either way
and offered again ("Continue the report"). Addresses, names and descriptions that look like requests are still
taken as answers. While the status check waits for a reference number, "hi" is a greeting, not a wrong number.
"""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from chat.models import Conversation
from registrations import services as registrations
from registrations.demo import install_form
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge, publish_document  # noqa: F401
from tests.requests_app.conftest import make_catalogue

LANGUAGES = ["en", "es", "zh-hans", "de", "fr", "vi", "ko", "ar"]
NAME_FIRST = {
    "schema_version": 1,
    "title": {"en": "Library card"},
    "contact": {"name": "full_name"},
    "steps": [
        {
            "id": "about",
            "title": {"en": "About you"},
            "fields": [
                {"id": "full_name", "type": "text", "label": {"en": "Full name"}},
                {"id": "city", "type": "text", "label": {"en": "City"}},
            ],
        }
    ],
}


@pytest.fixture
def agency(agency_a, lexical_knowledge):  # noqa: F811
    agency_a.languages = LANGUAGES
    agency_a.save(update_fields=["languages"])
    make_catalogue(agency_a)
    with agency_context(agency_a):
        install_form(agency_a, "voter-registration")
    publish_document(
        agency_a, title="Trash pickup", content="# When is trash pickup?\n\nTrash pickup is every Monday morning."
    )
    return agency_a


def start(agency, channel="widget"):
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel=channel)
    return conversation


def say(agency, conversation, text, action=""):
    with agency_context(agency):
        received = services.message_receive(
            agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
        )
        reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


def at_location(agency, conversation):
    say(agency, conversation, "report a problem")
    reply = say(agency, conversation, "Pothole", "report:val:pothole")
    assert reply.payload["decision"]["form_field"] == "location", reply.text


def values(reply) -> list[str]:
    return [action["value"] for action in reply.payload.get("actions", [])]


def assert_draft_kept_at_location(conversation, saved):
    assert saved["form"]["answers"]["category"] == "pothole"
    assert "location" not in saved["form"]["answers"]
    assert saved["form"]["field"] == "location"


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to someone",
        "quiero hablar con una persona",
        "ich möchte mit einem Menschen sprechen",
        "我要找真人",
        "je veux parler à quelqu'un",
        "أريد التحدث مع موظف",
    ],
)
def test_asking_for_a_person_at_a_question_connects_and_keeps_the_draft(agency, text):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, text)
    decision = reply.payload["decision"]
    assert decision.get("form_interrupted") == "handoff", reply.text
    assert conversation.state == Conversation.State.QUEUED
    assert conversation.skill == ""
    assert_draft_kept_at_location(conversation, conversation.parked_forms["report_problem"]["state"])


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("what's the status of SPR-2026-000123", "check_status"),
        ("¿cuál es el estado de SPR-2026-000123?", "check_status"),
        ("wie ist der Stand von SPR-2026-000123", "check_status"),
        ("SPR-2026-000123的进度怎么样", "check_status"),
        ("I want to register to vote", "register_service"),
        ("quiero inscribirme para votar", "register_service"),
        ("ich möchte mich zur Wahl registrieren", "register_service"),
        ("我想登记选民", "register_service"),
        ("there is graffiti on the bridge", "report_problem"),
        ("hay grafiti en el puente", "report_problem"),
        ("Es gibt Graffiti an der Brücke", "report_problem"),
        ("桥上有涂鸦", "report_problem"),
        ("the website is confusing", "feedback"),
        ("la página web es confusa", "feedback"),
        ("die Webseite ist verwirrend", "feedback"),
        ("网站太乱了", "feedback"),
    ],
)
def test_another_request_at_a_question_is_asked_about_and_the_draft_kept(agency, text, skill):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, text)
    decision = reply.payload["decision"]
    assert decision.get("leaving") == skill, (reply.text, decision)
    assert values(reply)[:2] == ["report:leave", "report:stay"]
    assert "End the chat" not in reply.text  # feedback is asked about as itself, not as the menu's way out
    assert conversation.skill == "report_problem"
    assert_draft_kept_at_location(conversation, conversation.skill_state)


def test_no_continues_the_report_exactly_where_it_was(agency):
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "I want to register to vote")
    reply = say(agency, conversation, "No, continue the report", "report:stay")
    assert reply.payload["decision"]["form_field"] == "location" and "Where is it?" in reply.text
    assert "leaving" not in conversation.skill_state
    reply = say(agency, conversation, "12 Elm St")
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "12 Elm St"
    assert conversation.skill_state["form"]["answers"]["category"] == "pothole"
    assert reply.payload["decision"]["form_field"] == "description"


def test_yes_goes_there_and_the_report_is_offered_again_until_taken_up(agency):
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "I want to register to vote")
    reply = say(agency, conversation, "yes")  # typed
    assert reply.payload["decision"]["skill"] == "register_service", reply.text
    assert conversation.skill == "register_service"
    assert_draft_kept_at_location(conversation, conversation.parked_forms["report_problem"]["state"])
    reply = say(agency, conversation, "cancel")  # the registration is left: the assistant's menu
    assert values(reply)[0] == "report_problem:resume", values(reply)
    reply = say(agency, conversation, "When is trash pickup?")  # every reply offers it until taken up
    assert "report_problem:resume" in values(reply)
    reply = say(agency, conversation, "Continue the report", "report_problem:resume")
    assert reply.payload["decision"]["form_field"] == "location" and "Where is it?" in reply.text
    assert conversation.skill == "report_problem" and conversation.parked_forms == {}
    say(agency, conversation, "12 Elm St")
    assert conversation.skill_state["form"]["answers"]["category"] == "pothole"
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "12 Elm St"


def test_another_report_starts_a_new_one_and_keeps_the_first(agency):
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "there is a fallen tree blocking the bike path")
    reply = say(agency, conversation, "Yes", "report:leave")
    assert reply.payload["decision"]["skill"] == "report_problem"
    assert conversation.skill_state["form"]["answers"].get("category") != "pothole"
    assert_draft_kept_at_location(conversation, conversation.parked_forms["report_problem"]["state"])


def test_a_greeting_at_a_question_asks_it_again(agency):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, "hello")
    assert reply.payload["decision"].get("form_interrupted") == "greeting", reply.text
    assert "Where is it?" in reply.text
    assert "location" not in conversation.skill_state["form"]["answers"]


@pytest.mark.parametrize(
    "address",
    [
        "123 Main St",
        "near the Registration Office on Elm St",
        "Report Street 12",
        "outside the status building",
        "next to the agent's office on Main St",
        "Operator Street 5",
        "the pothole is right at the school gate",
        "Calle Mayor 12",
        "Hauptstraße 5",
        "人民路12号",
    ],
)
def test_an_address_with_words_of_a_request_is_the_answer(agency, address):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, address)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == address


@pytest.mark.parametrize(
    "description",
    [
        "Deep hole, someone could get hurt. I reported it last week and want a status update",
        "The website said to report it here; the hole is getting bigger",
        "Es gibt ein tiefes Loch, bitte schnell reparieren, ich möchte mich beschweren",
    ],
)
def test_a_description_is_the_answer_whatever_it_mentions(agency, description):
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    reply = say(agency, conversation, description)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert conversation.skill_state["form"]["answers"]["description"] == description


def test_a_request_for_a_person_at_a_description_is_asked_about(agency):
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    reply = say(agency, conversation, "I want to talk to a person")
    assert reply.payload["decision"].get("leaving") == "handoff", reply.text
    assert conversation.state == Conversation.State.BOT
    reply = say(agency, conversation, "Yes", "report:leave")
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.QUEUED
    assert conversation.parked_forms["report_problem"]["state"]["form"]["answers"]["location"]["address"] == "12 Elm St"


@pytest.mark.parametrize("name", ["Will Smith", "May Chen", "Grace Hopper"])
def test_a_name_is_the_answer(agency, name):
    with agency_context(agency):
        form = registrations.form_definition_create(agency=agency, actor=None, slug="card", definition=NAME_FIRST)
        registrations.form_definition_publish(agency=agency, actor=None, form=form)
    conversation = start(agency)
    say(agency, conversation, "I want to register for a service")
    reply = say(agency, conversation, "Library card", "register_service:card")
    assert reply.payload["decision"]["form_field"] == "full_name", reply.text
    reply = say(agency, conversation, name)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert reply.payload["decision"]["form_field"] == "city", reply.text


@pytest.mark.parametrize("greeting", ["hi", "hola", "hallo", "你好"])
def test_a_greeting_while_the_status_check_waits_for_a_reference_is_a_greeting(agency, greeting):
    conversation = start(agency)
    reply = say(agency, conversation, "check status")
    assert conversation.skill == "check_status", reply.text
    reply = say(agency, conversation, greeting)
    assert reply.payload["decision"]["skill"] == "greeting", reply.text
    assert conversation.skill == ""


def test_a_wrong_reference_is_still_refused(agency):
    conversation = start(agency)
    say(agency, conversation, "check status")
    reply = say(agency, conversation, "my number is lost")
    assert reply.payload["decision"]["skill"] == "check_status"
    assert "does not look like a reference number" in reply.text


def test_a_menu_button_pressed_in_the_middle_of_a_form_keeps_the_draft(agency):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, "Check a status", "check_status")
    assert reply.payload["decision"]["skill"] == "check_status"
    assert_draft_kept_at_location(conversation, conversation.parked_forms["report_problem"]["state"])


def test_a_draft_left_in_one_agency_never_surfaces_in_another(agency, agency_b):
    make_catalogue(agency_b)
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "can I talk to someone")
    assert "report_problem" in conversation.parked_forms
    # agency B's chat: its own conversation has nothing left to continue, and "continue" starts afresh
    other = start(agency_b)
    reply = say(agency_b, other, "Continue the report", "report_problem:resume")
    assert reply.payload["decision"]["form_field"] == "category", reply.text
    assert "category" not in other.skill_state["form"]["answers"]
    assert other.parked_forms == {}
    # A's conversation is not B's to answer
    with agency_context(agency_b):
        assert bot_turn(agency=agency_b, conversation_id=conversation.pk, citizen_seq=1) is None


@pytest.mark.parametrize("command", ["back", "zurück", "返回", "atrás"])
def test_the_forms_own_words_stay_commands(agency, command):
    """ "back" reads like "End the chat" to the intent layer: at a form's question it is the form's command."""
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, command)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert reply.payload["decision"]["form_field"] == "category", reply.text


@pytest.mark.parametrize("text", ["none", "no photo", "ok"])
def test_a_word_or_two_is_not_read_as_another_request(agency, text):
    """ "none" sits nearest to feedback in the encoder's space (by 0.29): one or two words say too little."""
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    reply = say(agency, conversation, "Deep hole in the right lane")
    assert reply.payload["decision"]["form_field"] == "photo", reply.text
    reply = say(agency, conversation, text)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert conversation.skill == "report_problem"


def test_another_category_at_an_address_is_a_new_report(agency):
    """ "There is a fallen tree on Elm St" names a street, and another of the agency's categories than the draft's."""
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, "there is a fallen tree on Elm St")
    assert reply.payload["decision"].get("leaving") == "report_problem", reply.text
    assert_draft_kept_at_location(conversation, conversation.skill_state)


@pytest.mark.parametrize("address", ["next to the fallen tree on Elm St", "the pothole by the fallen tree, 12 Elm St"])
def test_an_address_naming_another_category_is_still_the_answer(agency, address):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, address)
    assert "form_interrupted" not in reply.payload["decision"] and "leaving" not in reply.payload["decision"]
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == address


@pytest.mark.parametrize(
    "text",
    ["I want to report a pothole", "report a pothole", "quiero reportar un bache", "我要报告坑洼", "Schlagloch melden"],
)
def test_the_forms_own_request_said_again_at_the_address_is_not_the_address(agency, text):
    """Seen on `make run`: "How do I report a pothole?" starts the report, then "I want to report a pothole" was
    taken as the pothole's address."""
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"].get("form_interrupted") == "report", reply.text
    assert "leaving" not in reply.payload["decision"]
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert_draft_kept_at_location(conversation, conversation.skill_state)
    reply = say(agency, conversation, "12 Elm St")
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "12 Elm St"


@pytest.mark.parametrize("address", ["report it at 12 Elm St", "I want to report the pothole on Main St"])
def test_the_forms_own_request_with_a_place_is_the_address(agency, address):
    conversation = start(agency)
    at_location(agency, conversation)
    reply = say(agency, conversation, address)
    assert "form_interrupted" not in reply.payload["decision"], reply.text
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == address


def test_another_request_before_anything_is_entered_goes_there_at_once(agency):
    """Seen on `make run`: "je veux m'inscrire pour voter" at the report's first question asked whether to leave
    the report, saying what was entered is kept, when nothing was."""
    conversation = start(agency)
    reply = say(agency, conversation, "report a problem")
    assert reply.payload["decision"]["form_field"] == "category", reply.text
    reply = say(agency, conversation, "I want to register to vote")
    assert "leaving" not in reply.payload["decision"], reply.text
    assert reply.payload["decision"]["skill"] == "register_service", reply.text
    assert reply.payload["decision"].get("form_interrupted") == "register"
    assert not conversation.parked_forms.get("report_problem")


def test_a_request_for_a_person_the_learned_model_is_sure_of_at_a_description_is_asked_about(agency):
    """Seen on `make run`: Korean "사람이랑 통화하고 싶어요" (I want to talk to a person on the phone) at "Describe the
    problem" was stored as the description; no handoff keyword, the learned model 0.997."""
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    reply = say(agency, conversation, "사람이랑 통화하고 싶어요")
    assert reply.payload["decision"].get("leaving") == "handoff", reply.text
    assert "description" not in conversation.skill_state["form"]["answers"]
