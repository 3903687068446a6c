"""Writes for registrations: form definitions and versions, drafts, submission, transitions, files.

Every function takes the agency explicitly, runs in one transaction, validates with `full_clean()`,
and queues notifications with `transaction.on_commit`. Status changes happen only here.
"""

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.crypto import encrypt_bytes
from registrations.engine import (
    DefinitionError,
    FieldError,
    FlowState,
    FormSpec,
    load_definition,
    localize,
    normalize_language,
)
from registrations.flows import agency_today, flow_for, spec_for, state_for
from registrations.models import (
    Channel,
    EventKind,
    FormDefinition,
    FormVersion,
    Registration,
    RegistrationEvent,
    RegistrationFile,
    Status,
    new_nonce,
)
from tenants.sequences import yearly_number

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


# --- reference numbers ------------------------------------------------------------------------------
def agency_prefix(agency) -> str:
    return (re.sub(r"[^a-z]", "", agency.slug)[:3] or "agy").upper()


def reference_next(*, agency, year: int) -> str:
    """The next reference of the agency and year, e.g. REV-REG-2026-000045 (the agency's yearly
    sequence: unique, never waiting on another submission)."""
    value = yearly_number(kind="registrations", agency_id=agency.pk, year=year)
    return f"{agency_prefix(agency)}-REG-{year}-{value:06d}"


# --- form definitions ----------------------------------------------------------------------------------
def _spec_or_error(definition: Any) -> FormSpec:
    try:
        return load_definition(definition)
    except DefinitionError as exc:
        raise ValidationError({"definition": exc.errors}) from exc


def _sync_titles(form: FormDefinition, spec: FormSpec) -> None:
    form.title = localize(spec.title, "en")[:200]
    form.description = localize(spec.description, "en")


RESERVED_FORM_SLUGS = {"resume", "respond", "new", "forms", "export"}


@transaction.atomic
def form_definition_create(*, agency, actor, slug: str, definition: dict) -> FormDefinition:
    if slug in RESERVED_FORM_SLUGS:
        raise ValidationError({"slug": _("This name is reserved; choose another.")})
    spec = _spec_or_error(definition)
    form = FormDefinition(agency=agency, slug=slug, definition=definition)
    _sync_titles(form, spec)
    form.full_clean()
    form.save()
    return form


@transaction.atomic
def form_definition_update(*, agency, actor, form: FormDefinition, definition: dict) -> FormDefinition:
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    spec = _spec_or_error(definition)
    form.definition = definition
    _sync_titles(form, spec)
    form.full_clean()
    form.save()
    return form


@transaction.atomic
def form_definition_publish(*, agency, actor, form: FormDefinition) -> FormVersion:
    """Freeze the working copy as the next version (or reopen the latest if nothing changed)."""
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    _spec_or_error(form.definition)
    latest = FormVersion.objects.for_agency(agency).filter(form=form).order_by("-number").first()
    if latest is not None and latest.definition == form.definition and not latest.retired:
        version = latest
    else:
        version = FormVersion(
            agency=agency,
            form=form,
            number=(latest.number if latest else 0) + 1,
            definition=form.definition,
            published_by=actor,
        )
        version.full_clean()
        version.save()
    form.version = version.number
    form.published = True
    form.full_clean()
    form.save()
    return version


@transaction.atomic
def form_definition_unpublish(*, agency, actor, form: FormDefinition) -> FormDefinition:
    form = FormDefinition.objects.for_agency(agency).select_for_update().get(pk=form.pk)
    form.published = False
    form.save()
    return form


@transaction.atomic
def form_version_retire(*, agency, actor, version: FormVersion) -> FormVersion:
    """A retired version takes no more submissions; drafts on it are offered a fresh start."""
    version = FormVersion.objects.for_agency(agency).select_for_update().get(pk=version.pk)
    version.retired = True
    version.save()
    return version


def form_current_version(*, agency, form: FormDefinition) -> FormVersion | None:
    if not form.version:
        return None
    return FormVersion.objects.for_agency(agency).filter(form=form, number=form.version).first()


def _open_version(*, agency, form: FormDefinition) -> FormVersion:
    form.refresh_from_db(fields=["published", "version"])  # the caller's copy may predate a publish
    if form.agency_id != agency.pk or not form.published:
        raise FormClosed()
    version = form_current_version(agency=agency, form=form)
    if version is None or version.retired:
        raise FormClosed()
    return version


# --- drafts ------------------------------------------------------------------------------------------------
def _store_answers(registration: Registration, spec: FormSpec, answers: Mapping[str, Any]) -> None:
    sensitive = spec.sensitive_field_ids
    registration.answers = {key: value for key, value in answers.items() if key not in sensitive}
    registration.sensitive_answers = {key: value for key, value in answers.items() if key in sensitive}


def _store_contact(registration: Registration, spec: FormSpec, answers: Mapping[str, Any]) -> None:
    contact = spec.contact
    registration.applicant_name = str(answers.get(contact.get("name", ""), ""))[:200]
    registration.applicant_email = str(answers.get(contact.get("email", ""), ""))[:254]
    registration.applicant_phone = str(answers.get(contact.get("phone", ""), ""))[:40]


