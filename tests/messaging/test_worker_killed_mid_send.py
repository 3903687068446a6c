"""A real Celery worker is SIGKILLed in the middle of a send: the local provider has taken the message and is
holding back its answer. The message is not sent twice, and not lost silently:

- SMS (Twilio): once the killed worker's lease has run out, the beat sweep's delivery run (a second real worker)
  finds the text in Twilio's message list and records it sent, with Twilio's sid; nothing is sent again.
- Telegram (nothing to look up): the row becomes `unknown`; the supervisors' outbox page says to check before
  sending it again and offers "Send it again" (audited), which sends it once more on purpose.
"""

import time

import pytest
from django.db import transaction

from messaging.models import ChannelIdentity, OutboundMessage
from messaging.outbox import outbound_queue
from messaging.providers.base import Outgoing
from tenants.context import agency_context
from tests.messaging.celery_workers import LEASE_SECONDS
from tests.messaging.celery_workers import wait_for as _wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]
PERSON_SMS, PERSON_TELEGRAM = "+15557654321", "42"


def _queue(agency, kind: str, external_id: str, text: str) -> OutboundMessage:
    """An alert line for the person, queued as the fan-out does; its delivery task goes to the broker on commit."""
    with agency_context(agency), transaction.atomic():
        identity = ChannelIdentity.objects.create(agency=agency, kind=kind, external_id=external_id)
        outbound_queue(
            agency_id=agency.pk,
            identity=identity,
            outgoing=Outgoing(recipient=external_id, text=text),
            dedupe_key="alert:killed",
            purpose=OutboundMessage.Purpose.ALERT,
        )
    return OutboundMessage.objects.unscoped().get(agency=agency, dedupe_key="alert:killed:0")  # unscoped: the test's


def _killed_mid_send(agency, server, workers, kind: str, external_id: str, text: str) -> OutboundMessage:
    """Queue the line, let a real worker take it to the provider, and SIGKILL it before the answer comes."""
    server.stall_next()
    worker = workers("sender")
    row = _queue(agency, kind, external_id, text)
    assert server.stalled.wait(60), worker.log_path.read_text()  # the provider has the message, its answer held
    worker.kill()
    server.release()
    row.refresh_from_db()
    assert row.state == "sending" and row.attempts == 1 and row.provider_message_id == ""  # not lost: claimed
    time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
    return row


def _sweep_with_a_new_worker(row, workers):
    """Beat's sweep on a fresh worker: it queues the delivery run that settles the row."""
    from messaging.tasks import sweep

    workers("after")
    sweep.delay()
    return _wait_for(
        lambda: OutboundMessage.objects.unscoped().filter(pk=row.pk).exclude(state="sending").first(),  # unscoped: ours
        90,
        "the row to be settled",
    )


def test_an_sms_taken_by_twilio_before_its_worker_was_killed_is_found_not_sent_again(agency_a, twilio, sms_a, workers):
    text = "Flash flood warning: move to higher ground now."
    row = _killed_mid_send(agency_a, twilio, workers, "sms", PERSON_SMS, text)
    assert [message["body"] for message in twilio.messages] == [text]
    settled = _sweep_with_a_new_worker(row, workers)
    assert settled.state == "sent" and settled.provider_message_id == twilio.messages[0]["sid"]
    assert len(twilio.messages) == 1 and len(twilio.sent(PERSON_SMS)) == 1  # exactly once
    assert settled.attempts == 1


def test_a_telegram_message_whose_worker_was_killed_is_marked_unknown_for_staff_not_resent(
    agency_a, staff_a, telegram, telegram_a, workers, client_for
):
    from auditlog.models import LogEntry

    text = "Flash flood warning: move to higher ground now."
    row = _killed_mid_send(agency_a, telegram, workers, "telegram", PERSON_TELEGRAM, text)
    assert len(telegram.sent(PERSON_TELEGRAM)) == 1
    settled = _sweep_with_a_new_worker(row, workers)
    assert settled.state == "unknown" and settled.provider_message_id == ""
    time.sleep(1.0)
    assert len(telegram.sent(PERSON_TELEGRAM)) == 1  # not sent blindly a second time
    # Staff see it, with what to do, and decide.
    client = client_for(staff_a["supervisor"])
    page = client.get("/a/alpha/staff/outbox/").content.decode()
    assert "cannot be asked whether it got it" in page and 'value="messaging_resend"' in page
    response = client.post(
        "/a/alpha/staff/outbox/", {"action": "messaging_resend", "outbound": str(row.pk)}, follow=True
    )
    assert "The message goes out again now." in response.content.decode()
    _wait_for(lambda: len(telegram.sent(PERSON_TELEGRAM)) == 2, 60, "the resend staff asked for")
    resent = _wait_for(
        lambda: OutboundMessage.objects.unscoped().filter(pk=row.pk, state="sent").first(),  # unscoped: ours
        30,
        "the resent row to be recorded",
    )
    assert resent.provider_message_id
    decision = LogEntry.objects.get_for_object(resent.identity).filter(changes__icontains="message in doubt")
    assert decision.get().actor == staff_a["supervisor"]
