"""The notification outbox records why a send failed, retries on a schedule, gives up after the last attempt or
at once on a permanent refusal, and a failing row never holds up the others. Over a real SMTP conversation with a
local server (tests/smtp_server.py) and a port nothing listens on."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from requests_app.models import Notification
from requests_app.services import notifications_deliver, notifications_deliver_run
from tenants.context import agency_context
from tests.conftest import free_port

GOOD, BAD, LATER = "ann@example.org", "nobody@example.org", "busy@example.org"


@pytest.fixture
def smtp(settings):
    from tests.smtp_server import SMTPServer

    server = SMTPServer()
    server.configure(settings)
    settings.NOTIFICATION_RETRY_SECONDS = 60
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    yield server
    server.stop()


def queue(agency, *recipients, channel="email"):
    with agency_context(agency):
        return [
            Notification.objects.create(
                agency=agency, channel=channel, recipient=r, subject=f"News for {r}", body="Secret body text"
            )
            for r in recipients
        ]


def fresh(row) -> Notification:
    return Notification.objects.unscoped().get(pk=row.pk)  # unscoped: a test reads back its own row


def test_a_5xx_refusal_is_given_up_at_once_with_the_reason_and_the_others_go(agency_a, smtp):
    smtp.refuse[BAD] = f"550 5.1.1 <{BAD}>: Recipient address rejected: User unknown"
    refused, good = queue(agency_a, BAD, GOOD)
    with agency_context(agency_a), pytest.raises(smtplib.SMTPRecipientsRefused):
        notifications_deliver(agency=agency_a)
    refused, good = fresh(refused), fresh(good)
    assert good.sent_at is not None and len(smtp.to(GOOD)) == 1
    assert refused.sent_at is None and refused.given_up_at is not None and refused.permanent
    assert refused.attempts == 1 and refused.next_attempt_at is None and refused.state == "given_up"
    assert refused.last_error.startswith("SMTP: recipient refused: 550 5.1.1")
    assert BAD not in refused.last_error and "[email]" in refused.last_error  # the address is masked
    assert "Secret body" not in refused.last_error
    with agency_context(agency_a):
        assert notifications_deliver(agency=agency_a) == 0  # given up: not tried again
    assert fresh(refused).attempts == 1


def test_a_4xx_refusal_waits_its_turn_and_does_not_block_the_others(agency_a, smtp):
    smtp.refuse[LATER] = "451 4.7.1 Try again later"
    busy = queue(agency_a, LATER)[0]
    with agency_context(agency_a):
        run = notifications_deliver_run(agency=agency_a)
    busy = fresh(busy)
    assert (run.sent, run.failed) == (0, 1)
    assert busy.state == "failing" and not busy.permanent and busy.given_up_at is None
    assert busy.last_error == "SMTP: recipient refused: 451 4.7.1 Try again later"
    wait = (busy.next_attempt_at - busy.last_attempt_at).total_seconds()
    assert wait == 60 and run.next_due == busy.next_attempt_at
    # New mail goes out while the failing row waits (an agency-wide run takes only what is due).
    later = queue(agency_a, GOOD)[0]
    with agency_context(agency_a):
        assert notifications_deliver(agency=agency_a) == 1
    assert fresh(later).sent_at is not None and fresh(busy).attempts == 1
    # Due again, the server takes it now: sent once.
    del smtp.refuse[LATER]
    Notification.objects.unscoped().filter(pk=busy.pk).update(next_attempt_at=timezone.now())  # unscoped: test
    with agency_context(agency_a):
        assert notifications_deliver(agency=agency_a) == 1
        assert notifications_deliver(agency=agency_a) == 0
    busy = fresh(busy)
    assert busy.state == "sent" and busy.attempts == 2 and len(smtp.to(LATER)) == 1


def test_a_server_that_is_down_is_retried_with_backoff_then_given_up(agency_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.NOTIFICATION_RETRY_SECONDS, settings.NOTIFICATION_MAX_ATTEMPTS = 60, 3
    row = queue(agency_a, GOOD)[0]
    waits = []
    for _attempt in range(3):
        with agency_context(agency_a):
            run = notifications_deliver_run(agency=agency_a)
        assert run.failed == 1 and isinstance(run.failure, ConnectionRefusedError)
        row = fresh(row)
        if row.next_attempt_at:
            waits.append((row.next_attempt_at - row.last_attempt_at).total_seconds())
            Notification.objects.unscoped().filter(pk=row.pk).update(next_attempt_at=timezone.now())  # unscoped
    assert waits == [60, 120]  # doubling
    assert row.state == "given_up" and row.attempts == 3 and not row.permanent
    assert row.last_error.startswith("ConnectionRefusedError: [Errno 111]")
    with agency_context(agency_a):
        assert notifications_deliver_run(agency=agency_a).failed == 0  # no fourth try
    assert fresh(row).attempts == 3


def test_a_report_run_takes_its_failing_rows_along_in_order(agency_a, catalogue_a, smtp):
    from tests.requests_app.test_routing import file

    request = file(agency_a)
    with agency_context(agency_a):
        first = Notification.objects.create(
            agency=agency_a, request=request, recipient=GOOD, subject="First", body="b", attempts=1
        )
        Notification.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
        assert notifications_deliver(agency=agency_a) == 0  # not due for the sweep
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1
    assert fresh(first).state == "sent"


def test_a_text_to_a_number_twilio_refuses_is_given_up_and_a_503_retried(agency_a, settings):
    from tests.sms_server import SMSGateway

    gateway = SMSGateway()
    gateway.configure(settings)
    try:
        gateway.reject.add("+12175550199")
        refused, later = queue(agency_a, "+12175550199", "+12175550123", channel="sms")
        with agency_context(agency_a):
            notifications_deliver_run(agency=agency_a)
        refused = fresh(refused)
        assert refused.state == "given_up" and refused.permanent and "21211" in refused.last_error
        assert "0199" not in refused.last_error
        assert fresh(later).state == "sent"
        gateway.fail = True
        down = queue(agency_a, "+12175550124", channel="sms")[0]
        with agency_context(agency_a):
            notifications_deliver_run(agency=agency_a)
        down = fresh(down)
        assert down.state == "failing" and not down.permanent and "503" in down.last_error
        # A number that sent STOP to the agency: given up at once, saying so, and not an error of the run.
        from messaging.models import ChannelIdentity

        with agency_context(agency_a):
            ChannelIdentity.objects.create(agency=agency_a, kind="sms", external_id="+12175550125", opted_out=True)
        stopped = queue(agency_a, "+12175550125", channel="sms")[0]
        Notification.objects.unscoped().filter(pk=down.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
        with agency_context(agency_a):
            assert notifications_deliver(agency=agency_a) == 0  # no exception
        stopped = fresh(stopped)
        assert stopped.state == "given_up" and stopped.permanent and "STOP" in stopped.last_error
        assert len(gateway.messages) == 1  # only the text that went out before
    finally:
        gateway.stop()
