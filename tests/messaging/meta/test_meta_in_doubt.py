"""A WhatsApp or Messenger line whose worker died mid-send is settled by what Meta posts about the message: each try
goes out with its outbox row and try as `biz_opaque_callback_data` (WhatsApp; Meta echoes it in the message's
statuses: sent, delivered, read, failed) or `message.metadata` (Messenger; Meta gives it back in the message's echo,
`message_echoes`). A real Celery worker is SIGKILLed while the local Graph API holds back its answer; the statuses or
the echo then come (while the row is still `sending`, or after it was marked `unknown` for staff) and the row ends
`delivered` with Meta's id, audited, never sent again. A status of another try, of another person, or posted to
another agency's webhook settles nothing."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from messaging.fakes.meta_payloads import whatsapp_status
from messaging.models import ChannelIdentity, InboundEvent, OutboundMessage
from messaging.outbox import outbound_queue
from messaging.providers.base import Outgoing
from tenants.context import agency_context
from tests.messaging.celery_workers import LEASE_SECONDS, wait_for
from tests.messaging.conftest import deliver, run_events
from tests.messaging.meta.conftest import PAGE_A, PAGE_B, PHONE_A, PHONE_B
from tests.messaging.meta.helpers import PERSON

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]
TEXT = "Boil-water notice: boil tap water for one minute before drinking."
OUTBOX_A = "/a/alpha/staff/outbox/"


def _queue(agency, text: str = TEXT, *, kind: str = "whatsapp", person: str = PERSON) -> OutboundMessage:
    """An alert line for the person, queued as the fan-out does; its delivery task goes on commit."""
    with agency_context(agency), transaction.atomic():
        identity = ChannelIdentity.objects.create(agency=agency, kind=kind, external_id=person)
        outbound_queue(
            agency_id=agency.pk,
            identity=identity,
            outgoing=Outgoing(recipient=person, text=text, last_inbound_at=timezone.now()),
            dedupe_key="alert:killed",
            purpose=OutboundMessage.Purpose.ALERT,
        )
    return OutboundMessage.objects.unscoped().get(agency=agency, dedupe_key="alert:killed:0")  # unscoped: the test's


def _fresh(row) -> OutboundMessage:
    return OutboundMessage.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own row


def _killed_mid_send(
    agency, meta, workers, *, kind="whatsapp", person=PERSON, **options
) -> tuple[OutboundMessage, dict]:
    """A real worker takes the line to the local Graph API, which keeps it and holds back its answer; the worker is
    SIGKILLed before the answer comes. Returns the row (`sending`, no message id) and the message Meta has."""
    meta.stall_next()
    worker = workers("sender", **options)
    row = _queue(agency, kind=kind, person=person)
    assert meta.stalled.wait(60), worker.log_path.read_text()
    worker.kill()
    meta.release()
    row = _fresh(row)
    assert row.state == "sending" and row.attempts == 1 and row.provider_message_id == ""
    [taken] = meta.sent(kind)
    return row, taken


def _settled(row, label: str = "WhatsApp") -> list:
    from auditlog.models import LogEntry

    return list(
        LogEntry.objects.get_for_object(row.identity)
        .filter(changes__icontains=f"settled by {label}")
        .values_list("changes", flat=True)
    )


def test_statuses_that_come_while_the_dead_workers_lease_runs_settle_the_row(
    live_asgi, agency_a, whatsapp_a, meta, workers
):
    meta.account("whatsapp", PHONE_A).hook_url = f"{live_asgi.url}/hooks/alpha/whatsapp/"
    meta.auto_status = True  # Meta posts `sent` and `delivered` (signed) to the app once it has answered
    row, taken = _killed_mid_send(agency_a, meta, workers, lease_seconds=120)
    wait_for(
        lambda: InboundEvent.objects.unscoped().filter(agency=agency_a).count() >= 2, 30, "the statuses"
    )  # unscoped: the test's
    assert _fresh(row).lease_until > timezone.now()  # the dead worker's claim still runs
    run_events(agency_a)  # what the drain does with them
    settled = _fresh(row)
    assert (settled.state, settled.provider_message_id, settled.lease_until) == ("delivered", taken["id"], None)
    assert len(_settled(settled)) == 1
    deliver(agency_a, whatsapp_a)  # a delivery run finds nothing to send, or to look up
    time.sleep(0.5)
    assert len(meta.sent("whatsapp")) == 1 and _fresh(row).state == "delivered"
    assert taken["body"]["biz_opaque_callback_data"] == f"civicdesk-outbox:{row.pk}:1"  # the row and its try


def test_a_row_marked_unknown_is_settled_by_its_status_and_another_agencys_webhook_changes_nothing(
    live_asgi, client_for, agency_a, agency_b, staff_a, whatsapp_a, whatsapp_b, meta, workers
):
    row, taken = _killed_mid_send(agency_a, meta, workers)  # no webhook yet: Meta's statuses are late
    time.sleep(LEASE_SECONDS + 0.5)
    deliver(agency_a, whatsapp_a)  # the lease ran out: WhatsApp cannot be asked, staff are
    assert _fresh(row).state == "unknown" and len(meta.sent("whatsapp")) == 1

    # Agency B's webhook (its number, its app secret) carrying agency A's reference: nothing moves.
    meta.account("whatsapp", PHONE_B).hook_url = f"{live_asgi.url}/hooks/beta/whatsapp/"
    forged = whatsapp_status(
        PHONE_B, taken["id"], "delivered", phone=PERSON, callback_data=taken["body"].get("biz_opaque_callback_data", "")
    )
    assert meta.post_webhook(meta.account("whatsapp", PHONE_B), forged).status_code == 200
    run_events(agency_b)
    assert (_fresh(row).state, _fresh(row).provider_message_id) == ("unknown", "")
    assert not OutboundMessage.objects.unscoped().filter(agency=agency_b).exists()  # unscoped: the test's

    # Meta's own statuses, to agency A's webhook, with the reference echoed.
    meta.account("whatsapp", PHONE_A).hook_url = f"{live_asgi.url}/hooks/alpha/whatsapp/"
    assert meta.report(taken["id"]) == [200, 200]
    run_events(agency_a)
    settled = _fresh(row)
    assert (settled.state, settled.provider_message_id, settled.error) == ("delivered", taken["id"], "")
    [audit] = _settled(settled)
    assert audit["message in doubt"][0] == f"#{row.pk} (alert) unknown"
    assert settled.settled_by == "status"
    deliver(agency_a, whatsapp_a)
    assert len(meta.sent("whatsapp")) == 1  # exactly once
    # The supervisors' outbox page says what became of it, with no buttons to send it again.
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "the provider&#x27;s status report showed that WhatsApp had it, so it was not sent again." in page
    assert 'value="messaging_resend"' not in page and "+1 •••• 1234" in page


def test_a_status_of_an_earlier_try_or_for_another_person_settles_nothing(client, agency_a, whatsapp_a, meta):
    """The row's second try is in doubt: a late status of its first try (failed and sent again since), or a status
    naming another person, leaves it for staff."""
    from tests.messaging.meta.conftest import APP_SECRET_A
    from tests.messaging.meta.helpers import post

    row = _queue(agency_a)
    OutboundMessage.objects.unscoped().filter(pk=row.pk).update(state="unknown", attempts=2)  # unscoped: the test's
    first_try = whatsapp_status(
        PHONE_A, "wamid.first", "sent", phone=PERSON, callback_data=f"civicdesk-outbox:{row.pk}:1"
    )
    someone_else = whatsapp_status(
        PHONE_A, "wamid.other", "delivered", phone="16505550000", callback_data=f"civicdesk-outbox:{row.pk}:2"
    )
    for payload in (first_try, someone_else):
        assert post(client, "alpha", "whatsapp", payload, APP_SECRET_A).status_code == 200
    run_events(agency_a)
    assert (_fresh(row).state, _fresh(row).provider_message_id) == ("unknown", "")
    right = whatsapp_status(PHONE_A, "wamid.second", "sent", phone=PERSON, callback_data=f"civicdesk-outbox:{row.pk}:2")
    assert post(client, "alpha", "whatsapp", right, APP_SECRET_A).status_code == 200
    run_events(agency_a)
    assert (_fresh(row).state, _fresh(row).provider_message_id) == ("sent", "wamid.second")


def test_a_messenger_line_marked_unknown_is_settled_by_its_echo_and_another_pages_echo_changes_nothing(
    live_asgi, client_for, agency_a, agency_b, staff_a, messenger_a, messenger_b, meta, workers
):
    """Messenger's delivery webhooks name mids only; the message's echo carries the metadata it was sent with."""
    from messaging.fakes.meta_payloads import messenger_echo

    psid = "24681357902468"
    row, taken = _killed_mid_send(agency_a, meta, workers, kind="messenger", person=psid)
    time.sleep(LEASE_SECONDS + 0.5)
    deliver(agency_a, messenger_a)
    assert _fresh(row).state == "unknown" and len(meta.sent("messenger")) == 1

    # Agency B's page posting the echo of agency A's message: nothing moves.
    meta.account("messenger", PAGE_B).hook_url = f"{live_asgi.url}/hooks/beta/messenger/"
    forged = messenger_echo(PAGE_B, psid, taken["id"], taken["body"])
    assert meta.post_webhook(meta.account("messenger", PAGE_B), forged).status_code == 200
    run_events(agency_b)
    assert (_fresh(row).state, _fresh(row).provider_message_id) == ("unknown", "")

    meta.account("messenger", PAGE_A).hook_url = f"{live_asgi.url}/hooks/alpha/messenger/"
    assert meta.report(taken["id"]) == [200, 200]  # the echo, then the delivery (which names the mid)
    run_events(agency_a)
    settled = _fresh(row)
    assert (settled.state, settled.provider_message_id, settled.settled_by) == ("delivered", taken["id"], "status")
    assert taken["body"]["message"]["metadata"] == f"civicdesk-outbox:{row.pk}:1"
    [audit] = _settled(settled, "Messenger")
    assert audit["message in doubt"][0] == f"#{row.pk} (alert) unknown"
    deliver(agency_a, messenger_a)
    assert len(meta.sent("messenger")) == 1  # exactly once
