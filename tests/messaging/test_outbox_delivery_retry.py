"""A text Twilio took and then reported not delivered: sent again for a passing reason (30003 the phone cannot be
reached, 30001 queue overflow, 30008 unknown, …), a bounded number of times, as a new try through the outbox; final
for the others (an unknown number, a landline, filtered, an unregistered sender). Exactly once: a repeated or late
callback never sends it again, a delivered text is never sent again, and a `delivered` for the earlier try that
arrives before the new try went out calls the new try off. The callbacks are signed and form-encoded as Twilio posts
them: by the test client here, and by the local Twilio to the live app with a real Celery worker at the end."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app.models import Notification
from tenants.context import agency_context
from tests.messaging.test_outbox_receipts import OUTBOX, callback, fresh, queue, send

pytestmark = pytest.mark.django_db


def due_now(row):
    Notification.objects.unscoped().filter(pk=row.pk).update(next_attempt_at=timezone.now())  # unscoped: the test's


def test_unreachable_phone_goes_out_again_once_then_delivered(
    agency_a, sms_a, twilio, client, client_for, staff_a, settings
):
    settings.NOTIFICATION_DELIVERY_RETRY_SECONDS = 600
    row = send(agency_a, queue(agency_a, "+15557651001"))
    first_sid = row.provider_id
    before = timezone.now()
    assert callback(client, settings, row, "sent").status_code == 204
    assert callback(client, settings, row, "undelivered", ErrorCode="30003").status_code == 204
    waiting = fresh(row)
    assert waiting.state == "failing" and waiting.sent_at is None and waiting.provider_id == ""
    assert waiting.delivery_retries == 1 and waiting.error_code == "twilio:30003"
    assert before + timedelta(seconds=590) < waiting.next_attempt_at < timezone.now() + timedelta(seconds=610)
    assert [(e["sid"], e["status"], e["error"]) for e in waiting.earlier_deliveries] == [
        (first_sid, "undelivered", "twilio:30003")
    ]
    page = client_for(staff_a["supervisor"]).get(OUTBOX + "?state=failing").content.decode()
    assert "The phone could not be reached (switched off, out of coverage or roaming without texts)." in page
    assert "next try in 9 minutes" in page or "next try in 10 minutes" in page
    # Twilio repeats the callback, and the overtaken `sent` arrives late: the earlier message's, nothing changes.
    for status in ("undelivered", "sent", "failed"):
        assert callback(client, settings, row, status, sid=first_sid, ErrorCode="30003").status_code == 204
    assert fresh(row).delivery_retries == 1 and fresh(row).next_attempt_at == waiting.next_attempt_at
    with agency_context(agency_a):
        from requests_app.services import notifications_deliver_run

        assert notifications_deliver_run(agency=agency_a).sent == 0  # not due yet
    assert len(twilio.sent(to="+15557651001")) == 1
    due_now(row)
    again = send(agency_a, row)
    assert len(twilio.sent(to="+15557651001")) == 2 and again.provider_id not in ("", first_sid)
    assert again.attempts == 2 and again.state == "sent"
    assert callback(client, settings, again, "delivered").status_code == 204
    assert fresh(row).delivery_status == "delivered"
    # A late word about the first message changes nothing now: the row was delivered.
    assert callback(client, settings, row, "delivered", sid=first_sid).status_code == 204
    assert callback(client, settings, again, "undelivered", ErrorCode="30003").status_code == 204
    done = fresh(row)
    assert (done.delivery_status, done.provider_id, done.delivery_retries) == ("delivered", again.provider_id, 1)
    page = client_for(staff_a["supervisor"]).get(OUTBOX + "?state=sent").content.decode()
    assert "Delivered" in page and "Sent again after an earlier try was not delivered" in page
    assert "The phone could not be reached" in page


@pytest.mark.parametrize("code", ["30005", "30006", "30007", "30034", "30004"])
def test_a_failure_that_would_happen_again_is_final(agency_a, sms_a, twilio, client, settings, code):
    row = send(agency_a, queue(agency_a, "+15557651002"))
    assert callback(client, settings, row, "undelivered", ErrorCode=code).status_code == 204
    final = fresh(row)
    assert (final.state, final.delivery_status, final.delivery_error) == ("sent", "undelivered", f"twilio:{code}")
    assert final.delivery_retries == 0 and final.next_attempt_at is None


def test_tries_are_bounded_and_the_last_failure_is_final(
    agency_a, sms_a, twilio, client, client_for, staff_a, settings
):
    settings.NOTIFICATION_DELIVERY_RETRIES = 2
    row = queue(agency_a, "+15557651003")
    for _n in range(3):
        row = send(agency_a, row)
        assert callback(client, settings, row, "failed", ErrorCode="30008").status_code == 204
        due_now(row)
    final = fresh(row)
    assert len(twilio.sent(to="+15557651003")) == 3
    assert (final.state, final.delivery_status, final.delivery_retries) == ("sent", "failed", 2)
    assert len(final.earlier_deliveries) == 2 and final.attempts == 3
    with agency_context(agency_a):
        from requests_app.services import notifications_deliver_run

        assert notifications_deliver_run(agency=agency_a).sent == 0
    page = client_for(staff_a["supervisor"]).get(OUTBOX + "?state=undelivered").content.decode()
    assert "The text was not delivered for a reason neither Twilio nor the carrier gave." in page
    assert "Not delivered after 3 tries: not sent again." in page


def test_a_delivered_receipt_for_the_earlier_try_calls_the_new_try_off(agency_a, sms_a, twilio, client, settings):
    row = send(agency_a, queue(agency_a, "+15557651004"))
    first_sid = row.provider_id
    assert callback(client, settings, row, "undelivered", ErrorCode="30001").status_code == 204
    assert fresh(row).state == "failing"
    assert callback(client, settings, row, "delivered", sid=first_sid).status_code == 204
    back = fresh(row)
    assert (back.state, back.delivery_status, back.provider_id, back.delivery_retries) == (
        "sent",
        "delivered",
        first_sid,
        0,
    )
    due_now(row)
    with agency_context(agency_a):
        from requests_app.services import notifications_deliver_run

        assert notifications_deliver_run(agency=agency_a).sent == 0
    assert len(twilio.sent(to="+15557651004")) == 1


def test_another_agency_cannot_send_a_text_again(agency_a, agency_b, sms_a, sms_b, twilio, client, settings):
    from tests.messaging.conftest import SMS_TOKEN_B

    row = send(agency_a, queue(agency_a, "+15557651005"))
    assert (
        callback(client, settings, row, "undelivered", slug="beta", token=SMS_TOKEN_B, ErrorCode="30003").status_code
        == 404
    )
    assert fresh(row).state == "sent" and fresh(row).delivery_retries == 0


@pytest.mark.django_db(transaction=True)
def test_the_local_twilio_reports_it_and_the_worker_sends_it_again(
    live_asgi, celery_worker, agency_a, twilio, settings
):
    """End to end: the worker sends, the local Twilio posts `sent` then `undelivered` 30003 (signed, form-encoded)
    to the running app, the app queues the new try, the worker sends it, Twilio reports it delivered."""
    from messaging.connections import channel_connect
    from requests_app.services.delivery import deliver_on_commit
    from tests.messaging.conftest import SMS_NUMBER_A, SMS_SID_A, SMS_TOKEN_A

    settings.NOTIFICATION_STATUS_CALLBACK_BASE_URL = live_asgi.url
    settings.NOTIFICATION_DELIVERY_RETRY_SECONDS = 1
    twilio.status_callbacks = True
    twilio.control_undeliver(number="+15557651006", code=30003, times=1)
    with agency_context(agency_a):
        channel_connect(
            agency=agency_a,
            actor=None,
            kind="sms",
            values={"account_sid": SMS_SID_A, "auth_token": SMS_TOKEN_A, "from_number": SMS_NUMBER_A},
            api_base=twilio.url,
        )
        from django.db import transaction

        with transaction.atomic():
            row = Notification.objects.create(
                agency=agency_a, channel="sms", recipient="+15557651006", subject="Your report", body="Fixed"
            )
            deliver_on_commit(agency=agency_a, notification_ids=[row.pk])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and fresh(row).delivery_status != "delivered":
        time.sleep(0.2)
    done = fresh(row)
    assert done.delivery_status == "delivered", (done.state, done.last_error, twilio.sent(to="+15557651006"))
    sent = twilio.sent(to="+15557651006")
    assert len(sent) == 2 and done.attempts == 2 and done.delivery_retries == 1
    assert done.earlier_deliveries[0]["error"] == "twilio:30003"
    time.sleep(1.5)  # nothing more goes out
    assert len(twilio.sent(to="+15557651006")) == 2
