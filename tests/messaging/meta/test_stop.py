"""STOP on WhatsApp and Messenger: one confirmation, in the person's language, and nothing else after it
(the words and the other channels: tests/messaging/test_subscriptions.py)."""

import pytest

from messaging.fakes.meta_payloads import messenger_message
from messaging.models import OutboundMessage
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.conftest import APP_SECRET_A, PAGE_A
from tests.messaging.meta.helpers import PERSON
from tests.messaging.meta.helpers import post as meta_post
from tests.messaging.meta.helpers import say as whatsapp_say
from tests.messaging.test_subscriptions import STOPPED_EN, STOPPED_ZH

pytestmark = pytest.mark.django_db


def test_whatsapp_and_messenger_confirm_a_stop(client, agency_a, whatsapp_a, messenger_a, meta):
    whatsapp_say(client, "Hi")
    whatsapp_say(client, "STOP")
    meta_post(client, "alpha", "messenger", messenger_message(PAGE_A, "7001", {"text": "Hi"}), APP_SECRET_A)
    meta_post(client, "alpha", "messenger", messenger_message(PAGE_A, "7001", {"text": "退订"}), APP_SECRET_A)
    run_events(agency_a)
    deliver(agency_a, whatsapp_a)
    deliver(agency_a, messenger_a)
    whatsapp = [c["body"] for c in meta.sent("whatsapp")]
    messenger = [c["body"] for c in meta.sent("messenger")]
    assert [b["text"]["body"] for b in whatsapp if b.get("type") == "text"] == [STOPPED_EN]
    assert whatsapp[-1]["to"] == PERSON
    assert [b["message"].get("text") for b in messenger][-1] == STOPPED_ZH
    sent = OutboundMessage.objects.for_agency(agency_a).filter(state="sent")
    assert set(sent.values_list("purpose", flat=True)) == {"optout"}  # the greetings were cut off by STOP
