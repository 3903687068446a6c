"""Writes of registrations. Import from here: `from registrations import services` / `from registrations.services import …`.

Every function takes the agency explicitly, runs in one transaction, validates with `full_clean()`,
and queues notifications with `transaction.on_commit`. Status changes happen only here.
"""

from registrations.services.common import FormClosed, RegistrationError, SubmissionInvalid
from registrations.services.drafts import (
    registration_drafts_purge,
    registration_resume_link_send,
    registration_save_progress,
    registration_start,
)
from registrations.services.files import (
    Upload,
    file_answer,
    registration_file_store,
    safe_filename,
    sniff_content_type,
    upload_check,
)
from registrations.services.forms import (
    RESERVED_FORM_SLUGS,
    form_current_version,
    form_definition_create,
    form_definition_department_set,
    form_definition_publish,
    form_definition_unpublish,
    form_definition_update,
    form_open_version,
    form_version_retire,
)
from registrations.services.review import (
    OPEN_STATUSES,
    TRANSITIONS,
    allowed_transitions,
    registration_info_provide,
    registration_note_add,
    registration_transition,
)
from registrations.services.submission import reference_next, registration_create, registration_submit

__all__ = [
    "OPEN_STATUSES",
    "RESERVED_FORM_SLUGS",
    "TRANSITIONS",
    "FormClosed",
    "RegistrationError",
    "SubmissionInvalid",
    "Upload",
    "allowed_transitions",
    "file_answer",
    "form_current_version",
    "form_definition_create",
    "form_definition_department_set",
    "form_definition_publish",
    "form_definition_unpublish",
    "form_definition_update",
    "form_open_version",
    "form_version_retire",
    "reference_next",
    "registration_create",
    "registration_drafts_purge",
    "registration_file_store",
    "registration_info_provide",
    "registration_note_add",
    "registration_resume_link_send",
    "registration_save_progress",
    "registration_start",
    "registration_submit",
    "registration_transition",
    "safe_filename",
    "sniff_content_type",
    "upload_check",
]
