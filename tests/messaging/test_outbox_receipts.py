"""Twilio's status callbacks for the notification outbox's texts: each text is sent with its StatusCallback, the
callback (signed, checked here with Twilio's own RequestValidator) moves the row to delivered / not delivered with
the carrier's error in plain words on the staff page, states only move forward (a late `sent` never undoes
`delivered`), and another agency's text is a 404. The local Twilio posts these callbacks as Twilio does."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import RequestValidator

from requests_app.models import Notification
from requests_app.services import notifications_deliver_run
from tenants.context import agency_context
from tests.messaging.conftest import SMS_TOKEN_A, SMS_TOKEN_B

pytestmark = pytest.mark.django_db
OUTBOX = "/a/alpha/staff/outbox/"


def queue(agency, number="+15557650001"):
    with agency_context(agency):
        return Notification.objects.create(
            agency=agency, channel="sms", recipient=number, subject="Your report", body="Fixed"
        )


def send(agency, row) -> Notification:
    with agency_context(agency):
        run = notifications_deliver_run(agency=agency)
    assert run.sent >= 1, run.failure
    return fresh(row)


def fresh(row) -> Notification:
    return Notification.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own row


def callback_url(settings, slug, row_id) -> str:
    return f"{settings.NOTIFICATION_STATUS_CALLBACK_BASE_URL}/a/{slug}/requests/sms/status/{row_id}/"


def callback(client, settings, row, status, *, slug="alpha", token=SMS_TOKEN_A, sid=None, **extra):
    url = callback_url(settings, slug, row.pk)
    params = {"MessageSid": sid or row.provider_id, "MessageStatus": status, "AccountSid": "ACx", **extra}
    signature = RequestValidator(token).compute_signature(url, params)
    return client.post(
        url.removeprefix(settings.NOTIFICATION_STATUS_CALLBACK_BASE_URL), params, HTTP_X_TWILIO_SIGNATURE=signature
    )


def test_a_text_is_sent_with_its_status_callback_and_keeps_twilios_sid(agency_a, sms_a, twilio, settings):
    row = queue(agency_a)
    row = send(agency_a, row)
    sent = twilio.sent(to="+15557650001")
    assert sent[-1]["StatusCallback"] == callback_url(settings, "alpha", row.pk)
    assert row.provider_id.startswith("SM") and row.delivery_status == ""


def test_delivered_then_a_late_sent_and_repeats_change_nothing(agency_a, sms_a, twilio, client, settings):
    row = send(agency_a, queue(agency_a))
    assert callback(client, settings, row, "sent").status_code == 204
    assert fresh(row).delivery_status == "sent"
    assert callback(client, settings, row, "delivered").status_code == 204
    delivered = fresh(row)
    assert delivered.delivery_status == "delivered" and delivered.delivery_status_at is not None
    for late in ("sent", "queued", "delivered", "undelivered"):
        assert callback(client, settings, row, late, ErrorCode="30003").status_code == 204
    after = fresh(row)
    assert (after.delivery_status, after.delivery_error, after.delivery_status_at) == (
        "delivered",
        "",
        delivered.delivery_status_at,
    )


def test_not_delivered_with_the_carriers_reason_on_the_outbox_page(
    agency_a, sms_a, twilio, client, client_for, staff_a, settings
):
    row = send(agency_a, queue(agency_a, "+15557650009"))
    ok = send(agency_a, queue(agency_a, "+15557650010"))
    # Out of order: the final word first, then the `sent` that was overtaken.
    assert callback(client, settings, row, "undelivered", ErrorCode="30006").status_code == 204
    assert callback(client, settings, row, "sent").status_code == 204
    assert callback(client, settings, ok, "delivered").status_code == 204
    assert (fresh(row).delivery_status, fresh(row).delivery_error) == ("undelivered", "twilio:30006")
    page = client_for(staff_a["supervisor"]).get(OUTBOX + "?state=undelivered").content.decode()
    assert "The number is a landline or its carrier cannot take texts." in page
    assert "Twilio error 30006" in page and "Not delivered" in page
    assert "+1 •••• 0009" in page and "+1 •••• 0010" not in page  # the filter: only the undelivered one
    everything = client_for(staff_a["supervisor"]).get(OUTBOX).content.decode()
    assert "Delivered" in everything and "+1 •••• 0010" in everything
    assert 'href="?state=undelivered&amp;channel=sms" class="outbox-alarm">1<' in everything
    with agency_context(agency_a):
        assert Notification.objects.filter(pk=row.pk, sent_at__isnull=False, given_up_at__isnull=True).exists()


def test_failed_after_acceptance_is_recorded_too(agency_a, sms_a, twilio, client, settings):
    row = send(agency_a, queue(agency_a))
    assert callback(client, settings, row, "failed", ErrorCode="30007").status_code == 204
    assert (fresh(row).delivery_status, fresh(row).delivery_error) == ("failed", "twilio:30007")


def test_unsigned_or_wrongly_signed_callbacks_are_refused(agency_a, sms_a, sms_b, twilio, client, settings):
    row = send(agency_a, queue(agency_a))
    path = f"/a/alpha/requests/sms/status/{row.pk}/"
    params = {"MessageSid": row.provider_id, "MessageStatus": "delivered"}
    assert client.post(path, params).status_code == 403
    assert client.post(path, params, HTTP_X_TWILIO_SIGNATURE="bm90IGl0").status_code == 403
    assert callback(client, settings, row, "delivered", token=SMS_TOKEN_B).status_code == 403  # B's account
    assert client.get(path).status_code == 405
    assert fresh(row).delivery_status == ""
    url = callback_url(settings, "alpha", row.pk)
    signed = RequestValidator(SMS_TOKEN_A).compute_signature(url, {"MessageStatus": "delivered"})
    bad = client.post(path, {"MessageStatus": "delivered"}, HTTP_X_TWILIO_SIGNATURE=signed)
    assert bad.status_code == 400 and b"MessageSid" in bad.content


def test_cannot_touch_other_agencys_texts(agency_a, agency_b, sms_a, sms_b, twilio, client, settings):
    row = send(agency_a, queue(agency_a))
    # B's signed callback under B's slug naming A's text: a 404, as for an id that exists nowhere.
    assert callback(client, settings, row, "undelivered", slug="beta", token=SMS_TOKEN_B).status_code == 404
    # A's own signature with another message's sid: a 404 too.
    assert callback(client, settings, row, "delivered", sid="SM" + "0" * 32).status_code == 404
    assert fresh(row).delivery_status == ""
    assert callback(client, settings, row, "delivered").status_code == 204  # the control: the real one works


def test_the_gateways_token_signs_callbacks_when_the_agency_has_no_connection(agency_a, twilio, client, settings):
    settings.SMS_BASE_URL, settings.SMS_ACCOUNT_SID = twilio.url, "ACalpha0001"
    settings.SMS_AUTH_TOKEN, settings.SMS_FROM = SMS_TOKEN_A, "+15550001111"
    row = send(agency_a, queue(agency_a))
    assert callback(client, settings, row, "delivered").status_code == 204
    assert fresh(row).delivery_status == "delivered"


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.received.append(
            (self.path, self.headers.get("Content-Type"), self.headers.get("X-Twilio-Signature"), dict(parse_qsl(body)))
        )
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_local_twilio_posts_signed_status_callbacks_and_can_play_a_carrier_failure():
    from messaging.fakes.twilio import FakeTwilio
    from messaging.twilio_api import twilio_message_send

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    receiver.received = []
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    fake = FakeTwilio("ACfake", "fake-token", status_callbacks=True).start()
    try:
        hook = f"http://127.0.0.1:{receiver.server_address[1]}/cb/"
        assert fake.control_undeliver(number="+15557650002", code=30003) == {"undelivered": {"+15557650002": 30003}}
        for number in ("+15557650001", "+15557650002"):
            twilio_message_send(
                api_base=fake.url,
                account_sid="ACfake",
                auth_token="fake-token",
                sender="+1555",
                to=number,
                body="Hi",
                status_callback=hook,
            )
        import time

        deadline = time.monotonic() + 5
        while len(receiver.received) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        fake.stop()
        receiver.shutdown()
    by_number = {}
    for path, content_type, signature, form in receiver.received:
        assert path == "/cb/" and content_type == "application/x-www-form-urlencoded"
        assert RequestValidator("fake-token").validate(hook, form, signature)
        by_number.setdefault(form["To"], []).append((form["MessageStatus"], form.get("ErrorCode")))
    assert by_number == {
        "+15557650001": [("sent", None), ("delivered", None)],
        "+15557650002": [("sent", None), ("undelivered", "30003")],
    }
