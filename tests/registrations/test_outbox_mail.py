"""Applicants' e-mails go through the notification outbox: written in the change's transaction, sent after it
commits, and when the mail server is down kept, retried and listed for supervisors instead of lost."""

from django.core import mail

from requests_app.models import Notification
from requests_app.services import notifications_deliver, notifications_deliver_run
from tenants.context import agency_context
from tests.conftest import free_port
from tests.registrations.conftest import VOTER_ANSWERS

PDF = "JVBERi0xLjQKJSBhIHRlc3QgZmlsZQolJUVPRgo="  # "%PDF-1.4\n% a test file\n%%EOF\n"


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


def _confirmation(agency, registration):
    with agency_context(agency):
        [row] = Notification.objects.filter(recipient="pat@example.com")
        notifications_deliver_run(agency=agency, notification_ids=[row.pk])
    [message] = [m for m in mail.outbox if registration.reference in m.subject]
    return message


def test_the_confirmation_lists_the_answers_in_the_applicants_language_masked_as_staff_see_them(voter_form, agency_a):
    from registrations.services import registration_create

    answers = {**VOTER_ANSWERS, "full_name": "Pat O'Brien <b>"}
    with agency_context(agency_a):
        registration = registration_create(agency=agency_a, form=voter_form, answers=answers, language="fr")
    message = _confirmation(agency_a, registration)
    text = message.body
    # Question, then its answer under it; the date written out in French; the SSN masked as on the staff page.
    assert "Vos réponses" in text
    assert "Date de naissance\n    27 mars 1990\n" in text
    assert "Numéro de sécurité sociale\n    •••• 6789\n" in text
    assert "123-45-6789" not in text and "6789" in text
    assert "1 Main St, Springfield, IL 62701" in text
    assert "Pat O'Brien <b>" in text  # plain text is not HTML-escaped
    assert "Les réponses sensibles sont en partie masquées" in text
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and '<html lang="fr" dir="ltr">' in html
    assert "<dt" in html and "Date de naissance</dt>" in html and "<bdi>27 mars 1990</bdi>" in html
    assert "<bdi>•••• 6789</bdi>" in html and "123-45-6789" not in html
    assert "Pat O&#x27;Brien &lt;b&gt;" in html and "<b>" not in html


def test_the_confirmation_in_arabic_is_right_to_left_and_names_no_hidden_answers(voter_form, agency_a):
    from registrations.services import registration_create

    answers = {**VOTER_ANSWERS, "id_type": "none", "ssn": None}
    answers.pop("ssn")
    answers["proof_document"] = {"name": "bill-march.pdf", "content_base64": PDF}
    with agency_context(agency_a):
        registration = registration_create(agency=agency_a, form=voter_form, answers=answers, language="ar")
    message = _confirmation(agency_a, registration)
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="ar" dir="rtl">' in html
    assert "٢٧" in message.body or "27" in message.body  # the date, as the Arabic pages write it
    # The document is a sensitive answer in this form: masked, never its name (and never attached).
    assert "bill-march.pdf" not in message.body and "bill-march.pdf" not in html
    assert not message.attachments
