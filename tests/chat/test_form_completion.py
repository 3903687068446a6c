"""An agent completes the citizen's chat draft for them (`chat.completion`): the draft's questions prefilled, checked
as the citizen's form checks them, sent once by the form's own submission with the agent as the actor, the citizen's
draft closed and the reference posted to them in their language; only the agent who took the conversation, another
agency's conversation is a 404."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from chat.models import Conversation, Message
from chat.services import conversation_claim
from registrations import services as registrations
from registrations.models import Registration, Status
from requests_app.models import Follower, ServiceRequest, StatusEvent
from tenants.context import agency_context
from tests.chat.test_form_drafts import two_steps_then_a_person
from tests.chat.test_form_interrupts import agency, at_location, say, start  # noqa: F401 - fixture and helpers
from tests.requests_app.conftest import LAT, LONG
from tests.requests_app.test_routing import file

REPORT = {
    "category": "pothole",
    "location": "12 Elm St",
    "description": "A deep hole",
    "attribute:pothole:size": "large",
}


def url(conversation, form="report_problem", slug="alpha") -> str:
    return f"/a/{slug}/staff/inbox/{conversation.pk}/forms/{form}/complete/"


def taken(agency, agent):  # noqa: F811
    """A pothole report left at its description for a person, taken by `agent`."""
    conversation = start(agency)
    two_steps_then_a_person(agency, conversation)
    with agency_context(agency):
        conversation_claim(agency=agency, actor=agent, conversation_id=conversation.pk)
    conversation.refresh_from_db()
    assert "report_problem" in conversation.parked_forms
    return conversation


def version(page) -> str:
    return page.content.decode().split('name="version" value="')[1].split('"')[0]


def agent_lines(agency, conversation) -> list[Message]:  # noqa: F811
    with agency_context(agency):
        return list(Message.objects.for_agency(agency).filter(conversation=conversation, role="agent"))


def requests(agency):  # noqa: F811
    with agency_context(agency):
        return list(ServiceRequest.objects.for_agency(agency))


def test_the_agent_files_the_report_from_the_draft_once(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation = taken(agency, agent)
    client = client_for(agent)
    page = client.get(url(conversation))
    html = page.content.decode()
    assert page.status_code == 200 and 'value="12 Elm St"' in html  # what the citizen entered
    assert 'value="pothole" checked' in html and "Describe the problem" in html

    missing = client.post(url(conversation), {**REPORT, "description": "", "version": version(page)})
    assert missing.status_code == 400 and "This question needs an answer." in missing.content.decode()
    assert requests(agency) == []

    sent = client.post(url(conversation), {**REPORT, "version": version(page)})
    assert sent.status_code == 302
    (filed,) = requests(agency)
    assert filed.category.code == "pothole" and filed.address == "12 Elm St" and filed.attributes["size"] == "large"
    with agency_context(agency):
        assert StatusEvent.objects.for_agency(agency).get(request=filed).actor == agent
        assert Follower.objects.for_agency(agency).get(request=filed).chat_conversation == str(conversation.pk)
        told = Message.objects.for_agency(agency).filter(conversation=conversation, role="agent").get()
    assert filed.reference in told.text and told.author == agent
    conversation.refresh_from_db()
    assert "report_problem" not in conversation.parked_forms  # the citizen cannot send it again
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Conversation),
        additional_data__completed_for_citizen__isnull=False,
    )
    assert entry.actor == agent and entry.additional_data["completed_for_citizen"]["reference"] == filed.reference
    created = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ServiceRequest), object_pk=str(filed.pk), action=0
    )
    assert created.actor == agent  # the request's own entry names the agent too

    again = client.post(url(conversation), {**REPORT, "version": version(page)})  # pressed twice, a stale tab
    assert again.status_code == 200 and filed.reference in again.content.decode()
    assert "no longer open" in again.content.decode() and len(requests(agency)) == 1
    assert len(agent_lines(agency, conversation)) == 1


def test_the_reference_reaches_the_citizen_in_their_language(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation = taken(agency, agent)
    with agency_context(agency):
        Conversation.objects.for_agency(agency).filter(pk=conversation.pk).update(language="es")
    client = client_for(agent)
    page = client.get(url(conversation))
    assert client.post(url(conversation), {**REPORT, "version": version(page)}).status_code == 302
    (filed,) = requests(agency)
    (told,) = agent_lines(agency, conversation)
    assert told.text.startswith("He presentado su reporte") and filed.reference in told.text, told.text
    assert filed.language == "es"


def test_a_duplicate_nearby_is_offered_and_can_be_followed(agency, staff_a, client_for):  # noqa: F811
    existing = file(agency)
    agent = staff_a["agent"]
    conversation = taken(agency, agent)
    client = client_for(agent)
    page = client.get(url(conversation))
    posted = {**REPORT, "location": f"{LAT}, {LONG}", "version": version(page)}
    asked = client.post(url(conversation), posted)
    assert asked.status_code == 200 and existing.reference in asked.content.decode()
    assert len(requests(agency)) == 1  # nothing filed yet
    followed = client.post(url(conversation), {**posted, "choice": f"follow:{existing.reference}"})
    assert followed.status_code == 302 and len(requests(agency)) == 1
    with agency_context(agency):
        assert (
            Follower.objects.for_agency(agency).filter(chat_conversation=str(conversation.pk)).get().request == existing
        )
    (told,) = agent_lines(agency, conversation)
    assert existing.reference in told.text and "follow" in told.text


def test_only_the_agent_who_took_it_and_never_another_agency(agency, agency_b, staff_a, staff_b, client):  # noqa: F811
    conversation = taken(agency, staff_a["agent"])
    client.force_login(staff_a["supervisor"], backend="django.contrib.auth.backends.ModelBackend")
    refused = client.get(url(conversation))
    assert refused.status_code == 403 and "Claim the conversation" in refused.content.decode()
    assert client.post(url(conversation), {**REPORT, "version": "x"}).status_code == 403
    client.force_login(staff_a["caseworker"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url(conversation)).status_code == 404  # no inbox role
    client.force_login(staff_b["admin"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url(conversation, slug="beta")).status_code == 404  # another agency's conversation
    assert client.post(url(conversation, slug="beta"), REPORT).status_code == 404
    assert client.get(url(conversation)).status_code == 404  # no role in agency A
    assert requests(agency) == []


def registration_taken(agency, agent, typed: tuple[str, ...]):  # noqa: F811
    """A voter registration the citizen answered `typed` in, left for a person and taken by `agent`."""
    conversation = start(agency)
    say(agency, conversation, "Voter registration", "register_service:voter-registration")
    for text in typed:
        say(agency, conversation, text)
    say(agency, conversation, "I want to talk to a person")
    conversation.refresh_from_db()
    assert conversation.state == Conversation.State.QUEUED
    with agency_context(agency):
        conversation_claim(agency=agency, actor=agent, conversation_id=conversation.pk)
        return conversation, Registration.objects.for_agency(agency).get(conversation_ref=str(conversation.pk))


def test_a_registration_is_sent_from_its_draft_row_unless_the_citizen_sent_it(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation, draft = registration_taken(agency, agent, ("yes", "03/27/1990", "yes", "Pat Doe"))
    client = client_for(agent)
    form_url = url(conversation, "register_service")
    page = client.get(form_url)
    assert page.status_code == 200 and 'value="Pat Doe"' in page.content.decode()
    answers = {
        "us_citizen": "yes", "date_of_birth": "1990-03-27", "lives_in_city": "yes", "full_name": "Pat Doe",
        "id_type": "ssn", "ssn": "123-45-6789", "home_address__line1": "1 Main St", "home_address__city": "Springfield",
        "home_address__region": "IL", "home_address__postal_code": "62701", "registered_elsewhere": "no",
        "ballot_language": "en", "email": "pat@example.com", "version": version(page),
    }  # fmt: skip
    bad = client.post(form_url, {**answers, "ssn": "12"})
    assert bad.status_code == 400
    neither = client.post(form_url, {**answers, "id_type": "none", "ssn": ""})  # brings a file only the citizen sends
    assert neither.status_code == 400 and "Utility bill, bank statement or pay stub: " in neither.content.decode()
    with agency_context(agency):
        draft.refresh_from_db()
    assert draft.status == Status.DRAFT and agent_lines(agency, conversation) == []
    assert client.post(form_url, answers).status_code == 302
    with agency_context(agency):
        draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.reference
    assert (
        LogEntry.objects.filter(additional_data__completed_for_citizen__reference=draft.reference).get().actor == agent
    )
    (told,) = agent_lines(agency, conversation)
    assert draft.reference in told.text


def test_the_citizen_sending_it_meanwhile_creates_nothing_twice(agency, staff_a, client_for):  # noqa: F811
    agent = staff_a["agent"]
    conversation, draft = registration_taken(agency, agent, ())
    client = client_for(agent)
    form_url = url(conversation, "register_service")
    page = client.get(form_url)
    assert page.status_code == 200
    with agency_context(agency):  # the citizen finishes it on the web (their resume link) before the agent sends
        from registrations.engine import FlowState
        from registrations.flows import state_for

        answers = {
            "us_citizen": True, "date_of_birth": "1990-03-27", "lives_in_city": True, "full_name": "Pat Doe",
            "id_type": "ssn", "ssn": "123456789",
            "home_address": {"line1": "1 Main St", "line2": "", "city": "Springfield", "region": "IL",
                             "postal_code": "62701"},
            "registered_elsewhere": False, "ballot_language": "en", "email": "pat@example.com",
        }  # fmt: skip
        state = FlowState.from_dict(state_for(draft).position(), answers)
        draft = registrations.registration_save_progress(agency=agency, registration=draft, state=state)
        draft = registrations.registration_submit(agency=agency, registration=draft)
    answered = client.post(form_url, {"full_name": "Pat Doe", "version": version(page)})
    text = answered.content.decode()
    assert answered.status_code == 200 and "no longer open" in text and draft.reference in text
    with agency_context(agency):
        assert Registration.objects.for_agency(agency).filter(conversation_ref=str(conversation.pk)).count() == 1
    assert agent_lines(agency, conversation) == []


def test_personal_data_the_policy_hides_from_agents_is_kept_not_shown(agency, staff_a, client_for):  # noqa: F811
    agency.pii_policy = {"reveal": {"phone": ["supervisor"]}}  # agents do not see phone numbers
    agency.save(update_fields=["pii_policy"])
    agent = staff_a["agent"]
    conversation = start(agency)
    at_location(agency, conversation)
    say(agency, conversation, "12 Elm St, call me on 217-555-0188")
    say(agency, conversation, "I want to talk to a person")
    say(agency, conversation, "Yes", "report:leave")
    with agency_context(agency):
        conversation_claim(agency=agency, actor=agent, conversation_id=conversation.pk)
    client = client_for(agent)
    page = client.get(url(conversation))
    html = page.content.decode()
    assert page.status_code == 200 and "555-0188" not in html and "For your privacy it is not shown" in html
    entry = LogEntry.objects.filter(additional_data__access="complete_form").get()
    assert entry.actor == agent and entry.object_pk == str(conversation.pk)  # reading the draft is an access entry
    sent = client.post(url(conversation), {**REPORT, "location": "", "version": version(page)})
    assert sent.status_code == 302
    (filed,) = requests(agency)
    assert filed.address == "12 Elm St, call me on 217-555-0188"  # kept as the citizen typed it
