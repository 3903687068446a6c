"""Registering in the chat, on the form engine's chat runner: one question at a time, re-asks with the
reason, back, skip, summary, confirm, resume later in the same conversation (turns through the engine)."""

import pytest

from chat import services as chat_services
from chat.engine.engine import bot_turn
from registrations.models import Registration
from tenants.context import agency_context


def say(agency, conversation, text, action=""):
    received = chat_services.message_receive(agency=agency, conversation_id=conversation.pk, text=text, action=action)
    reply = bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    conversation.refresh_from_db()
    return reply


def field(conversation) -> str:
    return conversation.skill_state.get("field", "")


def start(agency, form, language="en"):
    conversation, _token = chat_services.conversation_start(agency=agency, channel="widget", language=language)
    reply = say(agency, conversation, form.title, action=f"register_service:{form.slug}")
    return conversation, reply


@pytest.fixture
def in_a(agency_a):
    with agency_context(agency_a):
        yield


def test_register_in_chat_with_reasks_back_resume_and_confirm(voter_form, agency_a, agency_b, in_a):
    conversation, reply = start(agency_a, voter_form)
    assert "Are you a citizen of the United States?" in reply.text and field(conversation) == "us_citizen"
    say(agency_a, conversation, "yes")
    assert field(conversation) == "date_of_birth"
    reply = say(agency_a, conversation, "02/30/1990")
    assert reply.text.startswith("Enter a real date") and field(conversation) == "date_of_birth"
    say(agency_a, conversation, "03/27/1990")
    assert field(conversation) == "lives_in_city"
    say(agency_a, conversation, "back")
    assert field(conversation) == "date_of_birth"
    say(agency_a, conversation, "03/27/1990")
    say(agency_a, conversation, "yes")
    say(agency_a, conversation, "Pat Doe")

    # later (another process, a reconnect): the draft is found by the conversation
    say(agency_a, conversation, "cancel")  # the flow ends; the draft stays
    reply = say(agency_a, conversation, "register for a service", action="register_service")
    assert reply.text.startswith("Welcome back") and field(conversation) == "id_type"
    for text in ("2", "123-45-6789", "1 Main St, Springfield, IL 62701", "no", "1", "skip"):
        reply = say(agency_a, conversation, text)
    assert field(conversation) == "email"
    say(agency_a, conversation, "pat@example.com")
    assert field(conversation) == "phone"
    summary = say(agency_a, conversation, "skip")  # the phone number is optional
    assert field(conversation) == "" and "Please check your answers" in summary.text
    assert "123-45-6789" not in summary.text and "•••• 6789" in summary.text
    assert "Reply “confirm”" in say(agency_a, conversation, "what?").text
    done = say(agency_a, conversation, "confirm")
    reference = done.payload["decision"]["reference"]
    assert reference.startswith("ALP-REG-") and conversation.skill == ""
    registration = Registration.objects.get(reference=reference)
    assert registration.channel == "chat" and registration.sensitive_answers == {"ssn": "123-45-6789"}
    with agency_context(agency_b):
        assert not Registration.objects.for_agency(agency_b).exists()


def test_chat_file_question_offers_the_web_link(voter_form, agency_a, in_a):
    conversation, _reply = start(agency_a, voter_form)
    for text in ("yes", "1990-03-27", "yes", "Pat", "3", "1 Main St, Springfield, IL 62701", "no"):
        reply = say(agency_a, conversation, text)
    assert field(conversation) == "proof_document" and "/a/alpha/register/resume/" in reply.text
    reply = say(agency_a, conversation, "here is my bill")
    assert reply.text.startswith("Files can only be uploaded on the web form")
