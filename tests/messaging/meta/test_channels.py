"""WhatsApp and Messenger through the channels framework: the handshake, signatures (401/403, counted,
nothing stored, A's secret never verifies B's hook), one turn per wamid/mid, replies rendered as
native buttons and sent to the local Graph server, photos downloaded with the token, delivery
statuses moving the outbox rows, the 24-hour window (templates, message tags, held for staff), the
business-scoped WhatsApp ids, agents taking over, and isolation between agencies."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import Conversation, Message
from messaging.fakes.meta_payloads import messenger_message, whatsapp_message, whatsapp_status
from messaging.models import ChannelConnection, ChannelIdentity, InboundEvent, OutboundMessage
from messaging.providers.meta_common import signature_header
from tenants.context import agency_context
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.conftest import APP_SECRET_A, APP_SECRET_B, PAGE_A, PHONE_A, PHONE_B, VERIFY_A, VERIFY_B

pytestmark = pytest.mark.django_db

PERSON = "16505551234"
BSUID = "US.13491208655302741918"


def post(client, slug, kind, payload, secret=None, signature=None):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    elif secret is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature_header(secret, raw)
    return client.generic("POST", f"/hooks/{slug}/{kind}/", raw, content_type="application/json", **headers)


def say(client, text="Hi", *, phone=PERSON, user_id="", kind="text", content=None, wamid=""):
    payload = whatsapp_message(
        PHONE_A, phone=phone, user_id=user_id, kind=kind, content=content or {"body": text}, wamid=wamid
    )
    assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    return payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]


def events():
    return InboundEvent.objects.unscoped().count()  # unscoped: a test counting every agency's rows


# --- the webhook ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["whatsapp", "messenger"])
def test_handshake_echoes_the_challenge_for_the_agency_verify_token(client, whatsapp_a, messenger_a, whatsapp_b, kind):
    url = f"/hooks/alpha/{kind}/"
    ok = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_A, "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_B, "hub.challenge": "1"})
    assert wrong.status_code == 403
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("kind", ["whatsapp", "messenger"])
def test_signature_missing_401_wrong_403_counted_nothing_stored(client, agency_a, whatsapp_a, messenger_a, kind):
    payload = (
        whatsapp_message(PHONE_A, phone=PERSON)
        if kind == "whatsapp"
        else messenger_message(PAGE_A, "7001", {"text": "Hi"})
    )
    assert post(client, "alpha", kind, payload).status_code == 401
    assert post(client, "alpha", kind, payload, signature="sha256=" + "0" * 64).status_code == 403
    assert post(client, "alpha", kind, payload, signature="sha1=abc").status_code == 403
    raw = json.dumps(payload).encode()
    # Signed over other bytes (the same JSON, spaced differently): refused.
    assert post(client, "alpha", kind, raw, signature=signature_header(APP_SECRET_A, raw + b" ")).status_code == 403
    assert events() == 0
    connection = ChannelConnection.objects.for_agency(agency_a).get(kind=kind)
    assert connection.rejected_signatures == 4 and connection.last_rejected_at is not None
    assert post(client, "alpha", kind, raw, signature=signature_header(APP_SECRET_A, raw)).status_code == 200
    assert events() == 1


def test_agency_a_app_secret_never_verifies_agency_b_hook(client, agency_b, whatsapp_a, whatsapp_b):
    payload_b = whatsapp_message(PHONE_B, phone=PERSON)
    assert post(client, "beta", "whatsapp", payload_b, APP_SECRET_A).status_code == 403
    assert post(client, "alpha", "whatsapp", whatsapp_message(PHONE_A, phone=PERSON), APP_SECRET_B).status_code == 403
    assert events() == 0
    assert post(client, "beta", "whatsapp", payload_b, APP_SECRET_B).status_code == 200
    assert InboundEvent.objects.for_agency(agency_b).count() == 1


def test_a_retried_wamid_is_one_event_and_one_turn(client, agency_a, whatsapp_a, meta):
    payload = whatsapp_message(PHONE_A, phone=PERSON, content={"body": "Hi"})
    for _attempt in range(3):
        assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    assert InboundEvent.objects.for_agency(agency_a).count() == 1
    assert run_events(agency_a) == ["processed"]
    assert Message.objects.for_agency(agency_a).filter(role="citizen").count() == 1


def test_a_retried_mid_is_one_event(client, agency_a, messenger_a):
    payload = messenger_message(PAGE_A, "7001", {"text": "Hi"})
    for _attempt in range(2):
        assert post(client, "alpha", "messenger", payload, APP_SECRET_A).status_code == 200
    assert InboundEvent.objects.for_agency(agency_a).count() == 1


def test_another_phone_number_in_the_payload_is_ignored(client, agency_a, whatsapp_a):
    payload = whatsapp_message(PHONE_B, phone=PERSON)  # signed with A's secret, but for B's number
    assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    assert run_events(agency_a) == ["ignored"]
    assert not Conversation.objects.for_agency(agency_a).exists()


# --- a conversation ------------------------------------------------------------------------------------------
def test_hi_on_whatsapp_gets_the_greeting_with_native_buttons(client, agency_a, whatsapp_a, meta):
    say(client, "Hi")
    assert run_events(agency_a) == ["processed"]
    deliver(agency_a, whatsapp_a)
    sent = meta.sent("whatsapp")
    assert sent, "nothing was sent"
    interactive = [s["body"] for s in sent if s["body"]["type"] == "interactive"]
    assert interactive and interactive[-1]["to"] == PERSON
    block = interactive[-1]["interactive"]
    options = block["action"].get("buttons") or block["action"]["sections"][0]["rows"]
    assert options
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert conversation.channel == "whatsapp"


def test_pressed_button_is_the_action(client, agency_a, whatsapp_a, meta):
    say(client, "Hi")
    run_events(agency_a)
    say(
        client,
        kind="interactive",
        content={"type": "button_reply", "button_reply": {"id": "handoff", "title": "Talk to a person"}},
    )
    run_events(agency_a)
    message = Message.objects.for_agency(agency_a).filter(role="citizen").order_by("-seq").first()
    assert message.text == "Talk to a person" and message.payload.get("action") == "handoff"


def test_photo_is_downloaded_with_the_token_and_location_kept(client, agency_a, whatsapp_a, meta):
    from messaging.fakes.meta_payloads import png_bytes

    media_id = meta.add_media(png_bytes(), "image/png")
    say(client, kind="image", content={"id": media_id, "mime_type": "image/png", "caption": "the hole"})
    say(client, kind="location", content={"latitude": 39.78, "longitude": -89.65, "name": "Main St"})
    assert run_events(agency_a) == ["processed", "processed"]
    photo, place = Message.objects.for_agency(agency_a).filter(role="citizen").order_by("seq")
    assert photo.text == "the hole" and len(photo.payload.get("photos", [])) == 1
    assert place.payload["location"]["lat"] == 39.78


def test_a_failed_media_download_keeps_the_text(client, agency_a, whatsapp_a, meta):
    say(client, kind="image", content={"id": "4040404", "mime_type": "image/jpeg", "caption": "big hole"})
    assert run_events(agency_a) == ["processed"]
    message = Message.objects.for_agency(agency_a).get(role="citizen")
    assert message.text == "big hole" and not message.payload.get("photos")


def test_delivery_statuses_move_the_outbox_row(client, agency_a, whatsapp_a, meta):
    say(client, "Hi")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    row = OutboundMessage.objects.for_agency(agency_a).filter(state="sent").first()
    for status in ("sent", "delivered", "read"):
        payload = whatsapp_status(PHONE_A, row.provider_message_id, status, phone=PERSON)
        assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    run_events(agency_a)
    row.refresh_from_db()
    assert row.state == "read"
    # A late "delivered" never moves it back.
    late = whatsapp_status(PHONE_A, row.provider_message_id, "delivered", phone=PERSON)
    late["entry"][0]["changes"][0]["value"]["statuses"][0]["timestamp"] = "1"
    post(client, "alpha", "whatsapp", late, APP_SECRET_A)
    run_events(agency_a)
    row.refresh_from_db()
    assert row.state == "read"


def test_failed_status_is_recorded_for_staff(client, agency_a, whatsapp_a, meta):
    say(client, "Hi")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    row = OutboundMessage.objects.for_agency(agency_a).filter(state="sent").first()
    error = {"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable"}
    post(
        client,
        "alpha",
        "whatsapp",
        whatsapp_status(PHONE_A, row.provider_message_id, "failed", phone=PERSON, error=error),
        APP_SECRET_A,
    )
    run_events(agency_a)
    row.refresh_from_db()
    assert row.state == "failed" and "131026" in row.error
    whatsapp_a.refresh_from_db()
    assert whatsapp_a.last_errors and "undeliverable" in whatsapp_a.last_errors[0]["message"]


# --- people and their ids ---------------------------------------------------------------------------------------
def test_business_scoped_id_arriving_later_keeps_the_conversation(client, agency_a, whatsapp_a, meta):
    say(client, "Hi", phone=PERSON)
    run_events(agency_a)
    say(client, "hello again", phone=PERSON, user_id=BSUID)
    run_events(agency_a)
    assert Conversation.objects.for_agency(agency_a).count() == 1
    identity = ChannelIdentity.objects.for_agency(agency_a).get()
    assert identity.external_id == BSUID


def test_username_user_is_answered_by_business_scoped_id(client, agency_a, whatsapp_a, meta):
    say(client, "Hi", phone="", user_id=BSUID)
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    sent = meta.sent("whatsapp")
    assert sent and all(s["body"].get("recipient") == BSUID and "to" not in s["body"] for s in sent)


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


# --- agents and isolation ------------------------------------------------------------------------------------------
def test_agent_takes_over_and_the_reply_goes_out_on_whatsapp(client, agency_a, staff_a, whatsapp_a, meta):
    from chat.services import conversation_claim, message_post_agent

    say(client, "Hi")
    run_events(agency_a)
    button = {"type": "button_reply", "button_reply": {"id": "handoff", "title": "Talk to a person"}}
    say(client, kind="interactive", content=button)
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert conversation.state == "queued"
    agent = staff_a["agent"]
    with agency_context(agency_a):
        conversation_claim(agency=agency_a, actor=agent, conversation_id=conversation.pk)
        message_post_agent(agency=agency_a, actor=agent, conversation_id=conversation.pk, text="Hello, this is Sam.")
    deliver(agency_a, whatsapp_a)
    assert any(
        s["body"].get("text", {}).get("body", "").startswith("Hello, this is Sam.") for s in meta.sent("whatsapp")
    )
    before = len(meta.sent("whatsapp"))
    say(client, "thanks")
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    assert len(meta.sent("whatsapp")) == before  # the bot stays silent while the agent holds it


def test_agent_of_b_never_sees_a_whatsapp_conversation(client, agency_a, agency_b, staff_b, whatsapp_a, meta):
    from chat.services import access_conversation

    say(client, "Hi")
    run_events(agency_a)
    conversation = Conversation.objects.for_agency(agency_a).get()
    with pytest.raises(Conversation.DoesNotExist), agency_context(agency_b):
        access_conversation(agency=agency_b, actor=staff_b["agent"], conversation_id=conversation.pk)
    assert not Conversation.objects.for_agency(agency_b).exists()


# --- connecting ----------------------------------------------------------------------------------------------------
def _connect_command(*args):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("channel_connect", *args, stdout=out)
    return out.getvalue()


def test_channel_connect_whatsapp_is_idempotent_and_prints_the_webhook(agency_a, meta):
    from django.db import connection as db

    args = ["alpha", "whatsapp", "--phone-number-id", PHONE_A, "--access-token", "tok-1", "--app-secret", "s1"]
    args += ["--verify-token", "v1", "--api-base", meta.url]
    assert "/hooks/alpha/whatsapp/" in _connect_command(*args)
    out = _connect_command(*args[:4], "--access-token", "tok-2", "--app-secret", "s1", "--verify-token", "v1")
    assert "/hooks/alpha/whatsapp/" in out
    connection = ChannelConnection.objects.for_agency(agency_a).get(kind="whatsapp")
    assert connection.secret("access_token") == "tok-2" and connection.api_base == meta.url
    with db.cursor() as cursor:  # secrets are ciphertext at rest
        cursor.execute("SELECT secrets::text FROM messaging_channelconnection WHERE id = %s", [connection.pk])
        assert "tok-2" not in cursor.fetchone()[0]


def test_channel_connect_messenger_and_bad_values(agency_a, meta):
    from django.core.management.base import CommandError

    args = ["alpha", "messenger", "--page-id", PAGE_A, "--page-token", "pt", "--app-secret", "s", "--verify-token", "v"]
    assert "/hooks/alpha/messenger/" in _connect_command(*args, "--message-tags", "status_news=ACCOUNT_UPDATE")
    with pytest.raises(CommandError, match="not one of"):
        _connect_command(*args, "--message-tags", "status_news=MARKETING")
    with pytest.raises(CommandError, match="purpose"):
        _connect_command(*args, "--message-tags", "news=ACCOUNT_UPDATE")
    with pytest.raises(CommandError, match="digits"):
        _connect_command(
            "alpha",
            "whatsapp",
            "--phone-number-id",
            "abc",
            "--access-token",
            "t",
            "--app-secret",
            "s",
            "--verify-token",
            "v",
        )


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
    from messaging.fakes.meta import graph_failure

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
