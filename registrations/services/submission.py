"""Submitting an application: confirming a draft, or all answers at once through the API; the reference."""

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.engine import FieldError, FlowState, FormSpec, normalize_language
from registrations.flows import agency_today, flow_for, state_for
from registrations.models import Channel, EventKind, FormDefinition, Registration, RegistrationEvent, Status
from registrations.services.common import FormClosed, RegistrationError, SubmissionInvalid, notify_on_commit
from registrations.services.drafts import store_answers
from registrations.services.files import (
    Upload,
    file_answer,
    registration_file_store,
    registration_files_drop_unused,
    upload_check,
)
from registrations.services.forms import form_open_version
from tenants.sequences import yearly_number


def agency_prefix(agency) -> str:
    return (re.sub(r"[^a-z]", "", agency.slug)[:3] or "agy").upper()


def reference_next(*, agency, year: int) -> str:
    """The next reference of the agency and year, e.g. REV-REG-2026-000045 (the agency's yearly
    sequence: unique, never waiting on another submission)."""
    value = yearly_number(kind="registrations", agency_id=agency.pk, year=year)
    return f"{agency_prefix(agency)}-REG-{year}-{value:06d}"


def _store_contact(registration: Registration, spec: FormSpec, answers: Mapping[str, Any]) -> None:
    contact = spec.contact
    registration.applicant_name = str(answers.get(contact.get("name", ""), ""))[:200]
    registration.applicant_email = str(answers.get(contact.get("email", ""), ""))[:254]
    registration.applicant_phone = str(answers.get(contact.get("phone", ""), ""))[:40]


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
    store_answers(registration, spec, state.answers)
    _store_contact(registration, spec, state.answers)
    registration.flow_state = state.position()
    registration.reference = reference_next(agency=agency, year=agency_today(agency).year)
    registration.status = Status.SUBMITTED
    registration.submitted_at = now
    registration.full_clean()
    registration.save()
    registration_files_drop_unused(agency, registration, state.answers)
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
    notify_on_commit(registration, "submitted", event)
    return registration


def _base64_size(encoded: str) -> int:
    """The decoded size of (valid) base64 text, known without decoding it."""
    return len(encoded) * 3 // 4 - encoded[-2:].count("=")


def _decode_api_files(spec: FormSpec, answers: dict) -> tuple[dict, list[Upload], dict[str, FieldError]]:
    """File answers come as {"name", "content_base64"}; each passes the same check as a web upload.

    Anything else given for a file question (a file id, metadata, text, bad base64) is refused: a
    document exists only when its bytes were uploaded and checked here."""
    uploads, refused = [], {}
    answers = dict(answers)
    for item in spec.fields:
        value = answers.get(item.id)
        if item.type != "file" or value is None or value == "":
            continue
        encoded = value.get("content_base64") if isinstance(value, dict) else None
        if not isinstance(encoded, str):
            refused[item.id] = FieldError("invalid")
            continue
        try:
            answers[item.id], upload = upload_check(
                item,
                name=str(value.get("name") or "upload"),
                size=_base64_size(encoded),
                read=lambda encoded=encoded: base64.b64decode(encoded, validate=True),
            )
        except (binascii.Error, ValueError):
            refused[item.id] = FieldError("invalid")
            continue
        if upload is not None:
            uploads.append(upload)
    for field_id in refused:
        del answers[field_id]
    return answers, uploads, refused


@transaction.atomic
def registration_create(
    *, agency, form: FormDefinition, answers: Any, language: str = "en", channel: str = Channel.API, actor=None
) -> Registration:
    """Submit a complete set of answers in one go (the public API). Skipped required questions,
    answers to questions that do not apply and unknown questions are refused, per field."""
    version = form_open_version(agency=agency, form=form)
    flow = flow_for(agency=agency, version=version, lang=language)
    if not isinstance(answers, dict):
        raise SubmissionInvalid({"answers": FieldError("invalid")})
    answers, uploads, refused = _decode_api_files(flow.spec, answers)
    cleaned, errors = flow.validate(answers)
    errors.update(refused)
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
    for upload in uploads:
        stored = registration_file_store(agency=agency, registration=registration, upload=upload)
        cleaned[upload.field_id] = file_answer(stored)
    state = FlowState(answers=cleaned, stage="confirmed")
    return _finish_submission(agency=agency, registration=registration, spec=flow.spec, state=state, actor=actor)