@transaction.atomic
def registration_start(
    *,
    agency,
    form: FormDefinition,
    channel: str = Channel.WEB,
    language: str = "en",
    conversation_ref: str = "",
    answers: Mapping[str, Any] | None = None,
) -> Registration:
    """A new draft on the form's current version. `answers` (e.g. carried over from a draft on a
    retired version) are kept where they still fit the new version."""
    version = _open_version(agency=agency, form=form)
    flow = flow_for(agency=agency, version=version, lang=language)
    state = flow.start(_still_valid(flow, answers or {}))
    if state.answers:
        state, _incomplete = flow.to_review(state)  # carry on where the carried answers end
    registration = Registration(
        agency=agency,
        form=form,
        form_version=version,
        status=Status.DRAFT,
        channel=channel,
        language=normalize_language(language),
        conversation_ref=conversation_ref,
        flow_state=state.position(),
    )
    _store_answers(registration, flow.spec, state.answers)
    registration.full_clean()
    registration.save()
    return registration


def _still_valid(flow, answers: Mapping[str, Any]) -> dict[str, Any]:
    from registrations.engine import clean_value

    kept = {}
    for key, value in answers.items():
        item = flow.spec.field(key)
        if item is None:
            continue
        cleaned, error = clean_value(item, value, today=flow.today, lang=flow.lang)
        if error is None and cleaned is not None:
            kept[key] = cleaned
    return kept


@transaction.atomic
def registration_save_progress(*, agency, registration: Registration, state: FlowState) -> Registration:
    """Store a draft's answers (sensitive ones encrypted) and position. Only drafts change this way."""
    registration = Registration.objects.for_agency(agency).select_for_update().get(pk=registration.pk)
    if registration.status != Status.DRAFT:
        raise RegistrationError(_("This application has already been submitted."), "not_draft")
    spec = spec_for(registration.form_version)
    _store_answers(registration, spec, state.answers)
    registration.flow_state = state.position()
    registration.full_clean()
    registration.save()
    return registration


def _notify(registration: Registration, kind: str, event: RegistrationEvent | None = None, **extra) -> None:
    from registrations.tasks import registration_notify

    kwargs = {
        "agency_id": registration.agency_id,
        "registration_id": registration.pk,
        "kind": kind,
        "event_id": event.pk if event else None,
        **extra,
    }
    transaction.on_commit(lambda: registration_notify.delay(**kwargs))


@transaction.atomic
def registration_submit(*, agency, registration: Registration, actor=None, language: str | None = None) -> Registration:
    """Confirm a draft: check every answer again, give it a reference, and tell the applicant."""
    registration = (
        Registration.objects.for_agency(agency)
        .select_for_update()
        .select_related("form", "form_version")
        .get(pk=registration.pk)
    )
    if registration.status != Status.DRAFT:
        raise RegistrationError(_("This application has already been submitted."), "not_draft")
    if registration.form_version.retired or not registration.form.published:
        raise FormClosed(_("This version of the form is no longer accepted. Start again on the current one."))
    if language:
        registration.language = normalize_language(language)  # notifications follow the applicant's language
    flow = flow_for(agency=agency, version=registration.form_version, lang=registration.language)
    state, errors = flow.confirm(state_for(registration))
    if errors:
        registration.flow_state = state.position()
        registration.save(update_fields=["flow_state", "updated_at"])
        raise SubmissionInvalid(errors, state)
    return _finish_submission(agency=agency, registration=registration, spec=flow.spec, state=state, actor=actor)


def _finish_submission(*, agency, registration, spec, state, actor) -> Registration:
    now = timezone.now()
    _store_answers(registration, spec, state.answers)
    _store_contact(registration, spec, state.answers)
    registration.flow_state = state.position()
    registration.reference = reference_next(agency=agency, year=agency_today(agency).year)
    registration.status = Status.SUBMITTED
    registration.submitted_at = now
    registration.full_clean()
    registration.save()
    _drop_unused_files(agency, registration, state.answers)
    event = RegistrationEvent(
        agency=agency,
        registration=registration,
        kind=EventKind.STATUS,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        actor=actor,
    )
    event.full_clean()
    event.save()
    _notify(registration, "submitted", event)
    return registration


def _drop_unused_files(agency, registration: Registration, answers: Mapping[str, Any]) -> None:
    """Uploads that were replaced (or whose question stopped applying) are not part of the application."""
    used = {value.get("file_id") for value in answers.values() if isinstance(value, dict) and "file_id" in value}
    for stored in RegistrationFile.objects.for_agency(agency).filter(registration=registration):
        if str(stored.pk) not in used:
            stored.content.delete(save=False)
            stored.delete()


