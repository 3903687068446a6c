"""An alert's delivery report: counters kept by triggers through every change of the deliveries, and the SMS
gateway's signed status callbacks (delivered once, only for its agency)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from crisis.models import Delivery, Subscription
from crisis.services import (
    alert_create,
    alert_fan_out,
    deliveries_send,
    deliveries_sweep,
    delivery_report,
)
from tenants.context import agency_context
from tests.crisis.alerting import EN, send

pytestmark = pytest.mark.django_db


def test_the_report_counters_follow_every_change_of_the_deliveries(agency_a, staff_a, subscribe, sms_gateway):
    """The report reads trigger-kept counters; after fan-out, sending, a rejected number, a swept lease and
    an erased subscriber they equal a direct count of the rows."""
    from django.db.models import Count

    from crisis.models import DeliveryCount

    for n in range(4):
        subscribe(agency_a, channel="sms", address=f"+1555002{n}")
    gone = subscribe(agency_a, address="gone@example.org")
    sms_gateway.reject.add("+15550021")

    def direct(alert):
        rows = Delivery.objects.filter(alert=alert).values_list("channel", "status").annotate(n=Count("pk"))
        return {(c, s): n for c, s, n in rows}

    def reported(alert):
        report = delivery_report(agency=agency_a, alert=alert)
        return {
            (c["channel"], s): c[s] for c in report["channels"] for s in ("queued", "sending", "sent", "failed") if c[s]
        }

    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["sms", "email"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        assert reported(alert) == direct(alert) == {("sms", "queued"): 4, ("email", "queued"): 1}
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        assert reported(alert) == direct(alert) == {("sms", "sent"): 3, ("sms", "failed"): 1, ("email", "queued"): 1}
        Delivery.objects.filter(alert=alert, channel="email").update(
            status="sending", lease_until=timezone.now() - timedelta(seconds=1)
        )
        assert reported(alert)[("email", "sending")] == 1
    deliveries_sweep()
    with agency_context(agency_a):
        assert reported(alert) == direct(alert)
        Subscription.objects.filter(pk=gone.pk).delete()  # erasure takes the delivery with it
        assert reported(alert) == direct(alert) == {("sms", "sent"): 3, ("sms", "failed"): 1}
        assert DeliveryCount.objects.filter(alert=alert).exists()
        alert.delete()
        assert not DeliveryCount.objects.filter(alert_id=alert.pk).exists()


def test_the_gateways_status_callback_marks_a_text_delivered_once_signed_and_only_for_its_agency(
    agency_a, agency_b, staff_a, subscribe, sms_gateway, client, settings
):
    from twilio.request_validator import RequestValidator

    subscribe(agency_a, channel="sms", address="+15550031")
    subscribe(agency_a, channel="sms", address="+15550032")
    alert = send(agency_a, staff_a["supervisor"], channels=["sms"])
    callbacks = {m["To"]: m["StatusCallback"] for m in sms_gateway.messages}
    sids = {m["To"]: m["sid"] for m in sms_gateway.messages}
    site = settings.SITE_URL.rstrip("/")
    assert all(url.startswith(site + f"/a/{agency_a.slug}/alerts/sms/status/") for url in callbacks.values())

    def post(url, params, token=settings.SMS_AUTH_TOKEN):
        signature = RequestValidator(token).compute_signature(url, params)
        return client.post(url[len(site) :], params, HTTP_X_TWILIO_SIGNATURE=signature)

    ok = callbacks["+15550031"]
    delivered = {"MessageSid": sids["+15550031"], "MessageStatus": "delivered"}
    assert post(ok, delivered, token="forged").status_code == 403
    other = ok.replace(f"/a/{agency_a.slug}/", f"/a/{agency_b.slug}/")
    assert post(other, delivered).status_code == 404  # B has no such delivery
    assert post(ok, {"MessageSid": "SMnot-this-one", "MessageStatus": "delivered"}).status_code == 204
    with agency_context(agency_a):
        assert delivery_report(agency=agency_a, alert=alert)["channels"][0]["delivered"] == 0
    assert post(ok, delivered).status_code == 204
    assert post(ok, {**delivered, "MessageStatus": "sent"}).status_code == 204  # late: ignored
    bounced = {"MessageSid": sids["+15550032"], "MessageStatus": "undelivered", "ErrorCode": "30005"}
    assert post(callbacks["+15550032"], bounced).status_code == 204
    with agency_context(agency_a):
        rows = {d.subscription.address: d for d in Delivery.objects.filter(alert=alert).select_related("subscription")}
        report = delivery_report(agency=agency_a, alert=alert)
    assert rows["+15550031"].status == "delivered" and rows["+15550031"].delivered_at is not None
    assert rows["+15550032"].status == "failed" and "30005" in rows["+15550032"].error
    assert report["channels"][0]["delivered"] == 1 and report["channels"][0]["failed"] == 1
    [failure] = report["failures"]
    assert failure["reason"].startswith("The number does not exist")  # the carrier's code in plain words


def test_an_alert_text_not_delivered_for_a_passing_reason_goes_out_again_bounded(
    agency_a, staff_a, subscribe, sms_gateway, client, settings
):
    """30003 (the phone could not be reached): the row is queued again as a new try (a new idempotency key), the
    alert is sending again until it went out; a repeated callback for the failed text changes nothing; after
    NOTIFICATION_DELIVERY_RETRIES new tries the failure is final."""
    from datetime import timedelta

    from django.utils import timezone
    from twilio.request_validator import RequestValidator

    from crisis.models import Alert
    from crisis.services import deliveries_send

    settings.NOTIFICATION_DELIVERY_RETRIES = 2
    subscribe(agency_a, channel="sms", address="+15550041")
    alert = send(agency_a, staff_a["supervisor"], channels=["sms"])
    site = settings.SITE_URL.rstrip("/")

    def undelivered(message, code="30003"):
        params = {"MessageSid": message["sid"], "MessageStatus": "undelivered", "ErrorCode": code}
        signature = RequestValidator(settings.SMS_AUTH_TOKEN).compute_signature(message["StatusCallback"], params)
        url = message["StatusCallback"][len(site) :]
        return client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signature).status_code

    def row():
        with agency_context(agency_a):
            return Delivery.objects.get(alert=alert)

    assert row().status in ("sent", "delivered") and Alert.objects.unscoped().get(pk=alert.pk).status == "sent"
    before = timezone.now()
    assert undelivered(sms_gateway.messages[-1]) == 204
    waiting = row()
    assert (waiting.status, waiting.retries, waiting.provider_id) == ("queued", 1, "")
    assert waiting.next_attempt_at >= before + timedelta(seconds=settings.NOTIFICATION_DELIVERY_RETRY_SECONDS - 1)
    assert Alert.objects.unscoped().get(pk=alert.pk).status == "sending"
    assert undelivered(sms_gateway.messages[-1]) == 204  # the same callback again: nothing more
    assert row().retries == 1
    for n in (1, 2):
        with agency_context(agency_a):
            Delivery.objects.filter(alert=alert).update(next_attempt_at=timezone.now())
            deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        assert len(sms_gateway.messages) == 1 + n
        assert sms_gateway.messages[-1]["idempotency_key"].endswith(f"-r{n}")
        assert undelivered(sms_gateway.messages[-1]) == 204
    final = row()
    assert (final.status, final.retries) == ("failed", 2) and "30003" in final.error
    with agency_context(agency_a):
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
    assert len(sms_gateway.messages) == 3
