"""Emails to applicants, in the language they applied in, through the notification outbox (`requests_app`'s
`Notification`: exactly once per change, retried, listed for supervisors on /a/<slug>/staff/outbox/)."""

import logging

from django.template.loader import render_to_string
from django.utils import translation

from registrations.links import respond_url, resume_url, track_url
from registrations.models import Registration, RegistrationEvent
from registrations.selectors import form_title
from tenants.timezones import agency_time

logger = logging.getLogger(__name__)
KINDS = ("submitted", "status", "info_request", "resume_link")
HTML_KINDS = ("submitted",)  # also sent as HTML (the answers as a list of questions and answers)


def registration_notification_send(
    *, agency, registration_id: int, kind: str, event_id: int | None = None, email: str = ""
) -> bool:
    """Queue one notification in the outbox and send it now; returns False when there is nobody to send it to
    (or nothing to send). A send that fails stays in the outbox, retried on its schedule (the staff outbox page)."""
    from requests_app.services.delivery import notifications_deliver_run

    registration = Registration.objects.for_agency(agency).filter(pk=registration_id).first()
    if registration is None:
        return False
    event = RegistrationEvent.objects.for_agency(agency).filter(pk=event_id, registration=registration).first()
    row = registration_notification_queue(agency=agency, registration=registration, kind=kind, event=event, email=email)
    if row is None:
        return False
    notifications_deliver_run(agency=agency, notification_ids=[row.pk])
    return True


def submitted_answers(registration: Registration) -> list:
    """The applicant's answers for their confirmation, as the staff page shows them to a role that may not
    reveal: each visible step's questions with the answers under them, in the applicant's language (dates
    written out: "27 mars 1990"), sensitive answers masked ("•••• 6789"), a document by its name only. Steps
    with nothing shown are left out; an optional question left blank reads "—"."""
    from registrations.selectors import registration_answer_sections

    sections = registration_answer_sections(registration=registration, reveal=False, lang=registration.language)
    return [
        {
            "title": section.title,
            "rows": [{"label": row.label, "lines": _lines(row), "masked": row.masked} for row in section.rows],
        }
        for section in sections
        if section.rows
    ]


def _lines(row) -> list[str]:
    shown = row.file_name if row.file_name and not row.masked else row.display
    return (shown or "").splitlines() or ["—"]


def language_direction() -> str:
    return "rtl" if translation.get_language_bidi() else "ltr"


def registration_notification_queue(*, agency, registration: Registration, kind: str, event=None, email: str = ""):
    """The e-mail about `registration` written to the notification outbox (in the caller's transaction, so it
    leaves exactly when the change commits), in the applicant's language; None when there is nobody to send it
    to. The outbox sends it, retries it and shows it to supervisors."""
    from requests_app.models import Notification

    if kind not in KINDS:
        return None
    recipient = email if kind == "resume_link" else registration.applicant_email
    if not recipient:
        return None
    with translation.override(registration.language), agency_time(agency):
        context = {
            "agency": agency,
            "registration": registration,
            "event": event,
            "form_title": form_title(registration.form, registration.form_version, registration.language),
            "track_url": track_url(registration) if registration.reference else "",
        }
        if kind == "resume_link":
            context["resume_url"] = resume_url(registration)
        if kind == "info_request":
            context["respond_url"] = respond_url(registration)
        if kind == "submitted":
            context["answers"] = submitted_answers(registration)
            context["answers_hidden"] = any(row["masked"] for section in context["answers"] for row in section["rows"])
            context["language"], context["direction"] = translation.get_language(), language_direction()
        subject = " ".join(render_to_string(f"registrations/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"registrations/email/{kind}.txt", context)
        html = render_to_string(f"registrations/email/{kind}.html", context) if kind in HTML_KINDS else ""
    row = Notification.objects.create(
        agency=agency,
        channel=Notification.Channel.EMAIL,
        recipient=recipient,
        subject=subject[:250],
        body=body,
        html_body=html,
    )
    logger.info("Queued %s notification %s for registration %s", kind, row.pk, registration.pk)
    return row
