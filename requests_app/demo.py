"""Demo content for Springfield Public Works: the service catalogue with extra questions, routing to
departments (Parks by its service area), and a handful of requests in different states. Idempotent:
existing rows are left alone."""

from django.contrib.auth import get_user_model

from requests_app.demo_data import CATEGORIES, CITY_AREA, DEMO_REQUESTS, PARKS_AREA
from requests_app.demo_translations import ATTRIBUTE_TRANSLATIONS, CATEGORY_TRANSLATIONS
from requests_app.models import AgencyRequestSettings, ServiceAttribute, ServiceCategory, ServiceRequest
from requests_app.selectors import request_settings_get
from requests_app.services import (
    OnDuplicate,
    Reporter,
    service_request_assign,
    service_request_create,
    service_request_merge,
    service_request_transition,
)
from tenants.context import agency_context
from tenants.models import Department


def _seed_categories(agency) -> dict[str, ServiceCategory]:
    departments = {d.slug: d for d in Department.objects.for_agency(agency)}
    parks = departments.get("parks")
    if parks is not None and not parks.service_area:
        parks.service_area = PARKS_AREA
        parks.full_clean()
        parks.save()
    categories = {}
    for order, spec in enumerate(CATEGORIES):
        spec = dict(spec)
        attributes = spec.pop("attributes")
        area = spec.pop("area_departments", [])
        department = departments.get(spec.pop("department"))
        category, created = ServiceCategory.objects.get_or_create(
            agency=agency, code=spec.pop("code"), defaults={**spec, "department": department, "order": order}
        )
        categories[category.code] = category
        if not created:
            _translations_ensure(category)
            continue
        category.area_departments.set([departments[slug] for slug in area if slug in departments])
        for position, (code, question, datatype, required, values) in enumerate(attributes, start=1):
            attribute = ServiceAttribute(
                agency=agency,
                category=category,
                code=code,
                description=question,
                datatype=datatype,
                required=required,
                order=position,
                values=[{"key": key, "name": name} for key, name in values],
            )
            attribute.full_clean()
            attribute.save()
        _translations_ensure(category)
    return categories


# Fields of a language's entry added to the demo after databases were seeded with that language: an entry
# without one gets the demo's (its other fields, typed by staff or not, are left alone).
LATER_FIELDS = ("keywords",)


def _translations_ensure(category: ServiceCategory) -> None:
    """The demo catalogue in every language Springfield lists; a database seeded before a language existed is
    completed with it (a language the agency typed itself is left alone, but for `LATER_FIELDS` it lacks)."""
    for item, wanted in [
        (category, CATEGORY_TRANSLATIONS.get(category.code)),
        *(
            (attribute, ATTRIBUTE_TRANSLATIONS.get((category.code, attribute.code)))
            for attribute in category.attributes.all()
        ),
    ]:
        have = item.translations or {}
        if not wanted:
            continue
        completed = {**wanted, **have}
        for language, entry in have.items():
            later = {
                field: wanted[language][field]
                for field in LATER_FIELDS
                if isinstance(entry, dict) and field not in entry and field in wanted.get(language, {})
            }
            if later:
                completed[language] = {**entry, **later}
        if completed != have:
            item.translations = completed
            item.full_clean()
            item.save(update_fields=["translations"])


def _seed_requests(agency) -> None:
    supervisor = get_user_model().objects.filter(username=f"{agency.slug}-supervisor").first()
    first = None
    for key, code, lat, long, address, description, answers, email, steps in DEMO_REQUESTS:
        existing = ServiceRequest.objects.for_agency(agency).filter(idempotency_key=key, api_key=None).first()
        if existing is not None:
            first = first or existing
            continue
        result = service_request_create(
            agency=agency,
            category=code,
            description=description,
            lat=lat,
            long=long,
            address=address,
            attributes=answers,
            reporter=Reporter(email=email),
            source="web",
            language="en",
            idempotency_key=key,
            on_duplicate=OnDuplicate.FILE,
        )
        request = result.request
        first = first or request
        for status, note in steps:
            service_request_transition(
                agency=agency, actor=supervisor, request=request, to_status=status, public_note=note
            )
        if code == "streetlight-out":
            traffic = Department.objects.for_agency(agency).filter(slug="traffic").first()
            service_request_assign(agency=agency, actor=supervisor, request=request, department=traffic)
    if first is not None and not ServiceRequest.objects.for_agency(agency).filter(idempotency_key="demo-8").exists():
        result = service_request_create(
            agency=agency,
            category="pothole",
            description="Big pothole at Grand and 11th, my tyre hit it.",
            lat=39.7818,
            long=-89.6437,
            address="S Grand Ave E near S 11th St",
            attributes={"size": "large"},
            source="phone",
            idempotency_key="demo-8",
            on_duplicate=OnDuplicate.FILE,
        )
        service_request_merge(agency=agency, actor=supervisor, request=result.request, into=first)


def seed_demo(agencies: dict) -> None:
    agency = agencies.get("springfield")
    if agency is None:
        return
    with agency_context(agency):
        AgencyRequestSettings.objects.get_or_create(
            agency=agency,
            defaults={
                "reference_prefix": "SPR",
                "service_area": CITY_AREA,
                "map_latitude": 39.7990,
                "map_longitude": -89.6440,
                "map_zoom": 13,
            },
        )
        request_settings_get(agency=agency, fresh=True)
        _seed_categories(agency)
        _seed_requests(agency)
