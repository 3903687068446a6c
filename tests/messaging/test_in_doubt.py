"""Settling a channel message whose worker died mid-send (`messaging.in_doubt`), in process: a text Twilio has is
recorded sent with its sid, one it does not have is sent now, a look-up that fails sends nothing and asks again
later, another line's identical text is not taken for this one; a Telegram line is `unknown` until staff decide
(send it again, or record that it arrived), each decision audited, only in their own agency and role."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from messaging.models import ChannelIdentity, OutboundMessage
from messaging.outbox import outbound_queue
from messaging.providers.base import Outgoing
from tenants.context import agency_context
from tests.messaging.conftest import deliver

pytestmark = pytest.mark.django_db
OUTBOX_A, OUTBOX_B = "/a/alpha/staff/outbox/", "/a/beta/staff/outbox/"
TEXT = "Boil water notice: boil tap water for one minute before drinking."


def queued(agency, kind, external_id, key="alert:1", text=TEXT) -> OutboundMessage:
    with agency_context(agency):
        identity, _new = ChannelIdentity.objects.get_or_create(agency=agency, kind=kind, external_id=external_id)
        outbound_queue(
            agency_id=agency.pk,
            identity=identity,
            outgoing=Outgoing(recipient=external_id, text=text),
            dedupe_key=key,
            purpose=OutboundMessage.Purpose.ALERT,
        )
    return OutboundMessage.objects.for_agency(agency).get(dedupe_key=f"{key}:0")


def died_mid_send(row, *, taken_by=None, to=None):
    """What a worker killed during the provider's call leaves: the row claimed, its lease run out; the provider
    has the message if `taken_by` (a fake server) took it."""
    if taken_by is not None:
        taken_by.messages.append(
            {
                "sid": "SMdied0001",
                "to": to,
                "from": "+15550001111",
                "body": TEXT,
                "status": "sent",
                "date_created": timezone.now().strftime("%a, %d %b %Y %H:%M:%S +0000"),
            }
        )
    OutboundMessage.objects.for_agency(row.agency).filter(pk=row.pk).update(
        state="sending", attempts=1, state_changed_at=timezone.now(), lease_until=timezone.now() - timedelta(seconds=1)
    )


def test_a_text_twilio_has_is_recorded_sent_not_sent_again(agency_a, twilio, sms_a):
    row = queued(agency_a, "sms", "+15557654321")
    died_mid_send(row, taken_by=twilio, to="+15557654321")
    deliver(agency_a, sms_a)
    row.refresh_from_db()
    assert (row.state, row.provider_message_id, row.attempts) == ("sent", "SMdied0001", 1)
    assert twilio.sent() == []  # no POST: looked up only
    assert [call["method"] for call in twilio.calls] == []  # the list is a GET the fake does not record as a send


def test_a_text_twilio_does_not_have_is_sent_now_once(agency_a, twilio, sms_a):
    row = queued(agency_a, "sms", "+15557654321")
    died_mid_send(row)
    deliver(agency_a, sms_a)
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2
    assert [body["Body"] for body in twilio.sent("+15557654321")] == [TEXT]


def test_an_identical_text_already_recorded_for_another_line_is_not_taken_for_this_one(agency_a, twilio, sms_a):
    first = queued(agency_a, "sms", "+15557654321", key="alert:1")
    deliver(agency_a, sms_a)
    first.refresh_from_db()
    assert first.state == "sent"
    second = queued(agency_a, "sms", "+15557654321", key="alert:2")  # the same words, a minute later
    died_mid_send(second)
    deliver(agency_a, sms_a)
    second.refresh_from_db()
    assert second.state == "sent" and second.provider_message_id != first.provider_message_id
    assert len(twilio.sent("+15557654321")) == 2


def test_a_lookup_that_fails_sends_nothing_and_asks_again_later(agency_a, twilio, sms_a):
    row = queued(agency_a, "sms", "+15557654321")
    died_mid_send(row)
    twilio.fail_next(503, {"code": 20503, "message": "Service unavailable"})
    deliver(agency_a, sms_a)
    row.refresh_from_db()
    assert row.state == "sending" and row.lease_until > timezone.now() + timedelta(seconds=20)
    assert "Could not ask SMS whether it has the message" in row.error and "503" in row.error
    assert twilio.sent() == []


def test_a_telegram_line_in_doubt_waits_for_staff_and_does_not_hold_up_the_next(
    agency_a, telegram, telegram_a, client_for, staff_a
):
    row = queued(agency_a, "telegram", "42", key="alert:1")
    died_mid_send(row)
    later = queued(agency_a, "telegram", "42", key="alert:2", text="All clear.")
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    later.refresh_from_db()
    assert row.state == "unknown" and later.state == "sent"
    assert [body["text"] for body in telegram.sent(42)] == ["All clear."]
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "cannot be asked whether it got it" in page and "It arrived: do not send" in page
    german = client_for(staff_a["supervisor"]).get(OUTBOX_A, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ungeklärt" in german and "Erneut senden" in german


def test_staff_record_that_it_arrived_and_it_is_never_sent(agency_a, telegram, telegram_a, client_for, staff_a):
    row = queued(agency_a, "telegram", "42")
    died_mid_send(row)
    deliver(agency_a, telegram_a)
    client = client_for(staff_a["supervisor"])
    response = client.post(OUTBOX_A, {"action": "messaging_arrived", "outbound": str(row.pk)}, follow=True)
    assert "recorded as arrived" in response.content.decode()
    row.refresh_from_db()
    assert row.state == "sent" and staff_a["supervisor"].get_username() in row.error
    deliver(agency_a, telegram_a)
    assert telegram.sent(42) == []
    entry = LogEntry.objects.get_for_object(row.identity).get(changes__icontains="message in doubt")
    assert entry.actor == staff_a["supervisor"] and "recorded as arrived" in str(entry.changes)


def test_staff_send_it_again_once(
    agency_a, telegram, telegram_a, client_for, staff_a, django_capture_on_commit_callbacks
):
    row = queued(agency_a, "telegram", "42")
    died_mid_send(row)
    deliver(agency_a, telegram_a)
    client = client_for(staff_a["supervisor"])
    client.post(OUTBOX_A, {"action": "messaging_resend", "outbound": str(row.pk)})
    client.post(OUTBOX_A, {"action": "messaging_resend", "outbound": str(row.pk)})  # a double click: no second row
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert row.state == "sent" and len(telegram.sent(42)) == 1


def test_another_agency_or_an_agent_cannot_decide(
    agency_a, agency_b, telegram, telegram_a, client_for, staff_a, staff_b
):
    row = queued(agency_a, "telegram", "42")
    died_mid_send(row)
    deliver(agency_a, telegram_a)
    other = client_for(staff_b["supervisor"])
    page = other.get(OUTBOX_B).content.decode()
    assert "It arrived: do not send" not in page
    response = other.post(OUTBOX_B, {"action": "messaging_resend", "outbound": str(row.pk)}, follow=True)
    assert "no longer in doubt" in response.content.decode()
    assert other.post(OUTBOX_A, {"action": "messaging_resend", "outbound": str(row.pk)}).status_code == 404
    agent = client_for(staff_a["agent"])
    assert agent.post(OUTBOX_A, {"action": "messaging_arrived", "outbound": str(row.pk)}).status_code == 404
    row.refresh_from_db()
    assert row.state == "unknown" and telegram.sent(42) == []
    assert not LogEntry.objects.filter(changes__icontains="message in doubt").exists()
