"""Twilio's errors, sorted by what they mean for a text: a number that will never take it (given up at once, in
plain words for staff), the agency's own account (given up at once, no more texts tried in that run, a banner on
the outbox page), or "try later" (429 / 20429 / 21611 / 5xx, never sooner than its Retry-After). Against the local
Twilio (`messaging.fakes.twilio`), whose error bodies Twilio's own Python library reads back."""

from datetime import timedelta

import pytest
from django.utils import timezone
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from messaging.models import OutboundMessage
from messaging.twilio_api import retry_after_seconds
from messaging.twilio_errors import ACCOUNT, LATER, MESSAGE, RECIPIENT, twilio_error_kind
from requests_app.models import Notification
from requests_app.services import notifications_deliver_run
from requests_app.services.outbox_staff import outbox_retry
from tenants.context import agency_context
from tests.messaging.conftest import SMS_NUMBER_A, SMS_SID_A, SMS_TOKEN_A, deliver, run_events

pytestmark = pytest.mark.django_db
OUTBOX = "/a/alpha/staff/outbox/"


def queue(agency, *numbers, channel="sms"):
    with agency_context(agency):
        return [
            Notification.objects.create(
                agency=agency, channel=channel, recipient=n, subject="Your report", body="Secret body"
            )
            for n in numbers
        ]


def fresh(row) -> Notification:
    return Notification.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own row


def run(agency):
    with agency_context(agency):
        return notifications_deliver_run(agency=agency)


