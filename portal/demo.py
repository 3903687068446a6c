"""The demo installation: seven agencies (a city, its county and five state agencies), departments and one user per role. Idempotent: existing rows
are left as they are (staff may have changed them), missing ones are created.

Apps add their own demo content by defining `seed_demo(agencies: dict[str, Agency])` in `<app>/demo.py`;
they run in the order of DEMO_APPS and set each agency's scope themselves (`agency_context`).
"""

import importlib
import os

from django.contrib.auth import get_user_model
from django.db import transaction

from portal.demo_agency_names import agency_translations_ensure
from portal.demo_departments import department_translations_ensure
from tenants.context import agency_context
from tenants.models import Agency, Department, Membership, Role

DEMO_APPS = ["knowledge", "requests_app", "geocoding", "registrations", "frontdoor", "chat", "analytics"]

AGENCIES = [
    {
        "slug": "springfield",
        "name": "Springfield Public Works",
        "kind": Agency.Kind.CITY,
        "description": "Streets, sidewalks, street lights, trash and recycling, and parks for the City of Springfield.",
        "timezone": "America/Chicago",
        "languages": ["en", "es", "zh-hans", "fr", "vi", "ko", "ar", "de"],
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
            # The office hours in every language Springfield lists: they are in the chat's "I don't know".
            "de": {"office_hours": "Montag bis Freitag, 8:00-17:00 Uhr"},
            "fr": {"office_hours": "Du lundi au vendredi, de 8 h 00 à 17 h 00"},
            "vi": {"office_hours": "Thứ Hai đến Thứ Sáu, 8:00-17:00"},
            "ko": {"office_hours": "월요일~금요일 8:00-17:00"},
            "ar": {"office_hours": "من الاثنين إلى الجمعة، 8:00-17:00"},
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
    {
        "slug": "sangamon-county",
        "name": "Sangamon County",
        "kind": Agency.Kind.COUNTY,
        "description": "County clerk (marriage licences, birth and death records, elections), property tax "
        "assessment and collection, county roads and bridges outside city limits, and the county health clinic.",
        "timezone": "America/Chicago",
        "languages": ["en", "es"],
        "contact_email": "clerk@sangamon.example.gov",
        "contact_phone": "+1 217 555 0300",
        "contact_address": "200 S 9th St, Springfield",
        "office_hours": "Monday to Friday, 8:30-16:30",
        "departments": [
            ("clerk", "County Clerk", "clerk@sangamon.example.gov"),
            ("treasurer", "Treasurer and Assessment", "treasurer@sangamon.example.gov"),
            ("highway", "County Highway Department", "highway@sangamon.example.gov"),
        ],
        "roles": ["admin", "agent"],
    },
    {
        "slug": "motor-vehicles",
        "name": "State Motor Vehicle Services",
        "kind": Agency.Kind.STATE,
        "description": "Driver's licences and state ID cards, REAL ID, vehicle titles and registration, licence "
        "plates and renewal stickers, driving tests and disability parking placards.",
        "timezone": "America/Chicago",
        "languages": ["en", "es"],
        "contact_email": "help@mvs.example.gov",
        "contact_phone": "+1 217 555 0400",
        "contact_address": "2701 S Dirksen Pkwy, Springfield",
        "office_hours": "Monday to Friday, 8:00-17:00; Saturday 8:00-12:00",
        "departments": [
            ("licensing", "Driver Licensing", "licensing@mvs.example.gov"),
            ("titles", "Vehicle Titles and Registration", "titles@mvs.example.gov"),
        ],
        "roles": ["admin", "agent"],
    },
    {
        "slug": "public-health",
        "name": "State Department of Public Health",
        "kind": Agency.Kind.STATE,
        "description": "Birth and death certificates from state vital records, immunizations, food safety and "
        "restaurant inspections, disease reporting, drinking water and health care facility licensing.",
        "timezone": "America/Chicago",
        "languages": ["en", "es", "zh-hans"],
        "contact_email": "dph.info@health.example.gov",
        "contact_phone": "+1 217 555 0500",
        "contact_address": "535 W Jefferson St, Springfield",
        "office_hours": "Monday to Friday, 8:30-17:00",
        "departments": [
            ("vital-records", "Vital Records", "vitalrecords@health.example.gov"),
            ("immunization", "Immunization Program", "immunize@health.example.gov"),
            ("food-safety", "Food, Drugs and Dairies", "foodsafety@health.example.gov"),
        ],
        "roles": ["admin", "agent"],
    },
    {
        "slug": "natural-resources",
        "name": "State Department of Natural Resources",
        "kind": Agency.Kind.STATE,
        "description": "Hunting and fishing licences, deer and turkey permits, boat registration, state parks "
        "and campgrounds, and nuisance wildlife.",
        "timezone": "America/Chicago",
        "languages": ["en", "es"],
        "contact_email": "dnr.licensing@dnr.example.gov",
        "contact_phone": "+1 217 555 0600",
        "contact_address": "1 Natural Resources Way, Springfield",
        "office_hours": "Monday to Friday, 8:30-16:30",
        "departments": [
            ("licensing", "Licensing and Permits", "licensing@dnr.example.gov"),
            ("parks", "State Parks", "parks@dnr.example.gov"),
            ("boating", "Boat Registration", "boats@dnr.example.gov"),
        ],
        "roles": ["admin", "agent"],
    },
    {
        "slug": "transportation",
        "name": "State Department of Transportation",
        "kind": Agency.Kind.STATE,
        "description": "State highways and interstates: potholes, snow and ice removal, road construction and "
        "closures, oversize truck permits and highway signs.",
        "timezone": "America/Chicago",
        "languages": ["en", "es"],
        "contact_email": "dot.info@dot.example.gov",
        "contact_phone": "+1 217 555 0700",
        "contact_address": "2300 S Dirksen Pkwy, Springfield",
        "office_hours": "Monday to Friday, 8:00-16:30",
        "departments": [
            ("maintenance", "Highway Maintenance", "maintenance@dot.example.gov"),
            ("permits", "Oversize and Overweight Permits", "permits@dot.example.gov"),
        ],
        "roles": ["admin", "agent"],
    },
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "civicdesk-demo")


@transaction.atomic
def seed() -> dict[str, Agency]:
    password = demo_password()
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        spec = dict(spec)
        departments = spec.pop("departments")
        caseworker_departments = spec.pop("caseworker_departments", [])
        roles = spec.pop("roles", Role.values)  # the smaller demo agencies: an admin and an agent
        agency, _created = Agency.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
        # Its name and texts in other languages, completed on a database seeded before they existed (typed ones kept).
        agency_translations_ensure(agency, spec.get("translations"))
        agencies[agency.slug] = agency
        with agency_context(agency):
            for slug, name, email in departments:
                department, _new = Department.objects.get_or_create(
                    agency=agency, slug=slug, defaults={"name": name, "email": email}
                )
                department_translations_ensure(department)
            for role in roles:
                user = _user_ensure(
                    f"{agency.slug}-{role}",
                    password,
                    is_staff=True,
                    first_name=role.capitalize(),
                    last_name=agency.name.split()[0],
                )
                membership, _created = Membership.objects.get_or_create(
                    agency=agency,
                    user=user,
                    defaults={"role": role, "display_name": f"{role.capitalize()} ({agency.name.split()[0]})"},
                )
                if membership.role == Role.CASEWORKER:
                    _caseworker_departments_ensure(membership, caseworker_departments)
    _user_ensure("platform", password, is_staff=True, is_superuser=True, first_name="Platform")

    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.seed_demo(agencies)
    return agencies


def _user_ensure(username: str, password: str, **defaults):
    """The demo user, created with the demo password; an existing one is left as it is (its password too)."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults=defaults)
    if created:
        user.set_password(password)
        user.save()
    return user


def _caseworker_departments_ensure(membership: Membership, slugs: list[str]) -> None:
    """A caseworker sees only their departments' requests: one with none sees an empty queue. Also
    repairs a database seeded before caseworkers had departments; departments staff chose are kept."""
    if not slugs or membership.departments.exists():
        return
    membership.departments.add(*Department.objects.for_agency(membership.agency).filter(slug__in=slugs))


def demo_logins() -> list[tuple[str, str]]:
    logins = [("platform", "platform superuser")]
    for spec in AGENCIES:
        logins += [(f"{spec['slug']}-{role}", f"{role} of {spec['name']}") for role in spec.get("roles", Role.values)]
    return logins
