"""Drafts: starting an application, saving progress, the resume link, and purging abandoned drafts."""

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.engine import FlowState, FormSpec, clean_value, normalize_language
from registrations.flows import flow_for, spec_for
from registrations.models import Channel, FormDefinition, Registration, Status
from registrations.services.common import RegistrationError, notify_on_commit
from registrations.services.files import registration_files_delete
from registrations.services.forms import form_open_version


def store_answers(registration: Registration, spec: FormSpec, answers: Mapping[str, Any]) -> None:
    """Answers to sensitive questions go to the encrypted column, the rest to the plain one."""
    sensitive = spec.sensitive_field_ids
    registration.answers = {key: value for key, value in answers.items() if key not in sensitive}
    registration.sensitive_answers = {key: value for key, value in answers.items() if key in sensitive}


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
    version = form_open_version(agency=agency, form=form)
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
    store_answers(registration, flow.spec, state.answers)
    registration.full_clean()
    registration.save()
    return registration


def _still_valid(flow, answers: Mapping[str, Any]) -> dict[str, Any]:
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
    store_answers(registration, spec, state.answers)
    registration.flow_state = state.position()
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def registration_resume_link_send(*, agency, registration: Registration, email: str) -> None:
    """Email the resume link of a draft to an address the applicant typed."""
    from django.core.validators import validate_email

    validate_email(email)
    if registration.agency_id != agency.pk or registration.status != Status.DRAFT:
        raise RegistrationError(_("Only an unfinished application can be resumed."))
    notify_on_commit(registration, "resume_link", email=email)


@transaction.atomic
def registration_drafts_purge(*, agency, older_than_days: int) -> int:
    """Delete drafts nobody touched for `older_than_days` (their resume links have expired), with
    their uploads. Returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = Registration.objects.for_agency(agency).filter(status=Status.DRAFT, updated_at__lt=cutoff)
    count = 0
    for registration in stale.iterator():
        registration_files_delete(agency, registration)
        registration.delete()  # one by one, so the audit trail records each deletion
        count += 1
    return count