def test_twilios_own_library_reads_our_fakes_errors(twilio):
    twilio.control_refuse(number="+15557650001", code=21614)
    twilio.control_refuse(number="+15557650002", code=20429, retry_after=30)
    client = Client(SMS_SID_A, SMS_TOKEN_A)
    client.api.base_url = twilio.url
    seen = []
    for number in ("+15557650001", "+15557650002"):
        with pytest.raises(TwilioRestException) as caught:
            client.messages.create(to=number, from_=SMS_NUMBER_A, body="Hi")
        seen.append((caught.value.status, caught.value.code, caught.value.msg))
    prefix = "Unable to create record: "
    assert seen == [
        (400, 21614, prefix + "'To' number is not a valid mobile number"),
        (429, 20429, prefix + "Too Many Requests"),
    ]
    wrong = Client(SMS_SID_A, "not-the-token")
    wrong.api.base_url = twilio.url
    with pytest.raises(TwilioRestException) as caught:
        wrong.messages.create(to="+15557650003", from_=SMS_NUMBER_A, body="Hi")
    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert client.messages.create(to="+15557650003", from_=SMS_NUMBER_A, body="Hi").sid.startswith("SM")


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (400, 21211, RECIPIENT),
        (400, 21408, RECIPIENT),
        (400, 21610, RECIPIENT),
        (400, 21614, RECIPIENT),
        (400, 21608, RECIPIENT),
        (400, 21617, MESSAGE),
        (400, 21620, MESSAGE),  # not listed: a 4xx is refused, as Twilio's 400 page says
        (401, 20003, ACCOUNT),
        (401, 20005, ACCOUNT),
        (400, 21606, ACCOUNT),
        (403, 99999, ACCOUNT),
        (429, 20429, LATER),
        (400, 21611, LATER),
        (503, 20503, LATER),
        (500, "", LATER),
    ],
)
def test_each_code_has_its_kind(status, code, kind):
    assert twilio_error_kind(status, code) == kind


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds("30") == 30
    assert retry_after_seconds("") is None and retry_after_seconds("soon") is None
    later = (timezone.now() + timedelta(seconds=120)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 100 < retry_after_seconds(later) <= 120
    assert retry_after_seconds("999999") == 6 * 3600


def test_a_number_twilio_refuses_is_given_up_at_once_in_plain_words(
    agency_a, sms_a, twilio, staff_a, client_for, settings
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 10
    twilio.control_refuse(number="+15557650001", code=21608)  # a trial account: was retried ten times
    twilio.control_refuse(number="+15557650002", code=21620)  # a refusal not in our table
    trial, unknown, good = queue(agency_a, "+15557650001", "+15557650002", "+15557650003")
    outcome = run(agency_a)
    assert (outcome.sent, outcome.failed) == (1, 2)
    for row in (fresh(trial), fresh(unknown)):
        assert row.state == "given_up" and row.permanent and row.attempts == 1 and row.next_attempt_at is None
    assert fresh(trial).error_code == "twilio:21608" and fresh(good).state == "sent"
    page = client_for(staff_a["supervisor"]).get(OUTBOX).content.decode()
    assert "it may only text numbers verified in Twilio" in page
    assert "Text messages are not going out" not in page  # the account works: only that number was refused
    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = "de"
    assert "Testkonto" in client.get(OUTBOX).content.decode()


def test_an_account_refusal_stops_the_texts_of_the_run_and_says_so(agency_a, sms_a, twilio, staff_a, client_for):
    twilio.control_refuse_all(code=20003)
    texts = queue(agency_a, "+15557650001", "+15557650002", "+15557650003")
    email = queue(agency_a, "ann@example.org", channel="email")[0]
    outcome = run(agency_a)
    assert outcome.failed == 3 and fresh(email).state == "sent"
    assert len([c for c in twilio.calls if c["method"] == "Messages"]) == 1  # the others were not tried
    first, *others = (fresh(row) for row in texts)
    assert first.state == "given_up" and first.permanent and first.attempts == 1
    assert first.error_code == "twilio:20003" and "20003" in first.last_error
    for row in others:
        assert row.state == "given_up" and row.attempts == 0 and row.last_error.startswith("Not tried: ")
        assert row.error_code == "twilio:20003"
    supervisor = client_for(staff_a["supervisor"])
    page = supervisor.get(OUTBOX).content.decode()
    assert 'id="outbox-sms-account"' in page and "Text messages are not going out." in page
    assert "check the account SID and auth token" in page
    assert "/a/alpha/staff/channels/" not in page  # a supervisor cannot fix it there
    # The admin is sent to the SMS connection, which lists the refusal among its last errors.
    assert 'href="/a/alpha/staff/channels/"' in client_for(staff_a["admin"]).get(OUTBOX).content.decode()
    sms_a.refresh_from_db()
    assert [error["code"] for error in sms_a.last_errors] == ["20003"]
    assert run(agency_a).failed == 0  # given up: nothing retried by itself
    # The administrator fixes the account, staff retry: every text goes out, the banner is gone.
    twilio.control_refuse_all(code=0)
    with agency_context(agency_a):
        assert outbox_retry(agency=agency_a, actor=None, channel="sms") == 3
    assert run(agency_a).sent == 3
    assert 'id="outbox-sms-account"' not in supervisor.get(OUTBOX).content.decode()


def test_another_agencys_account_problem_is_not_shown(agency_a, agency_b, sms_a, twilio, staff_b, client_for):
    twilio.control_refuse_all(code=20005)
    queue(agency_a, "+15557650001")
    run(agency_a)
    page = client_for(staff_b["supervisor"]).get("/a/beta/staff/outbox/").content.decode()
    assert 'id="outbox-sms-account"' not in page


def test_too_many_requests_waits_at_least_its_retry_after(agency_a, sms_a, twilio, settings):
    settings.NOTIFICATION_RETRY_SECONDS = 60
    twilio.control_refuse(number="+15557650001", code=20429, retry_after=900)
    twilio.control_refuse(number="+15557650002", code=21611)  # the sender's queue is full: later, not refused
    limited, queued = queue(agency_a, "+15557650001", "+15557650002")
    run(agency_a)
    limited, queued = fresh(limited), fresh(queued)
    assert limited.state == "failing" and not limited.permanent
    assert (limited.next_attempt_at - limited.last_attempt_at).total_seconds() == 900
    assert queued.state == "failing" and (queued.next_attempt_at - queued.last_attempt_at).total_seconds() == 60


def test_the_messaging_outbox_honours_a_twilio_retry_after(client, agency_a, sms_a, twilio):
    from tests.messaging.test_sms import PHONE, post

    params = twilio.text(PHONE, "Hi")
    assert post(client, params, twilio.sign("http://testserver/hooks/alpha/sms/", params)).status_code == 200
    run_events(agency_a)
    twilio.control_refuse(number=PHONE, code=21611)  # was a permanent failure on the SMS channel
    deliver(agency_a, sms_a)
    with agency_context(agency_a):
        row = OutboundMessage.objects.get()
    assert row.state == "pending" and row.attempts == 1 and "maximum number of queued messages" in row.error
    twilio.control_refuse(number=PHONE, code=20429, retry_after=40)
    OutboundMessage.objects.unscoped().filter(pk=row.pk).update(next_attempt_at=timezone.now())  # unscoped: test
    deliver(agency_a, sms_a)
    row = OutboundMessage.objects.unscoped().get(pk=row.pk)
    assert row.state == "pending" and 35 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 41
