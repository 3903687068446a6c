"""Emails to applicants, in the language they applied in. Called by the Celery task only."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from registrations.links import respond_url, resume_url, track_url
from registrations.models import Registration, RegistrationEvent
from registrations.selectors import form_title
from tenants.timezones import agency_time

logger = logging.getLogger(__name__)
KINDS = ("submitted", "status", "info_request", "resume_link")


def registration_notification_send(
    *, agency, registration_id: int, kind: str, event_id: int | None = None, email: str = ""
) -> bool:
    """Send one notification; returns False when there is nobody to send it to (or nothing to send)."""
    if kind not in KINDS:
        return False
    registration = (
        Registration.objects.for_agency(agency)
        .select_related("form", "form_version")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return False
    recipient = email if kind == "resume_link" else registration.applicant_email
    if not recipient:
        return False
    event = RegistrationEvent.objects.for_agency(agency).filter(pk=event_id, registration=registration).first()
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
        subject = " ".join(render_to_string(f"registrations/email/{kind}_subject.txt", context).split())
        body = render_to_string(f"registrations/email/{kind}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
    logger.info("Sent %s notification for registration %s", kind, registration.pk)
    return True
