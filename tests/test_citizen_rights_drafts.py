"""The citizen's form drafts are their data: the export holds the form in progress and the forms kept for later in
each of their conversations (sensitive answers included: their own copy), not a draft past its week; erasure
removes them, the registration left half-way in their chat included, though it does not name them yet."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.engine.interrupts import PARKED_FOR
from chat.models import Conversation
from privacy.rights import citizen_erase, citizen_export
from registrations import services as registrations
from registrations.models import Registration
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401 - fixture
from tests.chat.test_form_drafts import ASKED
from tests.chat.test_form_interrupts import agency, at_location, say, start  # noqa: F401 - fixture and helpers

EMAIL = "pat.citizen@example.org"


@pytest.fixture
def chat(agency):  # noqa: F811
    """Pat's chat: their e-mail address, a pothole report kept for a status check, then a registration in progress
    (a name and a sensitive income, no contact yet)."""
    with agency_context(agency):
        form = registrations.form_definition_create(agency=agency, actor=None, slug="housing", definition=ASKED)
        registrations.form_definition_publish(agency=agency, actor=None, form=form)
    conversation = start(agency)
    say(agency, conversation, f"Hello, my e-mail is {EMAIL}")
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    reply = say(agency, conversation, "Check a status", "check_status")
    assert "report_problem" in conversation.parked_forms, reply.text
    say(agency, conversation, "Register for a service", "register_service")
    say(agency, conversation, "Housing help", "register_service:housing")
    say(agency, conversation, "Pat Citizen")
    reply = say(agency, conversation, "52000")
    assert reply.payload["decision"]["form_field"] == "city", reply.text
    return conversation


def _export(agency):  # noqa: F811
    with agency_context(agency):
        return citizen_export(agency=agency, email=EMAIL)


def test_the_export_holds_the_form_in_progress_and_the_kept_report(agency, chat):  # noqa: F811
    document = _export(agency)
    assert document["format"] == "civicdesk-citizen-export/1"  # keys added, none changed: the same version
    (conversation,) = document["conversations"]
    in_progress, kept = conversation["drafts"]
    assert in_progress["form"] == "register_service" and in_progress["state"] == "in_progress"
    assert in_progress["title"] == "Housing help" and in_progress["expires_at"] is None
    assert [(a["question"], a["answer"]) for a in in_progress["answers"]] == [
        ("Full name", "Pat Citizen"),
        ("Yearly income", "52000"),  # sensitive, yet theirs
    ]
    assert in_progress["next_question"] == "City"
    assert kept["form"] == "report_problem" and kept["state"] == "kept"
    assert [(a["id"], a["answer"]) for a in kept["answers"]] == [("category", "Pothole"), ("location", "12 Elm St")]
    assert kept["expires_at"] > kept["saved_at"] and kept["next_question"] == "Describe the problem in a few words."
    # The draft application is among their registrations as well.
    assert [(r["status"], r["answers"]["income"]) for r in document["registrations"]] == [("draft", "52000")]


def test_a_draft_past_its_week_is_not_exported(agency, chat):  # noqa: F811
    parked = chat.parked_forms
    parked["report_problem"]["at"] = (timezone.now() - PARKED_FOR - timedelta(seconds=1)).isoformat()
    Conversation.objects.unscoped().filter(pk=chat.pk).update(parked_forms=parked)
    (conversation,) = _export(agency)["conversations"]
    assert [draft["form"] for draft in conversation["drafts"]] == ["register_service"]


def test_erasure_removes_the_drafts(agency, chat, django_capture_on_commit_callbacks):  # noqa: F811
    registration = Registration.objects.unscoped().get(conversation_ref=str(chat.pk))
    assert registration.applicant_email == ""  # it does not name them: found through their conversation
    with agency_context(agency), django_capture_on_commit_callbacks(execute=True):
        counts = citizen_erase(agency=agency, email=EMAIL)
    assert counts["conversations"] == 1 and counts["registrations"] == 1
    assert not Conversation.objects.unscoped().filter(pk=chat.pk).exists()  # its parked_forms and skill_state too
    assert not Registration.objects.unscoped().filter(pk=registration.pk).exists()
    assert _export(agency)["conversations"] == []
