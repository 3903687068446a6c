"""A broadcast's skipped recipients are not failures: someone who sent STOP, whose subscription ended while it ran, or
whom the channel can no longer reach is counted as skipped, with the reason, on the alert's page and in its JSON
report; a send that went wrong (a number the gateway refused) stays a failure."""

import uuid

from django.urls import reverse

from crisis.models import Delivery
from crisis.services import alert_create, alert_fan_out, deliveries_send, delivery_report
from crisis.services.subscriptions import subscription_unsubscribe
from messaging.models import ChannelIdentity
from tenants.context import agency_context
from tests.crisis.alerting import EN


def test_skipped_recipients_are_counted_apart_with_their_reasons(
    agency_a, agency_b, staff_a, staff_b, subscribe, sms_gateway, client_for
):
    for number in ("+15550041", "+15550042", "+15550043", "+15550044"):
        subscribe(agency_a, channel="sms", address=number)
    sms_gateway.reject.add("+15550043")  # refused by the gateway: a failure
    leaving = subscribe(agency_a, channel="email", address="leaving@example.org")
    subscribe(agency_a, channel="email", address="staying@example.org")
    subscribe(agency_a, channel="chat", address=str(uuid.uuid4()))  # a conversation that is gone
    with agency_context(agency_a):
        ChannelIdentity.objects.create(agency=agency_a, kind="sms", external_id="+15550044", opted_out=True)
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["sms", "email", "chat"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        subscription_unsubscribe(agency=agency_a, subscription_id=leaving.pk)
        for channel in ("sms", "email", "chat"):
            deliveries_send(agency=agency_a, alert_id=alert.pk, channel=channel)
        report = delivery_report(agency=agency_a, alert=alert)
        reasons = dict(Delivery.objects.filter(alert=alert, status="skipped").values_list("channel", "skip_reason"))
    assert sorted(m["To"] for m in sms_gateway.messages) == ["+15550041", "+15550042"]
    by_channel = {c["channel"]: c for c in report["channels"]}
    counts = {c: (by_channel[c]["sent"], by_channel[c]["failed"], by_channel[c]["skipped"]) for c in by_channel}
    assert counts == {"sms": (2, 1, 1), "email": (1, 0, 1), "chat": (0, 0, 1)}
    assert reasons == {"sms": "opted_out", "email": "ended", "chat": "no_address"}
    assert report["totals"]["failed"] == 1 and report["totals"]["skipped"] == 3 and report["percent"] == 100
    assert [(r["reason"], r["n"]) for r in by_channel["sms"]["skipped_reasons"]] == [("opted_out", 1)]
    assert [f["subscription__address"] for f in report["failures"]] == ["+15550043"]

    supervisor = client_for(staff_a["supervisor"])
    kwargs = {"agency_slug": agency_a.slug, "alert_id": alert.pk}
    page = supervisor.get(reverse("crisis:staff-alert", kwargs=kwargs)).content.decode()
    assert "Skipped: not sent" in page
    assert "The person sent STOP on this channel: 1" in page
    assert "The subscription ended before the alert went out: 1" in page
    assert "No number, account or conversation on this channel any more: 1" in page
    data = supervisor.get(reverse("crisis:staff-alert-report", kwargs=kwargs)).json()
    assert {c["channel"]: c["skipped"] for c in data["channels"]} == {"sms": 1, "email": 1, "chat": 1}
    assert data["totals"]["skipped"] == 3
    # The outbox page lists the alert with the same counts (sent 3, delivered 0, failed 1, skipped 3, waiting 0).
    outbox = supervisor.get(f"/a/{agency_a.slug}/staff/outbox/").content.decode()
    alerts = outbox[outbox.index('id="outbox-alerts"') :]
    assert "Flash flood warning" in alerts
    assert '<td>3</td><td>0</td><td><span class="outbox-alarm">1</span></td><td>3</td><td>0</td>' in alerts
    # In Spanish, the staff member's language.
    spanish = supervisor.get(reverse("crisis:staff-alert", kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "La persona envió STOP en este canal: 1" in spanish
    # Another agency's staff: a 404 for the page and the report.
    other = client_for(staff_b["supervisor"])
    assert (
        other.get(
            reverse("crisis:staff-alert", kwargs={"agency_slug": agency_b.slug, "alert_id": alert.pk})
        ).status_code
        == 404
    )
    assert (
        other.get(
            reverse("crisis:staff-alert-report", kwargs={"agency_slug": agency_b.slug, "alert_id": alert.pk})
        ).status_code
        == 404
    )
