"""WhatsApp messages Meta accepted and then reported `failed` in the messages webhook: recorded against the outbox
row with Meta's code and staff's plain words on the supervisors' outbox page (131026 the person cannot get WhatsApp
messages, 131047 outside the 24-hour window with what to do); a passing failure (131000, 130429, 131049 after 24 hours
at the earliest) goes out again as a new try, bounded; repeats and late statuses change nothing; another agency sees
none of it. The end: the local Meta reports a failure to the live app and a real Celery worker sends the new try."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.fakes.meta_payloads import whatsapp_status
from messaging.models import OutboundMessage
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.conftest import APP_SECRET_A, PHONE_A
from tests.messaging.meta.helpers import PERSON, post, say

pytestmark = pytest.mark.django_db
OUTBOX_A, OUTBOX_B = "/a/alpha/staff/outbox/", "/a/beta/staff/outbox/"


def sent_row(client, agency, connection) -> OutboundMessage:
    say(client, "Hi")
    run_events(agency)
    deliver(agency, connection)
    row = OutboundMessage.objects.for_agency(agency).order_by("pk").first()
    assert row.state == "sent" and row.provider_message_id.startswith("wamid.")
    return row


def status(client, agency, wamid, state, code=None, title="Failure"):
    error = {"code": code, "title": title, "message": title, "error_data": {"details": title}} if code else None
    payload = whatsapp_status(PHONE_A, wamid, state, phone=PERSON, error=error)
    assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    run_events(agency)


def fresh(row) -> OutboundMessage:
    return OutboundMessage.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own row


def test_undeliverable_is_failed_with_plain_words_for_this_agency_only(
    client, client_for, agency_a, agency_b, staff_a, staff_b, whatsapp_a, whatsapp_b, meta
):
    row = sent_row(client, agency_a, whatsapp_a)
    status(client, agency_a, row.provider_message_id, "sent")
    status(client, agency_a, row.provider_message_id, "failed", 131026, "Message undeliverable")
    failed = fresh(row)
    assert (failed.state, failed.error_code, failed.retries) == ("failed", "131026", 0)
    status(client, agency_a, row.provider_message_id, "delivered")  # a late word: the failure stays
    assert fresh(row).state == "failed"
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "The person cannot get WhatsApp messages from the agency" in page
    assert "Error 131026" in page and "+1 •••• 1234" in page and PERSON not in page
    other = client_for(staff_b["supervisor"]).get(OUTBOX_B).content.decode()
    assert "131026" not in other and "•••• 1234" not in other
    spanish = client_for(staff_a["supervisor"]).get(OUTBOX_A, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "La persona no puede recibir mensajes de WhatsApp de la agencia" in spanish


def test_a_delivered_message_is_never_failed_or_sent_again(client, agency_a, whatsapp_a, meta):
    row = sent_row(client, agency_a, whatsapp_a)
    status(client, agency_a, row.provider_message_id, "delivered")
    status(client, agency_a, row.provider_message_id, "failed", 131000, "Something went wrong")
    assert (fresh(row).state, fresh(row).retries) == ("delivered", 0)


def test_a_passing_failure_goes_out_again_as_a_new_try_bounded(client, client_for, agency_a, staff_a, whatsapp_a, meta):
    row = sent_row(client, agency_a, whatsapp_a)
    sends = len(meta.sent("whatsapp"))
    first = row.provider_message_id
    before = timezone.now()
    status(client, agency_a, first, "failed", 131000, "Something went wrong")
    waiting = fresh(row)
    assert (waiting.state, waiting.retries, waiting.provider_message_id, waiting.error_code) == (
        "pending",
        1,
        "",
        "131000",
    )
    assert waiting.next_attempt_at >= before + timedelta(seconds=59)
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "WhatsApp had a temporary problem: the message is sent again later." in page
    assert "Waiting for a new try" in page
    # The same failure reported again, and the overtaken `sent`: the failed message is no longer the row's.
    status(client, agency_a, first, "sent")
    assert fresh(row).state == "pending" and fresh(row).retries == 1
    deliver(agency_a, whatsapp_a)
    assert len(meta.sent("whatsapp")) == sends  # not due yet
    for n in (2, 3):
        OutboundMessage.objects.unscoped().filter(pk=row.pk).update(next_attempt_at=timezone.now())
        deliver(agency_a, whatsapp_a)
        again = fresh(row)
        assert again.state == "sent" and again.provider_message_id not in ("", first)
        assert len(meta.sent("whatsapp")) == sends + n - 1
        status(client, agency_a, again.provider_message_id, "failed", 131000, "Something went wrong")
    final = fresh(row)
    assert (final.state, final.retries, final.attempts) == ("failed", 2, 3)


def test_sent_again_and_delivered_is_listed_with_its_earlier_failure(
    client, client_for, agency_a, staff_a, whatsapp_a, meta
):
    row = sent_row(client, agency_a, whatsapp_a)
    status(client, agency_a, row.provider_message_id, "failed", 131056, "Pair rate limit hit")
    OutboundMessage.objects.unscoped().filter(pk=row.pk).update(next_attempt_at=timezone.now())
    deliver(agency_a, whatsapp_a)
    status(client, agency_a, fresh(row).provider_message_id, "delivered")
    assert (fresh(row).state, fresh(row).retries) == ("delivered", 1)
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    listed = page[page.index('id="outbox-messaging"') :]
    assert "Sent again after an earlier try failed:" in listed and "Error 131056" in listed
    assert "Delivered" in listed


def test_per_person_limit_waits_a_day_and_the_window_says_what_to_do(
    client, client_for, agency_a, staff_a, whatsapp_a, meta
):
    row = sent_row(client, agency_a, whatsapp_a)
    status(client, agency_a, row.provider_message_id, "failed", 131049, "Healthy ecosystem engagement")
    assert fresh(row).next_attempt_at >= timezone.now() + timedelta(hours=23, minutes=59)
    from tests.messaging.meta.test_meta_outbound import _news

    _news(agency_a, "Report SPR-9 was closed.")
    deliver(agency_a, whatsapp_a)
    other = OutboundMessage.objects.for_agency(agency_a).get(purpose="news")
    status(client, agency_a, other.provider_message_id, "failed", 131047, "Re-engagement message")
    assert (fresh(other).state, fresh(other).error_code) == ("held", "131047")
    page = client_for(staff_a["admin"]).get(OUTBOX_A).content.decode()
    assert "More than 24 hours have passed since the person last wrote" in page
    assert "Send anyway or discard it on the channels page" in page
    assert "it is sent again after 24 hours at the earliest" in page


@pytest.mark.django_db(transaction=True)
def test_the_local_meta_reports_a_failure_and_the_worker_sends_it_again(
    live_asgi, celery_worker, agency_a, whatsapp_a, meta, monkeypatch
):
    """The fake Graph API accepts the reply, posts `sent` and `failed` 131000 (signed) to the running app's webhook;
    the app's worker records it and, after the wait, sends the new try, which Meta reports delivered."""
    from messaging import meta_errors
    from tests.messaging.meta.conftest import PHONE_A as ACCOUNT

    monkeypatch.setitem(meta_errors.CODES, 131000, (meta_errors.LATER, "temporary", 1))
    monkeypatch.setattr("messaging.services._retry_floor_seconds", lambda retries: 1)
    meta.auto_status = True
    meta.account("whatsapp", ACCOUNT).hook_url = f"{live_asgi.url}/hooks/alpha/whatsapp/"
    meta.control_fail_after(to=PERSON, code=131000, title="Something went wrong", times=1)
    assert meta.control_say("Hi", phone=PERSON, account=ACCOUNT)["status"] == 200
    deadline = time.monotonic() + 40
    rows = []
    while time.monotonic() < deadline:
        rows = list(OutboundMessage.objects.unscoped().filter(agency=agency_a, retries=1))
        if rows and rows[0].state == "delivered":
            break
        time.sleep(0.3)
    from messaging.models import InboundEvent

    assert rows and rows[0].state == "delivered", (
        [(r.state, r.error) for r in OutboundMessage.objects.unscoped().all()],
        [(h["url"], h["status"]) for h in meta.hooks],
        list(InboundEvent.objects.unscoped().values_list("status", "error")),
    )
    to_person = [call for call in meta.sent("whatsapp") if call["to"] == PERSON]
    # Each try goes with its own reference for Meta to echo (the row and the try): the rest is the row's payload.
    first_line = [
        call
        for call in to_person
        if {k: v for k, v in call["body"].items() if k != "biz_opaque_callback_data"} == rows[0].payload
    ]
    assert len(first_line) == 2  # the failed try and the new one, nothing more
