"""Reads for registrations, always scoped to one agency; who may see what."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language

from portal.tracking import StatusEvent, StatusView
from registrations.engine import display_value, localize, mask_value, normalize_language, visible_fields, visible_steps
from registrations.flows import spec_for, state_for
from registrations.models import (
    EventKind,
    FormDefinition,
    FormVersion,
    Registration,
    RegistrationEvent,
    RegistrationFile,
    Status,
)
from tenants.cases import CaseChecker, case_access, cases_visible
from tenants.models import Role
from tenants.selectors import ADMIN_ROLES, STAFF_ROLES, user_has_role

# Who may do what with registrations.
VIEW_ROLES = STAFF_ROLES  # the queue, details (sensitive answers masked), CSV export
REVIEW_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER})  # transitions, notes, requests
SENSITIVE_ROLES = frozenset({Role.SUPERVISOR, Role.CASEWORKER})  # may reveal decrypted sensitive answers
FORM_EDITOR_ROLES = ADMIN_ROLES  # edit, preview, publish definitions


def can_see_sensitive(*, user, agency) -> bool:
    return user_has_role(user=user, agency=agency, roles=SENSITIVE_ROLES)


def can_review(*, user, agency) -> bool:
    return user_has_role(user=user, agency=agency, roles=REVIEW_ROLES)


def can_edit_forms(*, user, agency) -> bool:
    return user_has_role(user=user, agency=agency, roles=FORM_EDITOR_ROLES)


# --- forms -------------------------------------------------------------------------------------------
def forms_published(*, agency) -> QuerySet[FormDefinition]:
    return FormDefinition.objects.for_agency(agency).filter(published=True, version__gt=0).order_by("title")


def forms_all(*, agency) -> QuerySet[FormDefinition]:
    return FormDefinition.objects.for_agency(agency).order_by("title")


def form_get(*, agency, slug: str) -> FormDefinition | None:
    return FormDefinition.objects.for_agency(agency).filter(slug=slug).first()


def form_versions(*, agency, form: FormDefinition) -> QuerySet[FormVersion]:
    return FormVersion.objects.for_agency(agency).filter(form=form).order_by("-number")


def form_title(form: FormDefinition, version: FormVersion | None, lang: str | None = None) -> str:
    if version is not None:
        return localize(spec_for(version).title, lang or get_language()) or form.title
    return form.title


# --- registrations -----------------------------------------------------------------------------------------
def case_checker(*, agency, user) -> CaseChecker:
    """Per-request answers about single registrations: may this person see it, review it, was it shared."""
    return CaseChecker(
        access=case_access(agency=agency, user=user), department_field="form__department", act_roles=REVIEW_ROLES
    )


def registrations_for_staff(*, agency, user) -> QuerySet[Registration]:
    """Submitted registrations `user` may see (`tenants.cases`: the role, the form's department, shares)."""
    return cases_visible(
        Registration.objects.for_agency(agency).exclude(status=Status.DRAFT),
        access=case_access(agency=agency, user=user),
        department_field="form__department",
    )


def registrations_queue(
    *, agency, user, status: str = "open", form_slug: str = "", search: str = ""
) -> QuerySet[Registration]:
    queryset = (
        registrations_for_staff(agency=agency, user=user)
        .select_related("form", "form_version")
        .defer("sensitive_answers", "answers", "flow_state")
        .order_by("-submitted_at", "-pk")
    )
    if status == "open":
        queryset = queryset.filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO])
    elif status in Status.values:
        queryset = queryset.filter(status=status)
    if form_slug:
        queryset = queryset.filter(form__slug=form_slug)
    if search:
        queryset = queryset.filter(
            Q(reference__iexact=search.strip())
            | Q(applicant_name__icontains=search)
            | Q(applicant_email__iexact=search.strip())
        )
    return queryset


def registration_get(*, agency, reference: str) -> Registration | None:
    """A submitted registration by reference, within the agency (drafts have no reference)."""
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 40:
        return None
    return (
        Registration.objects.for_agency(agency)
        .exclude(status=Status.DRAFT)
        .filter(reference=reference)
        .select_related("form", "form_version")
        .first()
    )


