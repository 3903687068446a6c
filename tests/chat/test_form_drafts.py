"""The citizen's form drafts as staff see them (`chat.drafts`): the form kept when they asked for a person, with
the steps answered and their values, when it was kept and when it goes; sensitive answers masked for every role,
in the staff member's language; a draft past its week is neither shown nor kept; another agency sees nothing."""

from datetime import timedelta

from django.utils import timezone

from chat.drafts import conversation_drafts, draft_frame
from chat.engine.interrupts import PARKED_FOR
from chat.models import Conversation
from registrations import services as registrations
from tests.chat.test_form_interrupts import agency, at_location, say, start  # noqa: F401 - fixture and helpers
from tests.requests_app.conftest import make_catalogue

ASKED = {
    "schema_version": 1,
    "title": {"en": "Housing help", "es": "Ayuda de vivienda"},
    "contact": {"name": "full_name"},
    "steps": [
        {
            "id": "about",
            "title": {"en": "About you"},
            "fields": [
                {"id": "full_name", "type": "text", "label": {"en": "Full name", "es": "Nombre completo"}},
                {"id": "income", "type": "number", "label": {"en": "Yearly income"}, "sensitive": True},
                {"id": "city", "type": "text", "label": {"en": "City"}},
            ],
        }
    ],
}


def two_steps_then_a_person(agency, conversation):  # noqa: F811
    """A pothole report with its category and address, left for a person at "Describe the problem"."""
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    reply = say(agency, conversation, "I want to talk to a person")
    assert reply.payload["decision"].get("leaving") == "handoff", reply.text
    say(agency, conversation, "Yes", "report:leave")
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.QUEUED


def test_staff_see_the_report_kept_when_the_citizen_asked_for_a_person(agency):  # noqa: F811
    conversation = start(agency)
    before = timezone.now()
    two_steps_then_a_person(agency, conversation)
    assert conversation.skill_state == {}  # the form is no longer in progress: it is kept

    (draft,) = conversation_drafts(agency=agency, conversation=conversation, lang="en")
    assert draft.skill == "report_problem" and not draft.in_progress
    assert [(a.field_id, a.question, a.text) for a in draft.answers] == [
        ("category", "What kind of problem is it?", "Pothole"),
        ("location", "Where is it?", "12 Elm St"),
    ]
    assert draft.next_question == "Describe the problem in a few words."
    assert before <= draft.saved_at <= timezone.now()
    assert draft.expires_at == draft.saved_at + PARKED_FOR
    frame = draft_frame(draft)
    assert frame["answers"][1]["text"] == "12 Elm St"
    assert frame["lines"][0].startswith("Kept for later on ")
    assert frame["lines"][1] == "Stopped at: Describe the problem in a few words."

    # In the staff member's language, not the citizen's.
    (spanish,) = conversation_drafts(agency=agency, conversation=conversation, lang="es")
    assert spanish.answers[1].question != "Where is it?" and spanish.answers[1].text == "12 Elm St"


def test_the_lines_above_a_draft_are_in_the_staff_members_language(agency):  # noqa: F811
    """The inbox socket builds its frames outside the staff member's language: "Stopped at:" stood in English above
    the German question on a German inbox (session-24 walk)."""
    conversation = start(agency)
    two_steps_then_a_person(agency, conversation)
    (german,) = conversation_drafts(agency=agency, conversation=conversation, lang="de")
    lines = draft_frame(german)["lines"]
    assert lines[0].startswith("Am ") and "für später aufbewahrt" in lines[0], lines
    assert lines[1] == f"Angehalten bei: {german.next_question}", lines
    assert german.next_question == "Beschreiben Sie das Problem mit wenigen Worten."


def test_the_form_in_progress_is_shown_as_in_progress(agency):  # noqa: F811
    conversation = start(agency)
    at_location(agency, conversation)
    (draft,) = conversation_drafts(agency=agency, conversation=conversation, lang="en")
    assert draft.in_progress and draft.expires_at is None
    assert [a.text for a in draft.answers] == ["Pothole"] and draft.next_question == "Where is it?"
    assert draft.lines[0].startswith("In progress, last answered ")


def test_a_draft_past_its_week_is_not_shown_and_the_next_reply_drops_it(agency):  # noqa: F811
    conversation = start(agency)
    two_steps_then_a_person(agency, conversation)
    entry = conversation.parked_forms["report_problem"]
    entry["at"] = (timezone.now() - PARKED_FOR - timedelta(minutes=1)).isoformat()
    Conversation.objects.unscoped().filter(pk=conversation.pk).update(
        parked_forms={"report_problem": entry}, state=Conversation.State.BOT
    )
    conversation.refresh_from_db()
    assert conversation_drafts(agency=agency, conversation=conversation, lang="en") == []

    say(agency, conversation, "hello")
    assert conversation.parked_forms == {}  # not kept any longer: gone from the row, not only hidden


