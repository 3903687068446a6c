"""Issue 19, session 14: a message in two languages is answered in the one it is mostly in. Inside a Spanish
report form, "when is trash pickup, por favor?" was ranked Portuguese first (0.66), Spanish 0.14 and English
0.11: sure of no language the agency speaks, the chat kept the conversation's Spanish and looked for a Spanish
answer to English words ("no sé"). It is an English question: answered in English, the draft kept."""

import pytest

from chat import services
from chat.engine.engine import bot_turn
from core.language import detect
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge, publish_document  # noqa: F401
from tests.requests_app.conftest import make_catalogue

LANGUAGES = ["en", "es", "zh-hans", "de", "fr", "vi", "ko", "ar"]


@pytest.fixture
def agency(agency_a, lexical_knowledge):  # noqa: F811
    agency_a.languages = LANGUAGES
    agency_a.save(update_fields=["languages"])
    make_catalogue(agency_a)
    publish_document(
        agency_a,
        title="Trash pickup",
        content="# When is trash pickup?\n\nTrash pickup is every Monday morning. Put the cart at the curb by 6 a.m.",
    )
    publish_document(
        agency_a,
        title="Recogida de basura",
        content="# ¿Cuándo se recoge la basura?\n\nLa basura se recoge los lunes por la mañana.",
        language="es",
    )
    return agency_a


@pytest.fixture
def conversation(agency):
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget", language="es")
        yield conversation


def say(agency, conversation, text, action=""):
    received = services.message_receive(
        agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=action
    )
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("when is trash pickup, por favor?", "en"),
        ("por favor when is the pool open", "en"),
        ("hay un pothole en mi calle otra vez", "es"),
        ("Wann ist der trash pickup bitte", "de"),
    ],
)
def test_a_mixed_message_is_in_the_language_most_of_it_is_in(text, language):
    for hint in ("en", "es", "de"):
        assert detect(text, allowed=LANGUAGES, fallback=hint, hint=hint).language == language, hint


def test_a_code_switched_question_inside_a_spanish_form_is_answered_in_english(agency, conversation):
    say(agency, conversation, "Quiero reportar un problema")
    reply = say(agency, conversation, "Pothole", "report:val:pothole")
    assert reply.payload["decision"]["form_field"] == "location" and "¿Dónde está?" in reply.text, reply.text
    assert conversation.skill_state["form"]["answers"]["category"] == "pothole"
    reply = say(agency, conversation, "when is trash pickup, por favor?")
    decision = reply.payload["decision"]
    assert decision.get("form_interrupted") == "question", reply.text
    assert decision["language"] == "en", reply.text
    assert decision["grounded"] and "every Monday" in reply.text, reply.text
    assert "Where is it?" in reply.text  # the form's question, asked again
    # the draft is kept: the next message answers "where is it?"
    assert conversation.skill == "report_problem"
    assert conversation.skill_state["form"]["answers"]["category"] == "pothole"
    assert "location" not in conversation.skill_state["form"]["answers"]
    reply = say(agency, conversation, "Calle Mayor 12")
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "Calle Mayor 12"
