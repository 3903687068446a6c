"""Staff work on submitted applications: the workflow's transitions, notes, and the applicant's answers
to requests for more information."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registrations.models import Channel, EventKind, Registration, RegistrationEvent, Status, new_nonce
from registrations.services.common import RegistrationError, notify_on_commit, registration_locked

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.NEEDS_INFO, Status.APPROVED, Status.REJECTED}),
    Status.IN_REVIEW: frozenset({Status.NEEDS_INFO, Status.APPROVED, Status.REJECTED}),
    Status.NEEDS_INFO: frozenset({Status.IN_REVIEW, Status.REJECTED}),
    Status.APPROVED: frozenset(),
    Status.REJECTED: frozenset(),
}
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO)
MAX_RESPONSE = 5000
MAX_NOTE = 2000


def _clean_note(text: str, limit: int = MAX_NOTE) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError(_("Keep notes under %(limit)d characters.") % {"limit": limit})
    return text


def allowed_transitions(registration: Registration) -> frozenset[str]:
    return TRANSITIONS.get(registration.status, frozenset())


@transaction.atomic
def registration_transition(
    *, agency, actor, registration: Registration, to_status: str, public_note: str = "", staff_note: str = ""
) -> Registration:
    """Move a registration along its workflow. Asking for more information needs the question
    (the public note); the applicant is emailed a link to answer it."""
    registration = registration_locked(agency, registration)
    if to_status not in allowed_transitions(registration):
        raise RegistrationError(
            _("A registration that is “%(status)s” cannot become “%(target)s”.")
            % {"status": registration.get_status_display(), "target": Status(to_status).label}
            if to_status in Status.values
            else _("Unknown status."),
            "bad_transition",
        )
    public_note, staff_note = _clean_note(public_note), _clean_note(staff_note)
    if to_status == Status.NEEDS_INFO and not public_note:
        raise ValidationError({"public_note": _("Say what information you need; the applicant will see it.")})
    event = RegistrationEvent(
        agency=agency,
        registration=registration,
        kind=EventKind.INFO_REQUEST if to_status == Status.NEEDS_INFO else EventKind.STATUS,
        from_status=registration.status,
        to_status=to_status,
        public_note=public_note,
        staff_note=staff_note,
        actor=actor,
    )
    registration.status = to_status
    if to_status == Status.NEEDS_INFO:
        registration.resume_nonce = new_nonce()  # earlier answer links stop working
    registration.full_clean()
    registration.save()
    event.full_clean()
    event.save()
    notify_on_commit(registration, "info_request" if to_status == Status.NEEDS_INFO else "status", event)
    return registration


@transaction.atomic
def registration_note_add(*, agency, actor, registration: Registration, staff_note: str) -> RegistrationEvent:
    registration = registration_locked(agency, registration)
    staff_note = _clean_note(staff_note)
    if not staff_note:
        raise ValidationError({"staff_note": _("Write the note first.")})
    event = RegistrationEvent(
        agency=agency, registration=registration, kind=EventKind.NOTE, staff_note=staff_note, actor=actor
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def registration_info_provide(
    *, agency, registration: Registration, response: str, actor=None, channel: str = Channel.WEB
) -> Registration:
    """The applicant answers a request for information (the emailed link); review resumes."""
    registration = registration_locked(agency, registration)
    if registration.status != Status.NEEDS_INFO:
        raise RegistrationError(_("Nothing is needed from you for this application right now."), "not_needed")
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": _("Write your answer first.")})
    if len(response) > MAX_RESPONSE:
        raise ValidationError({"response": _("Keep your answer under %(limit)d characters.") % {"limit": MAX_RESPONSE}})
    event = RegistrationEvent(
        agency=agency,
        registration=registration,
        kind=EventKind.INFO_RESPONSE,
        from_status=Status.NEEDS_INFO,
        to_status=Status.IN_REVIEW,
        citizen_response=response,
        staff_note=_("Answered by the applicant (%(channel)s).") % {"channel": Channel(channel).label},
        actor=actor,
    )
    registration.status = Status.IN_REVIEW
    registration.full_clean()
    registration.save()
    event.full_clean()
    event.save()
    return registration