def registration_get_for_staff(*, agency, user, reference: str) -> Registration | None:
    """A submitted registration by reference that `user` may see."""
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 40:
        return None
    return (
        registrations_for_staff(agency=agency, user=user)
        .filter(reference=reference)
        .select_related("form", "form_version")
        .first()
    )


def registration_draft_get(*, agency, pk: Any, form: FormDefinition | None = None) -> Registration | None:
    if not isinstance(pk, int):
        return None
    queryset = Registration.objects.for_agency(agency).filter(pk=pk, status=Status.DRAFT)
    if form is not None:
        queryset = queryset.filter(form=form)
    return queryset.select_related("form", "form_version").first()


def registration_draft_for_conversation(*, agency, conversation_ref: str) -> Registration | None:
    if not conversation_ref:
        return None
    return (
        Registration.objects.for_agency(agency)
        .filter(conversation_ref=conversation_ref, status=Status.DRAFT)
        .select_related("form", "form_version")
        .order_by("-updated_at")
        .first()
    )


def registration_file_get(*, agency, registration: Registration, file_id: str) -> RegistrationFile | None:
    try:
        return RegistrationFile.objects.for_agency(agency).filter(registration=registration, pk=file_id).first()
    except Exception:  # noqa: BLE001 - a malformed UUID is simply "not found"
        return None


def registration_events(*, registration: Registration) -> QuerySet[RegistrationEvent]:
    return (
        RegistrationEvent.objects.for_agency(registration.agency)
        .filter(registration=registration)
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def latest_info_request(*, registration: Registration) -> RegistrationEvent | None:
    return registration_events(registration=registration).filter(kind=EventKind.INFO_REQUEST).last()


@dataclass(frozen=True)
class AnswerRow:
    field_id: str
    label: str
    display: str
    sensitive: bool
    masked: bool
    file_id: str = ""
    file_name: str = ""  # a document's name as it was uploaded (the display adds its size)


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: list[AnswerRow]


def registration_answer_sections(
    *, registration: Registration, reveal: bool, lang: str | None = None
) -> list[AnswerSection]:
    """The answers as staff see them: sensitive ones masked unless `reveal` (decided by role)."""
    lang = normalize_language(lang or get_language())
    spec = spec_for(registration.form_version)
    answers = state_for(registration).answers
    sections = []
    for step in visible_steps(spec, answers):
        rows = []
        for item in visible_fields(spec, answers, step):
            value = answers.get(item.id)
            masked = item.sensitive and not reveal
            shown = mask_value(item, value) if masked else display_value(item, value, lang)
            is_file = item.type == "file" and isinstance(value, dict)
            file_id, file_name = (value.get("file_id", ""), str(value.get("name") or "")) if is_file else ("", "")
            rows.append(
                AnswerRow(item.id, localize(item.label, lang), shown, item.sensitive, masked, file_id, file_name)
            )
        sections.append(AnswerSection(localize(step.title, lang), rows))
    return sections


def filed_references(*, agency, email: str = "", conversation: str = "", limit: int = 20) -> list:
    """`(submitted_at, reference)` of the agency's submitted registrations whose applicant gave `email`, or
    filled in in the chat `conversation`, newest first (drafts have no reference)."""
    registrations = Registration.objects.for_agency(agency).exclude(status=Status.DRAFT).exclude(reference="")
    if email:
        registrations = registrations.filter(applicant_email__iexact=email)
    else:
        registrations = registrations.filter(conversation_ref=conversation)
    return list(
        registrations.filter(submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", "reference")[:limit]
    )


def status_view(*, agency, reference: str) -> StatusView | None:
    """The public status of a registration: no answers, no names, only public notes."""
    registration = registration_get(agency=agency, reference=reference)
    if registration is None:
        return None
    history = [
        StatusEvent(
            at=event.created_at,
            status=event.to_status,
            status_label=str(Status(event.to_status).label),
            note=event.public_note,
        )
        for event in registration_events(registration=registration).exclude(to_status="")
    ]
    return StatusView(
        reference=registration.reference,
        kind="registration",
        title=form_title(registration.form, registration.form_version),
        status=registration.status,
        status_label=str(registration.get_status_display()),
        submitted_at=registration.submitted_at,
        updated_at=history[-1].at if history else registration.updated_at,
        history=history,
    )
