"""Sending on WhatsApp and Messenger: the 24-hour window (templates, message tags, held for staff), the
rating question after a late close, read watermarks, retries and permanent errors, held messages in
the staff admin, and the provider's labels in the conversation's language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import Conversation
from messaging.fakes.meta_payloads import messenger_message
from messaging.models import ChannelIdentity, OutboundMessage
from tenants.context import agency_context
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.conftest import APP_SECRET_A, PAGE_A
from tests.messaging.meta.helpers import post, say

pytestmark = pytest.mark.django_db


# --- the 24-hour window ------------------------------------------------------------------------------------------
def _age(agency, hours: float):
    ChannelIdentity.objects.for_agency(agency).update(last_inbound_at=timezone.now() - timedelta(hours=hours))


def _news(agency, text="Your report SPR-1 was closed."):
    from chat.services import system_message_post

    conversation = Conversation.objects.for_agency(agency).get()
    with agency_context(agency):
        system_message_post(agency=agency, conversation_id=conversation.pk, text=text, news=True)


def test_status_news_within_24_hours_is_free_form(client, agency_a, whatsapp_a, meta):
    say(client, "Hi")
    run_events(agency_a)
    _news(agency_a)
    deliver(agency_a, whatsapp_a)
    assert meta.sent("whatsapp")[-1]["body"]["type"] == "text"


def test_status_news_outside_24_hours_uses_the_agency_template(client, agency_a, whatsapp_a, meta):
    whatsapp_a.config["templates"] = "status_news=civic_status_update:es"
    with agency_context(agency_a):
        whatsapp_a.save(update_fields=["config"])
    say(client, "Hi")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    _age(agency_a, 25)
    _news(agency_a, "Report SPR-1\nClosed: fixed")
    deliver(agency_a, whatsapp_a)
    body = meta.sent("whatsapp")[-1]["body"]
    assert body["type"] == "template" and body["template"]["name"] == "civic_status_update"
    assert body["template"]["language"]["code"] == "es"
    assert "Closed: fixed" in body["template"]["components"][0]["parameters"][0]["text"]


def test_outside_24_hours_without_template_is_held_then_sent_when_the_person_writes(client, agency_a, whatsapp_a, meta):
    say(client, "Hi")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    before = len(meta.sent("whatsapp"))
    _age(agency_a, 30)
    _news(agency_a)
    deliver(agency_a, whatsapp_a)
    assert len(meta.sent("whatsapp")) == before  # nothing free-form outside the window
    held = OutboundMessage.objects.for_agency(agency_a).get(state="held")
    assert "24-hour" in held.error
    say(client, "any news?")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    held.refresh_from_db()
    assert held.state == "sent"


def test_messenger_outside_the_window_uses_the_message_tag(client, agency_a, messenger_a, meta):
    messenger_a.config["message_tags"] = "status_news=ACCOUNT_UPDATE"
    with agency_context(agency_a):
        messenger_a.save(update_fields=["config"])
    payload = messenger_message(PAGE_A, "7001", {"text": "Hi"})
    post(client, "alpha", "messenger", payload, APP_SECRET_A)
    run_events(agency_a)
    deliver(agency_a, messenger_a)
    first = meta.sent("messenger")[-1]["body"]
    assert first["messaging_type"] == "RESPONSE" and first["message"].get("quick_replies")
    _age(agency_a, 25)
    _news(agency_a)
    deliver(agency_a, messenger_a)
    body = meta.sent("messenger")[-1]["body"]
    assert body["messaging_type"] == "MESSAGE_TAG" and body["tag"] == "ACCOUNT_UPDATE"


def test_rating_question_after_a_late_close_uses_the_feedback_template(client, agency_a, staff_a, whatsapp_a, meta):
    from chat.engine.engine import bot_event
    from chat.services import conversation_claim, conversation_close

    whatsapp_a.config["templates"] = "feedback_request=civic_feedback:en,status_news=civic_status:en"
    with agency_context(agency_a):
        whatsapp_a.save(update_fields=["config"])
    say(client, "Hi")
    run_events(agency_a)
    say(
        client, kind="interactive", content={"type": "button_reply", "button_reply": {"id": "handoff", "title": "Talk"}}
    )
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    conversation = Conversation.objects.for_agency(agency_a).get()
    _age(agency_a, 26)
    with agency_context(agency_a):
        conversation_claim(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk)
        conversation_close(agency=agency_a, actor=staff_a["agent"], conversation_id=conversation.pk)
        bot_event(agency=agency_a, conversation_id=conversation.pk, event="closed")
    deliver(agency_a, whatsapp_a)
    rows = OutboundMessage.objects.for_agency(agency_a)
    feedback = rows.filter(purpose="feedback").get()
    assert feedback.state == "sent" and feedback.payload["template"]["name"] == "civic_feedback"
    # The agent's system lines ("… joined", "… closed") are replies: held, not sent free-form late.
    assert rows.filter(purpose="reply", state="held").count() == 2


def _messenger_hi(client, agency, connection):
    post(client, "alpha", "messenger", messenger_message(PAGE_A, "7001", {"text": "Hi"}), APP_SECRET_A)
    run_events(agency)


def test_messenger_reads_by_watermark_and_window_refusal_is_held(client, agency_a, messenger_a, meta):
    from messaging.fakes.meta_payloads import messenger_payload

    _messenger_hi(client, agency_a, messenger_a)
    deliver(agency_a, messenger_a)
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert row.state == "sent" and row.provider_message_id.startswith("m_")
    later = int((timezone.now() + timedelta(seconds=5)).timestamp() * 1000)
    read = {"sender": {"id": "7001"}, "recipient": {"id": PAGE_A}, "timestamp": later, "read": {"watermark": later}}
    post(client, "alpha", "messenger", messenger_payload(PAGE_A, read), APP_SECRET_A)
    run_events(agency_a)
    row.refresh_from_db()
    assert row.state == "read"
    # Meta refuses a free-form message outside the window although ours thought it open (clocks, a
    # row that waited): the row is held, not failed.
    meta.account("messenger", PAGE_A).last_inbound["7001"] = 0
    _news(agency_a)
    deliver(agency_a, messenger_a)
    assert OutboundMessage.objects.for_agency(agency_a).filter(state="held", purpose="news").count() == 1


def test_transient_errors_are_retried_and_permanent_ones_shown(client, agency_a, whatsapp_a, meta):
    from messaging.fakes.meta_payloads import graph_failure

    meta.fail_next(*graph_failure(429, 130429, "Rate limit hit"), times=2)
    say(client, "Hi")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    row = OutboundMessage.objects.for_agency(agency_a).order_by("pk").first()
    assert row.state == "pending" and row.attempts == 1 and "Rate limit" in row.error
    OutboundMessage.objects.for_agency(agency_a).update(next_attempt_at=timezone.now())
    deliver(agency_a, whatsapp_a)
    OutboundMessage.objects.for_agency(agency_a).update(next_attempt_at=timezone.now())
    deliver(agency_a, whatsapp_a)
    row.refresh_from_db()
    assert row.state == "sent"
    meta.fail_next(*graph_failure(400, 131026, "Message undeliverable"))
    _news(agency_a)
    deliver(agency_a, whatsapp_a)
    failed = OutboundMessage.objects.for_agency(agency_a).get(purpose="news")
    assert failed.state == "failed" and "undeliverable" in failed.error
    whatsapp_a.refresh_from_db()
    assert whatsapp_a.last_errors[0]["code"] == "131026"


def test_staff_see_held_messages_in_their_admin_and_admins_discard_them(
    client, client_for, agency_a, agency_b, staff_a, staff_b, whatsapp_a, meta
):
    from django.urls import reverse

    say(client, "Hi")
    run_events(agency_a)
    _age(agency_a, 30)
    _news(agency_a, "Report SPR-7 was closed.")
    held = OutboundMessage.objects.for_agency(agency_a).get(state="held")
    url = reverse("admin:messaging_outboundmessage_changelist")
    page = client_for(staff_a["supervisor"]).get(url, {"state__exact": "held"})
    assert page.status_code == 200 and "Held: outside the 24-hour window" in page.text
    assert "16505551234" in page.text
    other = client_for(staff_b["admin"]).get(url)
    assert other.status_code in (200, 403) and "16505551234" not in other.text
    assert client_for(staff_b["admin"]).get(
        reverse("admin:messaging_outboundmessage_change", args=[held.pk])
    ).status_code in (302, 404)
    # B's admin cannot discard A's row, even by posting its id.
    client_for(staff_b["admin"]).post(url, {"action": "discard_held", "_selected_action": [held.pk]})
    held.refresh_from_db()
    assert held.state == "held"
    response = client_for(staff_a["admin"]).post(url, {"action": "discard_held", "_selected_action": [held.pk]})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == "failed" and "Discarded by" in held.error
    say(client, "hello?")  # writing again no longer sends a discarded line
    run_events(agency_a)
    held.refresh_from_db()
    assert held.state == "failed"


def test_labels_the_provider_adds_are_in_the_conversation_language(client, agency_a, whatsapp_a, meta):
    say(client, "Hola, buenos días")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert conversation.language == "es"
    lists = [s["body"]["interactive"] for s in meta.sent("whatsapp") if s["body"].get("type") == "interactive"]
    assert lists and lists[-1]["type"] == "list" and lists[-1]["action"]["button"] == "Elegir"