def test_another_agency_sees_no_draft(agency, agency_b):  # noqa: F811
    make_catalogue(agency_b)
    conversation = start(agency)
    two_steps_then_a_person(agency, conversation)
    assert conversation_drafts(agency=agency_b, conversation=conversation, lang="en") == []


def test_sensitive_answers_of_a_registration_draft_are_masked_for_staff(agency):  # noqa: F811
    from tenants.context import agency_context

    with agency_context(agency):
        form = registrations.form_definition_create(agency=agency, actor=None, slug="housing", definition=ASKED)
        registrations.form_definition_publish(agency=agency, actor=None, form=form)
    conversation = start(agency)
    say(agency, conversation, "I want to register for a service")
    say(agency, conversation, "Housing help", "register_service:housing")
    say(agency, conversation, "Pat Citizen")
    reply = say(agency, conversation, "52000")
    assert reply.payload["decision"]["form_field"] == "city", reply.text
    reply = say(agency, conversation, "can I talk to someone")
    assert reply.payload["decision"].get("leaving") == "handoff", reply.text  # a city may be any words: asked
    say(agency, conversation, "Yes", "reg:leave")
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.QUEUED

    (draft,) = conversation_drafts(agency=agency, conversation=conversation, lang="en")
    assert draft.title == "Housing help" and not draft.in_progress
    assert [(a.question, a.text, a.sensitive) for a in draft.answers] == [
        ("Full name", "Pat Citizen", False),
        ("Yearly income", "••••••", True),
    ]
    assert draft.next_question == "City"
    (own,) = conversation_drafts(agency=agency, conversation=conversation, lang="en", reveal_sensitive=True)
    assert own.answers[1].text == "52000"


def test_the_transcript_page_shows_the_drafts_to_its_agency_only(agency, agency_b, staff_a, staff_b, client_for):  # noqa: F811
    from django.urls import reverse

    conversation = start(agency)
    two_steps_then_a_person(agency, conversation)
    url = reverse("admin:chat_conversation_change", args=[conversation.pk])
    page = client_for(staff_a["supervisor"]).get(url)
    assert page.status_code == 200
    html = page.text
    assert "Forms the citizen started" in html and "Kept for later on " in html
    assert "<dt>Where is it?</dt><dd>12 Elm St</dd>" in html
    assert client_for(staff_b["supervisor"]).get(url).status_code == 404


def test_a_form_in_progress_is_kept_when_a_person_takes_the_conversation(agency, staff_a):  # noqa: F811
    """Seen on `make run`: a supervisor claiming a conversation while the citizen was filling in a report cleared
    the report; the citizen lost it and the agent never saw it."""
    from chat import services
    from tenants.context import agency_context

    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St")
    with agency_context(agency):
        services.conversation_claim(agency=agency, actor=staff_a["supervisor"], conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.AGENT and not conversation.skill_state
    kept = conversation.parked_forms["report_problem"]["state"]["form"]["answers"]
    assert kept["location"]["address"] == "12 Elm St"
    (draft,) = conversation_drafts(agency=agency, conversation=conversation, lang="en")
    assert not draft.in_progress and "12 Elm St" in [answer.text for answer in draft.answers]


def test_claiming_a_conversation_with_no_form_keeps_nothing(agency, staff_a):  # noqa: F811
    from chat import services
    from tenants.context import agency_context

    conversation = start(agency)
    say(agency, conversation, "report a problem")  # the category question: nothing entered yet
    with agency_context(agency):
        services.conversation_claim(agency=agency, actor=staff_a["supervisor"], conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert conversation.parked_forms == {}


def test_a_date_answer_reads_in_the_staff_members_language_and_exports_as_iso(agency, staff_a):  # noqa: F811
    from chat.drafts import draft_export
    from tests.chat.test_form_completion import registration_taken

    conversation, _draft = registration_taken(agency, staff_a["agent"], ("yes", "03/27/1990"))
    (french,) = conversation_drafts(agency=agency, conversation=conversation, lang="fr")
    born = next(answer for answer in french.answers if answer.field_id == "date_of_birth")
    assert born.text == "27 mars 1990" and draft_frame(french)["answers"][1]["text"] == "27 mars 1990"
    exported = draft_export(french)["answers"]
    assert next(a["answer"] for a in exported if a["id"] == "date_of_birth") == "1990-03-27"
