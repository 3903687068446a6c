"""A notification run is one transaction for its batch: a worker killed after the gateway took some of its texts
(and before the run's commit) leaves them unsent on their rows. The next run records those as sent, with the sid
Twilio gave, instead of texting the people a second time; the text that never got there is sent."""

import pytest

from requests_app.models import Notification
from requests_app.services import delivery, notifications_deliver
from tenants.context import agency_context


class Killed(BaseException):
    """The worker's SIGKILL: nothing after it runs, and its open transaction is rolled back."""


@pytest.fixture
def gateway(settings):
    from tests.sms_server import SMSGateway

    server = SMSGateway()
    server.configure(settings)
    yield server
    server.stop()


def test_texts_the_gateway_took_before_the_worker_died_are_not_sent_again(agency_a, gateway, monkeypatch):
    with agency_context(agency_a):
        rows = [
            Notification.objects.create(
                agency=agency_a, channel="sms", recipient=number, subject="Report 12 is closed", body="Thank you."
            )
            for number in ("+15550101", "+15550102", "+15550103")
        ]
    real = delivery._send_sms
    calls = []

    def killed_before_the_third(row):
        calls.append(row.recipient)
        if len(calls) == 3:  # two texts taken by the gateway, the run not committed
            raise Killed
        return real(row)

    monkeypatch.setattr(delivery, "_send_sms", killed_before_the_third)
    with agency_context(agency_a), pytest.raises(Killed):
        notifications_deliver(agency=agency_a)
    assert [m["To"] for m in gateway.messages] == ["+15550101", "+15550102"]
    assert not Notification.objects.for_agency(agency_a).filter(sent_at__isnull=False).exists()  # rolled back

    monkeypatch.setattr(delivery, "_send_sms", real)  # the restarted worker's run
    with agency_context(agency_a):
        assert notifications_deliver(agency=agency_a) == 3
    assert sorted(m["To"] for m in gateway.messages) == ["+15550101", "+15550102", "+15550103"]  # once each
    sids = {m["To"]: m["sid"] for m in gateway.messages}
    for row in rows:
        row = Notification.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own rows
        assert row.sent_at is not None and row.provider_id == sids[row.recipient]
