"""A notification run is one transaction for its batch: a worker killed after the gateway took some of its texts
(and before the run's commit) leaves them unsent on their rows. The next run records those as sent, with the sid
Twilio gave, instead of texting the people a second time; the text that never got there is sent. The text in flight
at the kill (its send begun, no answer recorded) is looked up in Twilio's message list: found, recorded sent with
its sid; not there, sent now, once."""

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


def _three_follower_texts(agency):
    with agency_context(agency):
        return [
            Notification.objects.create(
                agency=agency, channel="sms", recipient=number, subject="Report 12 is closed", body="Thank you."
            )
            for number in ("+15550101", "+15550102", "+15550103")
        ]


def _each_texted_once(agency, gateway, rows) -> None:
    """The restarted worker's run: every row recorded sent with the sid of the one text the gateway has for it."""
    with agency_context(agency):
        assert notifications_deliver(agency=agency) == 3
    assert sorted(m["To"] for m in gateway.messages) == ["+15550101", "+15550102", "+15550103"]  # once each
    sids = {m["To"]: m["sid"] for m in gateway.messages}
    for row in rows:
        row = Notification.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own rows
        assert row.sent_at is not None and row.provider_id == sids[row.recipient]


def test_texts_the_gateway_took_before_the_worker_died_are_not_sent_again(agency_a, gateway, monkeypatch):
    rows = _three_follower_texts(agency_a)
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
    _each_texted_once(agency_a, gateway, rows)


def test_the_text_in_flight_when_the_worker_died_is_found_at_twilio_not_sent_again(agency_a, gateway, monkeypatch):
    """The third text's send was in flight at the kill: the gateway has it, the row never learnt its sid. (A text in
    flight that never got there is sent by the next run: the test above, whose kill comes as the third send starts.)"""
    rows = _three_follower_texts(agency_a)
    real = delivery._send_sms
    calls = []

    def killed_in_flight(row):
        calls.append(row.recipient)
        if len(calls) < 3:
            return real(row)
        real(row)  # the gateway has the third text; its answer never reaches the row
        raise Killed

    monkeypatch.setattr(delivery, "_send_sms", killed_in_flight)
    with agency_context(agency_a), pytest.raises(Killed):
        notifications_deliver(agency=agency_a)
    assert len(gateway.messages) == 3

    monkeypatch.setattr(delivery, "_send_sms", real)  # the restarted worker's run
    _each_texted_once(agency_a, gateway, rows)