# --- files ---------------------------------------------------------------------------------------------------
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def sniff_content_type(data: bytes) -> str:
    """The type the bytes really are (the browser's claim is not trusted)."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return "application/octet-stream"


def safe_filename(name: str) -> str:
    name = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]", "_", name).strip() or "upload"
    return name[:120]


@transaction.atomic
def registration_file_store(
    *, agency, registration: Registration, field_id: str, name: str, data: bytes, content_type: str
) -> RegistrationFile:
    """Keep an uploaded document for a draft, encrypted. The caller has checked type and size."""
    if registration.agency_id != agency.pk or registration.status != Status.DRAFT:
        raise RegistrationError(_("Files can only be added to an application that is not submitted yet."))
    stored = RegistrationFile(
        agency=agency,
        registration=registration,
        field_id=field_id,
        name=safe_filename(name),
        content_type=content_type,
        size=len(data),
    )
    stored.content.save(f"{stored.pk}.bin", ContentFile(encrypt_bytes(data)), save=False)
    stored.full_clean()
    stored.save()
    return stored


def file_answer(stored: RegistrationFile) -> dict[str, Any]:
    return {"file_id": str(stored.pk), "name": stored.name, "content_type": stored.content_type, "size": stored.size}


# --- the API: all answers at once --------------------------------------------------------------------------
@dataclass
class _PendingFile:
    field_id: str
    name: str
    data: bytes
    content_type: str


def _decode_api_files(spec: FormSpec, answers: dict) -> tuple[dict, list[_PendingFile]]:
    """File answers come as {"name", "content_base64"}; turn them into metadata the engine can check."""
    pending = []
    answers = dict(answers)
    for item in spec.fields:
        value = answers.get(item.id)
        if item.type != "file" or not isinstance(value, dict) or "content_base64" not in value:
            continue
        encoded = value.get("content_base64")
        limit = int(item.max_size_mb * 1024 * 1024)
        if not isinstance(encoded, str) or len(encoded) > (limit * 4) // 3 + 8:
            answers[item.id] = {"file_id": "pending", "name": "upload", "content_type": "", "size": limit + 1}
            continue
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            answers[item.id] = "invalid"
            continue
        name = safe_filename(str(value.get("name") or "upload"))
        content_type = sniff_content_type(data)
        pending.append(_PendingFile(item.id, name, data, content_type))
        answers[item.id] = {"file_id": "pending", "name": name, "content_type": content_type, "size": len(data)}
    return answers, pending


@transaction.atomic
def registration_create(
    *, agency, form: FormDefinition, answers: Any, language: str = "en", channel: str = Channel.API, actor=None
) -> Registration:
    """Submit a complete set of answers in one go (the public API). Skipped required questions,
    answers to questions that do not apply and unknown questions are refused, per field."""
    version = _open_version(agency=agency, form=form)
    flow = flow_for(agency=agency, version=version, lang=language)
    if not isinstance(answers, dict):
        raise SubmissionInvalid({"answers": FieldError("invalid")})
    answers, pending = _decode_api_files(flow.spec, answers)
    cleaned, errors = flow.validate(answers)
    if errors:
        raise SubmissionInvalid(errors)
    registration = Registration(
        agency=agency,
        form=form,
        form_version=version,
        status=Status.DRAFT,
        channel=channel,
        language=normalize_language(language),
    )
    registration.full_clean()
    registration.save()
    for upload in pending:
        stored = registration_file_store(
            agency=agency,
            registration=registration,
            field_id=upload.field_id,
            name=upload.name,
            data=upload.data,
            content_type=upload.content_type,
        )
        cleaned[upload.field_id] = file_answer(stored)
    state = FlowState(answers=cleaned, stage="confirmed")
    return _finish_submission(agency=agency, registration=registration, spec=flow.spec, state=state, actor=actor)


# --- staff work ----------------------------------------------------------------------------------------------
def _locked(agency, registration: Registration) -> Registration:
    return Registration.objects.for_agency(agency).select_for_update().get(pk=registration.pk)


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
    registration = _locked(agency, registration)
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
    _notify(registration, "info_request" if to_status == Status.NEEDS_INFO else "status", event)
    return registration


@transaction.atomic
def registration_note_add(*, agency, actor, registration: Registration, staff_note: str) -> RegistrationEvent:
    registration = _locked(agency, registration)
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
    """The applicant answers a request for information (web link or chat); review resumes."""
    registration = _locked(agency, registration)
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


@transaction.atomic
def registration_resume_link_send(*, agency, registration: Registration, email: str) -> None:
    """Email the resume link of a draft to an address the applicant typed."""
    from django.core.validators import validate_email

    validate_email(email)
    if registration.agency_id != agency.pk or registration.status != Status.DRAFT:
        raise RegistrationError(_("Only an unfinished application can be resumed."))
    _notify(registration, "resume_link", email=email)


@transaction.atomic
def registration_drafts_purge(*, agency, older_than_days: int) -> int:
    """Delete drafts nobody touched for `older_than_days` (their resume links have expired), with
    their uploads. Returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = Registration.objects.for_agency(agency).filter(status=Status.DRAFT, updated_at__lt=cutoff)
    count = 0
    for registration in stale.iterator():
        for stored in RegistrationFile.objects.for_agency(agency).filter(registration=registration):
            stored.content.delete(save=False)
            stored.delete()
        registration.delete()  # one by one, so the audit trail records each deletion
        count += 1
    return count
