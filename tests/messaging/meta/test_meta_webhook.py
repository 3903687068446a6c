"""WhatsApp and Messenger webhooks: the handshake, signatures (401/403, counted, nothing stored, A's secret
never verifies B's hook), one turn per wamid/mid, other phone numbers ignored."""

import json

import pytest

from chat.models import Conversation, Message
from messaging.fakes.meta_payloads import messenger_message, whatsapp_message
from messaging.models import ChannelConnection, InboundEvent
from messaging.providers.meta_common import signature_header
from tests.messaging.conftest import run_events
from tests.messaging.meta.conftest import APP_SECRET_A, APP_SECRET_B, PAGE_A, PHONE_A, PHONE_B, VERIFY_A, VERIFY_B
from tests.messaging.meta.helpers import PERSON, events, post

pytestmark = pytest.mark.django_db


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
