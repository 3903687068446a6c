"""Demo forms and a few registrations in different states. Idempotent: existing rows are kept."""

import json
from pathlib import Path

from django.db import transaction

from registrations import services
from registrations.engine.i18n import FALLBACK, LANGUAGES
from registrations.models import FormDefinition, FormVersion, Registration, Status
from tenants.context import agency_context
from tenants.models import Department

DEFINITIONS = Path(__file__).resolve().parent / "definitions"
DEMO_FORMS = {
    "springfield": ["voter-registration", "employment-assistance"],
    "revenue": ["business-tax-registration"],
}
# The department whose caseworkers review a demo form's applications (tenants.cases); others see them
# only when a supervisor shares one.
FORM_DEPARTMENTS = {"business-tax-registration": "business"}


def load_demo_definition(name: str) -> dict:
    return json.loads((DEFINITIONS / f"{name}.json").read_text(encoding="utf-8"))


def install_form(agency, name: str, *, actor=None) -> FormDefinition:
    """Create and publish a demo form for `agency` unless it already has one with this slug; one seeded
    before a language of its texts existed is completed (`_complete_languages`)."""
    form = FormDefinition.objects.for_agency(agency).filter(slug=name).first()
    if form is None:
        form = services.form_definition_create(
            agency=agency, actor=actor, slug=name, definition=load_demo_definition(name)
        )
        services.form_definition_publish(agency=agency, actor=actor, form=form)
        form.refresh_from_db()
        return form
    return _complete_languages(agency, form, load_demo_definition(name), actor=actor)


def _complete_languages(agency, form: FormDefinition, demo: dict, *, actor=None) -> FormDefinition:
    """The demo's texts in the languages the form lacks, as a new published version: German titles came in
    session 13, every question, option and message in de, fr, vi, ko and ar in session 18 (issue 19, a French
    citizen got French chat and English questions). Submitted registrations keep the version they were filed
    under. Only a published form whose working copy is its published version is completed: staff's
    unpublished edits are not published by the seed, and what they typed in a language is kept."""
    definition = form.definition or {}
    current = FormVersion.objects.for_agency(agency).filter(form=form, number=form.version).first()
    if not form.published or current is None or current.definition != definition:
        return form
    completed = _with_missing_languages(definition, demo)
    if completed == definition:
        return form
    form = services.form_definition_update(agency=agency, actor=actor, form=form, definition=completed)
    services.form_definition_publish(agency=agency, actor=actor, form=form)
    form.refresh_from_db()
    return form


