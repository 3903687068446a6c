"""The demo installation: two agencies, departments and one user per role. Idempotent: existing rows
are left as they are (staff may have changed them), missing ones are created.

Apps add their own demo content by defining `seed_demo(agencies: dict[str, Agency])` in `<app>/demo.py`;
they run in the order of DEMO_APPS and set each agency's scope themselves (`agency_context`).
"""

import importlib
import os

from django.contrib.auth import get_user_model
from django.db import transaction

from tenants.context import agency_context
from tenants.models import Agency, Department, Membership, Role

DEMO_APPS = ["knowledge", "requests_app", "geocoding", "registrations", "chat"]

AGENCIES = [
    {
        "slug": "springfield",
        "name": "Springfield Public Works",
        "kind": Agency.Kind.CITY,
        "description": "Streets, sidewalks, street lights, trash and recycling, and parks for the City of Springfield.",
        "timezone": "America/Chicago",
        "languages": ["en", "es", "zh-hans"],
        "contact_email": "publicworks@springfield.example.gov",
        "contact_phone": "+1 217 555 0100",
        "contact_address": "800 E Monroe St, Springfield",
        "office_hours": "Monday to Friday, 8:00-17:00",
        "translations": {
            "es": {
                "office_hours": "De lunes a viernes, de 8:00 a 17:00",
                "description": "Calles, aceras, alumbrado público, basura y reciclaje, y parques de la ciudad de "
                "Springfield.",
            },
            "zh-hans": {
                "office_hours": "周一至周五 8:00-17:00",
                "description": "负责斯普林菲尔德市的街道、人行道、路灯、垃圾与回收以及公园。",
            },
        },
        "departments": [
            ("streets", "Streets and Sidewalks", "streets@springfield.example.gov"),
            ("sanitation", "Sanitation and Recycling", "sanitation@springfield.example.gov"),
            ("parks", "Parks and Forestry", "parks@springfield.example.gov"),
            ("traffic", "Traffic and Street Lights", "traffic@springfield.example.gov"),
        ],
        # The demo caseworker works the departments that the demo requests are routed to.
        "caseworker_departments": ["streets", "traffic"],
    },
    {
        "slug": "revenue",
        "name": "State Department of Revenue",
        "kind": Agency.Kind.STATE,
        "description": "Individual income tax returns, refunds, payments, deductions and business tax registration.",
        "timezone": "America/Chicago",
        "languages": ["en", "es"],
        "contact_email": "taxhelp@revenue.example.gov",
        "contact_phone": "+1 217 555 0200",
        "contact_address": "101 W Jefferson St, Springfield",
        "office_hours": "Monday to Friday, 8:30-16:30",
        "translations": {
            "es": {
                "office_hours": "De lunes a viernes, de 8:30 a 16:30",
                "description": "Impuesto sobre la renta personal: declaraciones, reembolsos, pagos y deducciones; "
                "registro tributario de empresas.",
            },
        },
        "departments": [
            ("individual", "Individual Income Tax", "individual@revenue.example.gov"),
            ("business", "Business Tax Registration", "business@revenue.example.gov"),
            ("collections", "Payments and Collections", "collections@revenue.example.gov"),
        ],
        "caseworker_departments": ["individual"],
    },
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "civicdesk-demo")


@transaction.atomic
def seed() -> dict[str, Agency]:
    User = get_user_model()
    password = demo_password()
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        spec = dict(spec)
        departments = spec.pop("departments")
        caseworker_departments = spec.pop("caseworker_departments", [])
        agency, created = Agency.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
        if not created and not agency.translations and spec.get("translations"):
            agency.translations = spec["translations"]  # seeded before agencies had translations
            agency.save(update_fields=["translations"])
        agencies[agency.slug] = agency
        with agency_context(agency):
            for slug, name, email in departments:
                Department.objects.get_or_create(agency=agency, slug=slug, defaults={"name": name, "email": email})
            for role in Role.values:
                user, created = User.objects.get_or_create(
                    username=f"{agency.slug}-{role}",
                    defaults={"is_staff": True, "first_name": role.capitalize(), "last_name": agency.name.split()[0]},
                )
                if created:
                    user.set_password(password)
                    user.save()
                membership, _created = Membership.objects.get_or_create(
                    agency=agency,
                    user=user,
                    defaults={"role": role, "display_name": f"{role.capitalize()} ({agency.name.split()[0]})"},
                )
                if membership.role == Role.CASEWORKER:
                    _caseworker_departments_ensure(membership, caseworker_departments)
    superuser, created = User.objects.get_or_create(
        username="platform", defaults={"is_staff": True, "is_superuser": True, "first_name": "Platform"}
    )
    if created:
        superuser.set_password(password)
        superuser.save()

    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.seed_demo(agencies)
    return agencies


def _caseworker_departments_ensure(membership: Membership, slugs: list[str]) -> None:
    """A caseworker sees only their departments' requests: one with none sees an empty queue. Also
    repairs a database seeded before caseworkers had departments; departments staff chose are kept."""
    if not slugs or membership.departments.exists():
        return
    membership.departments.add(*Department.objects.for_agency(membership.agency).filter(slug__in=slugs))


def demo_logins() -> list[tuple[str, str]]:
    logins = [("platform", "platform superuser")]
    for spec in AGENCIES:
        logins += [(f"{spec['slug']}-{role}", f"{role} of {spec['name']}") for role in Role.values]
    return logins
