"""The chat runner's Django half: one question at a time, re-asks with the reason, back, summary,
confirm, resume later in the same conversation."""

from registrations.conversation import RegistrationConversation
from registrations.models import Registration
from tenants.context import agency_context


def test_register_in_chat_with_reasks_back_resume_and_confirm(voter_form, agency_a, agency_b):
    with agency_context(agency_a):
        convo, reply = RegistrationConversation.start(
            agency=agency_a, form=voter_form, conversation_ref="conv-1", language="en"
        )
        assert "Are you a citizen of the United States?" in reply.text and reply.field_id == "us_citizen"
        assert convo.reply("yes").field_id == "date_of_birth"
        reply = convo.reply("02/30/1990")
        assert reply.text.startswith("Enter a real date") and reply.field_id == "date_of_birth"
        assert convo.reply("03/27/1990").field_id == "lives_in_city"
        assert convo.reply("back").field_id == "date_of_birth"
        convo.reply("03/27/1990")
        convo.reply("yes")
        convo.reply("Pat Doe")

    # later: a new consumer instance finds the draft by the conversation
    with agency_context(agency_a):
        again = RegistrationConversation.resume(agency=agency_a, conversation_ref="conv-1")
        assert again is not None and again.prompt().field_id == "id_type"
        for text in ("2", "123-45-6789", "1 Main St, Springfield, IL 62701", "no", "1", "skip"):
            reply = again.reply(text)
        assert reply.field_id == "email"
        assert again.reply("pat@example.com").field_id == "phone"
        summary = again.reply("skip")  # the phone number is optional
        assert summary.field_id == "" and "Please check your answers" in summary.text
        assert "123-45-6789" not in summary.text and "•••• 6789" in summary.text
        assert "Reply “confirm”" in again.reply("what?").text
        done = again.reply("confirm")
    assert done.done and done.reference.startswith("ALP-REG-")
    with agency_context(agency_a):
        registration = Registration.objects.get(reference=done.reference)
    assert registration.channel == "chat" and registration.sensitive_answers == {"ssn": "123-45-6789"}
    with agency_context(agency_b):
        assert RegistrationConversation.resume(agency=agency_b, conversation_ref="conv-1") is None


def test_chat_file_question_offers_the_web_link(voter_form, agency_a):
    with agency_context(agency_a):
        convo, _reply = RegistrationConversation.start(agency=agency_a, form=voter_form, conversation_ref="c2")
        for text in ("yes", "1990-03-27", "yes", "Pat", "3", "1 Main St, Springfield, IL 62701", "no"):
            reply = convo.reply(text)
        assert reply.field_id == "proof_document" and "/a/alpha/register/resume/" in reply.resume_url
        reply = convo.reply("here is my bill")
        assert reply.text.startswith("Files can only be uploaded on the web form")
