"""Alerts on messaging apps through the messaging app's outbox: subscribe by saying so on Telegram, get the
alert once (even when handed over twice), STOP there ends it; the channel is offered only when connected."""

import json

import pytest

from crisis.models import Delivery, Subscription
from crisis.services import alert_create, alert_fan_out, channels_available, deliveries_send
from tenants.context import agency_context
from tests.messaging.conftest import SECRET_A, deliver, run_events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_messaging_limits(settings):
    settings.MESSAGING_RATE_LIMITS = False


def say(client, update):
    response = client.post(
        "/hooks/alpha/telegram/",
        data=json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET_A,
    )
    assert response.status_code == 200


def test_telegram_subscriber_gets_the_alert_once_and_stop_ends_it(client, telegram, telegram_a, agency_a, staff_a):
    with agency_context(agency_a):
        assert "telegram" in channels_available(agency_a) and "whatsapp" not in channels_available(agency_a)
    say(client, telegram.message_update(42, text="subscribe to alerts"))
    run_events(agency_a)
    with agency_context(agency_a):
        subscription = Subscription.objects.get()
        assert subscription.channel == "telegram" and subscription.active and subscription.consent_channel == "telegram"
        alert = alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            channels=["telegram"],
            texts={"en": {"headline": "Tornado warning", "instruction": "Take shelter in a basement."}},
        )
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="telegram")
        row = Delivery.objects.get(alert=alert)
        assert row.status == "sent"
        # A killed worker's row handed over again: the messaging outbox's dedupe key keeps it to one message.
        Delivery.objects.filter(pk=row.pk).update(status="queued")
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="telegram")
    deliver(agency_a, telegram_a)
    alerts = [m for m in telegram.sent(42) if "Tornado warning" in m["text"]]
    assert len(alerts) == 1
    say(client, telegram.message_update(42, text="STOP"))
    run_events(agency_a)
    with agency_context(agency_a):
        second = alert_create(
            agency=agency_a,
            actor=staff_a["supervisor"],
            channels=["telegram"],
            texts={"en": {"headline": "Tornado update", "instruction": "Stay in shelter."}},
        )
        alert_fan_out(agency=agency_a, alert_id=second.pk)
        deliveries_send(agency=agency_a, alert_id=second.pk, channel="telegram")
        skipped = Delivery.objects.get(alert=second)
        assert (skipped.status, skipped.skip_reason, skipped.permanent) == ("skipped", "opted_out", False)
        assert "STOP" in skipped.error
        assert Subscription.objects.get().unsubscribed_at is not None
    deliver(agency_a, telegram_a)
    assert not [m for m in telegram.sent(42) if "Tornado update" in m["text"]]
