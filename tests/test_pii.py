"""Personal data in citizens' text: detection (e-mail, phone, SSN-like, Luhn cards, mod-97 IBANs) and
masking by role in the transcripts admin and its exports, the inbox socket, the request page, the
registrations export, and before text goes to an external LLM; configurable per agency."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.pii import mask_for_llm, pii_find, pii_mask, validate_pii_policy
from tenants.context import agency_context

SECRET = "Mail jane.doe@example.org or call (217) 555-0142. SSN 123-45-6789, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00."


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("write to j.smith+permits@city.gov.example", ["email"]),
        ("call 217-555-0142 please", ["phone"]),
        ("+44 20 7946 0958", ["phone"]),
        ("Tel. 030 12345678", ["phone"]),
        ("my ssn is 123456789", ["ssn"]),
        ("SSN: 123 45 6789", ["ssn"]),
        ("pay with 5500-0000-0000-0004", ["card"]),
        ("Amex 3782 822463 10005", ["card"]),
        ("GB82 WEST 1234 5698 7654 32", ["iban"]),
        ("FR1420041010050500013M02606", ["iban"]),
    ],
)
def test_each_kind_is_found(text, kinds):
    assert [span.kind for span in pii_find(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Reference SPR-2026-000123 filed on 2026-12-04",
        "Open 8:00-17:00, 123 Main St, Springfield IL 62704",
        "The fine is $1,250,000 for 2019-2021",
        "card 4111 1111 1111 1112 is not Luhn-valid",
        "IBAN DE00 3704 0044 0532 0130 00 has a wrong check",
        "ticket 1234567 for parcel 12/03/2026",
        "000-12-3456 is not an SSN",
    ],
)
def test_look_alikes_are_left_alone(text):
    assert pii_find(text) == []


def test_masking_keeps_the_rest_of_the_text():
    assert pii_mask(SECRET) == "Mail [email] or call [phone]. SSN [SSN], card [card], IBAN [IBAN]."
    assert pii_mask(SECRET, kinds=["card"]).count("[card]") == 1 and "jane.doe@example.org" in pii_mask(
        SECRET, kinds=["card"]
    )


def test_policies_are_validated():
    validate_pii_policy({"reveal": {"phone": ["agent"]}, "llm_allowed": ["email"]})
    for bad in ({"reveal": {"dna": []}}, {"reveal": {"phone": ["janitor"]}}, {"llm_allowed": "all"}, {"other": 1}):
        with pytest.raises(ValidationError):
            validate_pii_policy(bad)


def _conversation(agency, text):
    from chat import services

    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget")
        services.message_receive(agency=agency, conversation_id=conversation.pk, text=text)
        return conversation


def test_transcripts_admin_and_exports_mask_by_role_and_policy(agency_a, staff_a, client_for):
    conversation = _conversation(agency_a, SECRET)
    url = reverse("admin:chat_conversation_change", args=[conversation.pk])
    page = client_for(staff_a["supervisor"]).get(url).text
    assert "jane.doe@example.org" in page and "(217) 555-0142" in page  # contacts: supervisors need them
    assert "4111 1111 1111 1111" not in page and "123-45-6789" not in page and "[card]" in page and "[SSN]" in page

    agency_a.pii_policy = {"reveal": {"email": ["admin"], "card": ["supervisor"]}}
    agency_a.save()
    page = client_for(staff_a["supervisor"]).get(url).text
    assert "jane.doe@example.org" not in page and "[email]" in page and "4111 1111 1111 1111" in page

    export = client_for(staff_a["supervisor"]).post(
        reverse("admin:chat_conversation_changelist"),
        {"action": "export_json", "_selected_action": [str(conversation.pk)]},
    )
    body = export.content.decode()
    assert "[email]" in body and "jane.doe@example.org" not in body and "123-45-6789" not in body
    from chat.models import Message

    stored = Message.objects.unscoped().get(conversation_id=conversation.pk, seq=1)
    assert stored.text == SECRET  # masking is for viewers; the record is unchanged


def test_the_request_page_masks_for_the_role(agency_a, staff_a, client_for):
    from requests_app.models import ServiceRequest
    from requests_app.services import Reporter
    from tests.requests_app.conftest import make_catalogue
    from tests.requests_app.test_services import file

    make_catalogue(agency_a)
    request = file(agency_a, description=SECRET, reporter=Reporter(phone="+1 217 555 0199")).request
    url = reverse("requests:staff-detail", kwargs={"agency_slug": agency_a.slug, "reference": request.reference})
    admin_page = client_for(staff_a["admin"]).get(url).text
    assert "+1 217 555 0199" in admin_page and "(217) 555-0142" in admin_page and "[card]" in admin_page
    agency_a.pii_policy = {"reveal": {"phone": ["admin"]}}
    agency_a.save()
    supervisor_page = client_for(staff_a["supervisor"]).get(url)
    assert supervisor_page.status_code == 200
    assert "+1 217 555 0199" not in supervisor_page.text and "(217) 555-0142" not in supervisor_page.text
    assert "[phone]" in supervisor_page.text and "jane.doe@example.org" in supervisor_page.text
    assert ServiceRequest.objects.unscoped().get(pk=request.pk).description == SECRET


def test_text_sent_to_the_llm_is_masked(agency_a):
    """What the answering prompt carries of the question (the only citizen text sent to an LLM there)."""
    from knowledge.answering import llm_messages

    messages = llm_messages(
        agency=agency_a, question="Potholes? Reach me at 217-555-0142 or a@b.example", passages=[], language="en"
    )
    sent = messages[1]["content"]
    assert "217-555-0142" not in sent and "a@b.example" not in sent and "[phone]" in sent and "[email]" in sent
    agency_a.pii_policy = {"llm_allowed": ["email"]}
    assert mask_for_llm(agency_a, "a@b.example 217-555-0142") == "a@b.example [phone]"


def test_intent_detection_by_llm_gets_masked_text(agency_a, llm_server, settings):
    from chat import services
    from chat.engine.engine import bot_turn

    llm_server.configure(settings)
    llm_server.queue_tool_call("handoff", {})
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        received = services.message_receive(
            agency=agency_a, conversation_id=conversation.pk, text="my card 4111 1111 1111 1111 was charged twice"
        )
        bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    calls = llm_server.calls("/v1/chat/completions")
    assert calls, "the LLM was not asked"
    sent = " ".join(str(m["content"]) for call in calls for m in call["messages"])
    assert "4111 1111 1111 1111" not in sent and "[card]" in sent


@pytest.mark.django_db(transaction=True)
async def test_the_inbox_socket_masks_for_the_agents_role(agency_a, staff_a):
    from channels.db import database_sync_to_async

    from tests.chat.conftest import frames_until, staff_socket

    conversation = await database_sync_to_async(_conversation)(agency_a, SECRET)
    socket, connected, _code = await staff_socket("alpha", staff_a["supervisor"])
    assert connected
    await socket.send_json_to({"type": "open", "conversation_id": str(conversation.pk)})
    frames = await frames_until(socket, lambda frame: frame.get("type") == "transcript")
    text = frames[-1]["messages"][0]["text"]
    assert "(217) 555-0142" in text and "[card]" in text and "[SSN]" in text and "4111" not in text
    await socket.disconnect()
