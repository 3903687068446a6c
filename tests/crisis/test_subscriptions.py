"""Subscribing on the web (link or code), in chat; unsubscribe from every message; STOP by SMS."""

import re

import pytest
from django.urls import reverse

from crisis.models import Subscription
from tenants.context import agency_context

pytestmark = pytest.mark.django_db


def test_web_subscription_by_email_is_confirmed_by_its_link_and_ends_by_its_unsubscribe_link(
    agency_a, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    url = reverse("crisis:alerts", kwargs={"agency_slug": agency_a.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"channel": "email", "address": "Ann@Example.org", "radius_km": 2, "consent": "on"})
    assert response.status_code == 302
    with agency_context(agency_a):
        row = Subscription.objects.get()
        assert row.address == "ann@example.org" and row.consent_channel == "web" and row.consent_at and not row.active
    from requests_app.models import Notification
    from requests_app.services.notify import notifications_deliver

    with agency_context(agency_a):
        notifications_deliver(agency=agency_a)
    link = re.search(r"http\S+/alerts/confirm/\S+", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.post("/" + path.split("?")[0], {"code": path.split("code=")[1]})
    assert "You are subscribed" in confirm.text
    with agency_context(agency_a):
        row.refresh_from_db()
        assert row.active and Notification.objects.count() == 1
    from crisis.messages import unsubscribe_url

    stop = unsubscribe_url(agency_a, row).split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + stop).status_code == 200
    with agency_context(agency_a):
        row.refresh_from_db()
        assert row.unsubscribed_at is not None


def test_bad_subscription_input_is_a_clear_error(agency_a, client):
    url = reverse("crisis:alerts", kwargs={"agency_slug": agency_a.slug})
    response = client.post(url, {"channel": "email", "address": "not-an-address", "consent": "on"})
    assert response.status_code == 200 and "valid e-mail address" in response.text
    response = client.post(
        url, {"channel": "email", "address": "a@example.org", "place": "1 Nowhere Lane", "consent": "on"}
    )
    assert "could not find that address" in response.text
    with agency_context(agency_a):
        assert not Subscription.objects.exists()


def test_wrong_code_is_refused_and_another_agencys_link_is_404(agency_a, agency_b, client):
    from crisis.services import subscription_start
    from crisis.tokens import subscription_token

    with agency_context(agency_a):
        row = subscription_start(agency=agency_a, channel="email", address="c@example.org", language="en")
    token = subscription_token(row)
    response = client.post(
        reverse("crisis:confirm", kwargs={"agency_slug": agency_a.slug, "token": token}),
        {"code": "000000" if row.confirm_code != "000000" else "111111"},
    )
    assert "not right" in response.text
    assert (
        client.get(reverse("crisis:confirm", kwargs={"agency_slug": agency_b.slug, "token": token})).status_code == 404
    )
    assert (
        client.post(reverse("crisis:unsubscribe", kwargs={"agency_slug": agency_b.slug, "token": token})).status_code
        == 404
    )


def test_sms_stop_ends_the_numbers_subscriptions_with_a_valid_signature_only(
    agency_a, client, settings, subscribe, sms_gateway
):
    from twilio.request_validator import RequestValidator

    row = subscribe(agency_a, channel="sms", address="+15550009")
    url = reverse("crisis:sms-inbound", kwargs={"agency_slug": agency_a.slug})
    params = {"From": "+15550009", "Body": "STOP"}
    assert client.post(url, params, HTTP_X_TWILIO_SIGNATURE="forged").status_code == 403
    signature = RequestValidator(settings.SMS_AUTH_TOKEN).compute_signature(settings.SITE_URL.rstrip("/") + url, params)
    response = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200 and "no more alerts" in response.text
    with agency_context(agency_a):
        row.refresh_from_db()
        assert row.unsubscribed_at is not None


def test_chat_subscribe_and_unsubscribe(agency_a):
    from chat.consumers.common import _open_conversation
    from chat.engine.engine import decide
    from chat.models import Message

    with agency_context(agency_a):
        conversation, _t, _a = _open_conversation(agency=agency_a, token="", channel="widget", language="en")
        first = Message.objects.create(
            agency=agency_a, conversation=conversation, seq=1, role="citizen", text="subscribe to alerts"
        )
        assert (
            "emergency alerts from Alpha City will appear in this chat"
            in decide(agency=agency_a, conversation=conversation, message=first).text
        )
        row = Subscription.objects.get(channel="chat")
        assert row.active and row.consent_channel == "chat"
        second = Message.objects.create(
            agency=agency_a, conversation=conversation, seq=3, role="citizen", text="unsubscribe from alerts"
        )
        assert "no more alerts" in decide(agency=agency_a, conversation=conversation, message=second).text
        row.refresh_from_db()
        assert row.unsubscribed_at is not None


def _start(agency, channel):
    from chat import services

    agency.languages = ["en", "de"]
    agency.save(update_fields=["languages"])
    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel=channel)
    return conversation


def _said(agency, conversation, text):
    """The citizen's message through the chat's own path (language detected and activated, reply stored)."""
    from chat import services
    from chat.engine.engine import bot_turn

    with agency_context(agency):
        received = services.message_receive(
            agency=agency, conversation_id=conversation.pk, text=text, client_msg_id="", action=""
        )
        return bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)


@pytest.mark.parametrize("channel", ["widget", "web"])
def test_web_chat_subscriber_is_shown_the_alerts_page_for_email_and_text_messages(agency_a, channel):
    """A web chat ends when the page closes: alerts by e-mail or text message are signed up for on the alerts page
    (seen on make run: "Ich möchte Warnmeldungen per SMS bekommen" was told only that alerts appear in the chat)."""
    alerts_page = reverse("crisis:alerts", kwargs={"agency_slug": agency_a.slug})
    conversation = _start(agency_a, channel)
    reply = _said(agency_a, conversation, "subscribe to alerts")
    assert "sign up on the alerts page" in reply.text
    assert [c["url"] for c in reply.payload["citations"]] == [alerts_page]
    stopped = _said(agency_a, conversation, "unsubscribe from alerts")
    assert "reply STOP" in stopped.text and [c["url"] for c in stopped.payload["citations"]] == [alerts_page]


def test_messaging_chat_subscriber_gets_the_alerts_in_that_chat_without_the_web_page(agency_a):
    conversation = _start(agency_a, "whatsapp")
    reply = _said(agency_a, conversation, "subscribe to alerts")
    assert "will appear in this chat" in reply.text and "alerts page" not in reply.text
    assert "citations" not in reply.payload
    assert "STOP" not in _said(agency_a, conversation, "unsubscribe from alerts").text


def test_web_chat_alerts_pointer_is_in_the_citizens_language(agency_a):
    conversation = _start(agency_a, "widget")
    reply = _said(agency_a, conversation, "Ich möchte Warnmeldungen per SMS bekommen")
    assert reply.payload["decision"]["alerts"] == "subscribed", reply.text
    assert "Warnungsseite" in reply.text
    assert reply.payload["citations"][0]["title"] == "Notfallwarnungen per E-Mail oder SMS"
