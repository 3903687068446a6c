"""Applicants' e-mails go through the notification outbox: written in the change's transaction, sent after it
commits, and when the mail server is down kept, retried and listed for supervisors instead of lost."""

from django.core import mail

from requests_app.models import Notification
from requests_app.services import notifications_deliver, notifications_deliver_run
from tenants.context import agency_context
from tests.conftest import free_port


def test_a_submission_e_mail_waits_in_the_outbox_while_the_server_is_down(
    submit, agency_a, staff_a, settings, client_for, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = submit()
    assert any("deliver_on_commit" in str(callback) for callback in callbacks)  # queued once it commits
    with agency_context(agency_a):
        [row] = Notification.objects.filter(recipient="pat@example.com")
        assert row.state == "pending" and not mail.outbox  # written with the submission, not sent yet
        run = notifications_deliver_run(agency=agency_a, notification_ids=[row.pk])  # what the queued task does
    row = Notification.objects.unscoped().get(pk=row.pk)  # unscoped: the test's own row
    assert run.failed == 1
    assert registration.reference in row.subject
    assert row.state == "failing" and row.last_error.startswith("ConnectionRefusedError")
    page = client_for(staff_a["supervisor"]).get("/a/alpha/staff/outbox/", {"state": "failing"})
    assert "p***@example.com" in page.text and registration.reference in page.text
    # The server is back and the row is due: sent once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with agency_context(agency_a):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
        assert notifications_deliver(agency=agency_a) == 1
        assert notifications_deliver(agency=agency_a) == 0
    assert [m.to for m in mail.outbox] == [["pat@example.com"]]