def _is_text(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def _with_missing_languages(have, demo):
    """`have` with the languages `demo` gives for the same text added. The structure is `have`'s: a step,
    field or option is matched by its id (or value) and one staff added, removed or reordered stays so;
    a language `have` has, even one staff reworded, is kept."""
    if _is_text(have) and _is_text(demo):
        # Another language of the demo's text only: a text staff reworded in English gets no old translation.
        return {**demo, **have} if have.get(FALLBACK) == demo.get(FALLBACK) else have
    if isinstance(have, dict) and isinstance(demo, dict):
        return {key: _with_missing_languages(value, demo.get(key)) for key, value in have.items()}
    if isinstance(have, list) and isinstance(demo, list):
        by_key = {_item_key(item): item for item in demo if _item_key(item) is not None}
        return [_with_missing_languages(item, by_key.get(_item_key(item))) for item in have]
    return have


def _item_key(item):
    if isinstance(item, dict):
        return item.get("id") or item.get("value")
    return None


ADDRESS = {"line1": "1200 S Grand Ave E", "city": "Springfield", "region": "IL", "postal_code": "62703"}
DEMO_APPLICATIONS = {
    "voter-registration": [
        (
            {
                "us_citizen": True,
                "date_of_birth": "1988-04-12",
                "lives_in_city": True,
                "full_name": "Maria Lopez",
                "id_type": "ssn",
                "ssn": "123-45-6789",
                "home_address": ADDRESS,
                "registered_elsewhere": False,
                "ballot_language": "es",
                "email": "maria.lopez@example.net",
            },
            [(Status.IN_REVIEW, "")],
        ),
        (
            {
                "us_citizen": True,
                "date_of_birth": "2001-09-30",
                "lives_in_city": True,
                "full_name": "Wei Chen",
                "id_type": "drivers_license",
                "drivers_license": "C12345678901",
                "home_address": {**ADDRESS, "line1": "415 E Adams St", "postal_code": "62701"},
                "registered_elsewhere": True,
                "previous_address": {
                    "line1": "88 College Ave",
                    "city": "Normal",
                    "region": "IL",
                    "postal_code": "61761",
                },
                "ballot_language": "zh",
                "email": "wei.chen@example.net",
            },
            [(Status.APPROVED, "Your voter card is in the mail.")],
        ),
    ],
    "employment-assistance": [
        (
            {
                "full_name": "James Carter",
                "date_of_birth": "1979-02-03",
                "email": "james.carter@example.net",
                "employment_status": "unemployed",
                "unemployed_since": "2026-01-15",
                "receives_benefits": True,
                "services_needed": ["job_search", "training"],
                "training_field": "cdl",
                "household_size": 3,
                "monthly_income": 1850,
            },
            [
                (
                    Status.NEEDS_INFO,
                    "Please tell us whether you hold a valid Illinois driver's license (needed for CDL training).",
                )
            ],
        ),
    ],
    "business-tax-registration": [
        (
            {
                "legal_name": "Prairie Bakery LLC",
                "entity_type": "llc",
                "ein": "12-3456789",
                "start_date": "2026-03-01",
                "business_address": {**ADDRESS, "line1": "300 S 5th St", "postal_code": "62701"},
                "tax_types": ["sales", "withholding"],
                "monthly_sales": 42000,
                "employee_count": 6,
                "first_payroll": "2026-03-15",
                "direct_deposit": True,
                "routing_number": "011000015",
                "account_number": "123456789",
                "contact_name": "Ana Ruiz",
                "contact_email": "ana@prairiebakery.example",
            },
            [],
        ),
        (
            {
                "legal_name": "Lincoln Land Repairs",
                "entity_type": "sole_proprietor",
                "owner_ssn": "219-44-8765",
                "start_date": "2025-11-01",
                "business_address": {**ADDRESS, "line1": "2501 Wabash Ave", "postal_code": "62704"},
                "tax_types": ["use"],
                "direct_deposit": False,
                "contact_name": "Tom Baker",
                "contact_email": "tom@lincolnland.example",
            },
            [
                (
                    Status.REJECTED,
                    "This business is already registered under account 4410-2231; no new registration is needed.",
                )
            ],
        ),
    ],
}


@transaction.atomic
def seed_demo(agencies: dict) -> None:
    for slug, names in DEMO_FORMS.items():
        agency = agencies.get(slug)
        if agency is None:
            continue
        with agency_context(agency):
            _seed_agency(agency, names)


def _seed_agency(agency, names: list[str]) -> None:
    for name in names:
        form = install_form(agency, name)
        department_slug = FORM_DEPARTMENTS.get(name)
        if department_slug and form.department_id is None:
            department = Department.objects.for_agency(agency).filter(slug=department_slug).first()
            if department is not None:
                form = services.form_definition_department_set(
                    agency=agency, actor=None, form=form, department=department
                )
        if Registration.objects.for_agency(agency).filter(form=form).exists():
            continue  # already seeded (or real applications exist): leave them alone
        for answers, transitions in DEMO_APPLICATIONS.get(name, []):
            registration = services.registration_create(
                agency=agency, form=form, answers=answers, language="en", channel="web"
            )
            for to_status, note in transitions:
                if to_status == Status.APPROVED:
                    services.registration_transition(
                        agency=agency, actor=None, registration=registration, to_status=Status.IN_REVIEW
                    )
                services.registration_transition(
                    agency=agency, actor=None, registration=registration, to_status=to_status, public_note=note
                )
