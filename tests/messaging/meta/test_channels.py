"""WhatsApp and Messenger through the channels framework: a conversation (replies rendered as native buttons
and sent to the local Graph server, photos downloaded with the token, delivery statuses moving the outbox
rows), the business-scoped WhatsApp ids, agents taking over, isolation between agencies, and connecting.

The webhook itself: test_meta_webhook.py; the 24-hour window and sending rules: test_meta_outbound.py."""

import pytest

from chat.models import Conversation, Message
from messaging.fakes.meta_payloads import whatsapp_status
from messaging.models import ChannelConnection, ChannelIdentity, OutboundMessage
from tenants.context import agency_context
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.conftest import APP_SECRET_A, PAGE_A, PHONE_A
from tests.messaging.meta.helpers import BSUID, PERSON, post, say

pytestmark = pytest.mark.django_db


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


def test_send_test_message_outside_the_window_says_why_and_inside_it_goes(
    client, client_for, staff_a, agency_a, whatsapp_a, meta
):
    admin = client_for(staff_a["admin"])
    page = "/a/alpha/staff/channels/"
    test = {"action": "test", "kind": "whatsapp", "recipient": PERSON, "text": "Testing"}
    response = admin.post(page, test, follow=True)  # the person never wrote: was a 500 (Held raised)
    assert response.status_code == 200 and "only within 24 hours" in response.content.decode()
    assert meta.sent("whatsapp") == []
    say(client, "Hi")
    run_events(agency_a)
    before = len(meta.sent("whatsapp"))
    response = admin.post(page, {**test, "text": "Testing again"}, follow=True)
    assert response.status_code == 200 and "Sent (the provider" in response.content.decode()
    assert [s["body"]["text"]["body"] for s in meta.sent("whatsapp")[before:]] == ["Testing again"]
