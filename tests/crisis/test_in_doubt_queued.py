"""An alert text whose sender died mid-send while the text still waited in the gateway's queue (no `date_sent` yet,
as a broadcast's texts do in Twilio's queue for one number): the swept, in-doubt row finds it in the message list
by its creation time and does not send it twice."""

from datetime import timedelta

from django.utils import timezone

from crisis.models import Alert, Delivery
from crisis.services import alert_create, alert_fan_out, deliveries_send, deliveries_sweep
from tenants.context import agency_context
from tests.crisis.alerting import EN


def test_a_text_still_queued_at_the_gateway_is_found_not_sent_again(agency_a, staff_a, subscribe, sms_gateway):
    sms_gateway.queued = True
    subscribe(agency_a, channel="sms", address="+15550011")
    with agency_context(agency_a):
        alert = alert_create(agency=agency_a, actor=staff_a["supervisor"], texts=EN, channels=["sms"])
        alert_fan_out(agency=agency_a, alert_id=alert.pk)
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        assert len(sms_gateway.messages) == 1 and sms_gateway.messages[0]["date_sent"] is None
        # The gateway took the text, then the sender died before its row was marked: leased past its lease.
        Delivery.objects.filter(alert=alert).update(
            status="sending", lease_until=timezone.now() - timedelta(seconds=1), provider_id=""
        )
        Alert.objects.filter(pk=alert.pk).update(status=Alert.Status.SENDING)
    assert deliveries_sweep()["released"] == 1
    with agency_context(agency_a):
        deliveries_send(agency=agency_a, alert_id=alert.pk, channel="sms")
        row = Delivery.objects.get(alert=alert)
    assert len(sms_gateway.messages) == 1  # once
    assert (row.status, row.provider_id, row.in_doubt) == ("sent", sms_gateway.messages[0]["sid"], False)
