"""A broadcast takes time (thousands of texts at the provider's rate): someone who says stop while it runs gets
nothing more. The fan-out wrote their row before they stopped; the sender reads the subscription after it claims the
row and sends nothing to an ended one, on every channel, without marking the subscription refused."""

from crisis.models import Delivery, Subscription
from crisis.services import alert_create, alert_fan_out, deliveries_send, delivery_report, subscriptions_stop_sms
from crisis.services.subscriptions import subscription_unsubscribe
from tenants.context import agency_context
from tests.crisis.alerting import EN


def test_stop_after_the_fan_out_is_honoured_before_sending(agency_a, staff_a, subscribe, sms_gateway):
    for number in ("+15550031", "+15550032", "+15550033"):
        subscribe(agency_a, channel="sms", address=number)
    leaving = subscribe(agency_a, channel="email", address="leaving@example.org")
    staying = subscribe(agency_a, channel="email", address="staying@example.org")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["sms", "email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        assert Delivery.objects.filter(alert=alert, status="queued").count() == 5  # every row written
        # While the broadcast is under way: STOP to the alerts number, and the e-mail's unsubscribe link.
        assert subscriptions_stop_sms(agency=agency_a, phone="+15550032") == 1
        subscription_unsubscribe(agency=agency_a, subscription_id=leaving.pk)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="email")
        report = delivery_report(agency=agency_a, alert=alert)
        rows = {r.subscription.address: r for r in Delivery.objects.filter(alert=alert).select_related("subscription")}
        stopped = Subscription.objects.get(address="+15550032")
    from django.core import mail

    assert sorted(m["To"] for m in sms_gateway.messages) == ["+15550031", "+15550033"]
    assert [m.to for m in mail.outbox] == [[staying.address]]
    for address in ("+15550032", "leaving@example.org"):
        assert (rows[address].status, rows[address].skip_reason, rows[address].provider_id) == ("skipped", "ended", "")
        assert "subscription ended" in rows[address].error
    assert stopped.rejected_at is None  # they stopped; the number was not refused
    by_channel = {c["channel"]: c for c in report["channels"]}
    assert (by_channel["sms"]["sent"], by_channel["sms"]["failed"], by_channel["sms"]["skipped"]) == (2, 0, 1)


class _WouldWait(Exception):
    pass


def test_texts_are_throttled_per_sending_number_not_across_agencies(monkeypatch, settings):
    """Two agencies with their own SMS numbers broadcast at once: each gets its number's rate (the limiter counted
    every agency's texts together, so one broadcast halved the other's)."""
    from crisis.services import delivery

    settings.CRISIS_RATE_LIMITS = {**settings.CRISIS_RATE_LIMITS, "sms": 1}
    now = 1_900_000_000.25  # one and the same second for every take below
    monkeypatch.setattr(delivery.time, "time", lambda: now)

    def sleep(_seconds):
        raise _WouldWait

    monkeypatch.setattr(delivery.time, "sleep", sleep)
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    client.delete(*(delivery._rate_key("sms", int(now), number) for number in ("+15550001111", "+15550002222")))
    delivery.rate_take("sms", "+15550001111")  # agency A's number: its one text this second
    delivery.rate_take("sms", "+15550002222")  # agency B's number: not held up by A's
    try:
        delivery.rate_take("sms", "+15550001111")  # A's second text in the same second waits
    except _WouldWait:
        pass
    else:
        raise AssertionError("a number's rate was exceeded")
