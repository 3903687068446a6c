"""What every registration service shares: the errors shown to users, the row lock, the notification hook."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from registrations.engine import FieldError, FlowState
from registrations.models import Registration, RegistrationEvent


class RegistrationError(Exception):
    """A request that cannot be done in the registration's current state (shown to the user)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class FormClosed(RegistrationError):
    def __init__(self, message: str | None = None):
        super().__init__(message or _("This form is not open for applications right now."), "form_closed")


class SubmissionInvalid(Exception):
    def __init__(self, errors: Mapping[str, FieldError], state: FlowState | None = None):
        super().__init__("; ".join(f"{key}: {error.code}" for key, error in errors.items()))
        self.errors = dict(errors)
        self.state = state


def registration_locked(agency, registration: Registration) -> Registration:
    """The registration re-read inside the agency with its row locked (call inside a transaction)."""
    return Registration.objects.for_agency(agency).select_for_update().get(pk=registration.pk)


def notify_on_commit(registration: Registration, kind: str, event: RegistrationEvent | None = None, **extra) -> None:
    """The applicant's e-mail about this change, written to the notification outbox in the change's transaction
    and sent after it commits (nothing when the applicant left no address)."""
    from registrations.notifications import registration_notification_queue
    from requests_app.services.delivery import deliver_on_commit

    agency = registration.agency
    row = registration_notification_queue(
        agency=agency, registration=registration, kind=kind, event=event, email=extra.get("email", "")
    )
    if row is not None:
        deliver_on_commit(agency=agency, notification_ids=[row.pk])
