"""Demo content of the front door: the county's and state agencies' knowledge bases, every agency's
services and public contacts, jurisdiction areas, and the report categories of the county roads and the
state highways. Idempotent: existing rows are left as they are."""

from frontdoor import demo_catalogue as catalogue
from frontdoor.demo_knowledge import DOCUMENTS
from frontdoor.demo_officials import OFFICIALS
from frontdoor.demo_services import SERVICES
from frontdoor.models import Jurisdiction, Official, Service
from tenants.context import agency_context
from tenants.models import Department


def seed_demo(agencies: dict) -> None:
    for slug, agency in agencies.items():
        with agency_context(agency):
            _documents_seed(agency, DOCUMENTS.get(slug, []))
            departments = {d.slug: d for d in Department.objects.for_agency(agency)}
            _jurisdiction_seed(agency)
            _categories_seed(agency, departments)
            _services_seed(agency, departments, SERVICES.get(slug, []))
            _officials_seed(agency, departments, OFFICIALS.get(slug, []))


def _documents_seed(agency, specs: list[dict]) -> None:
    from knowledge import services
    from knowledge.models import Document

    existing = set(Document.objects.for_agency(agency).values_list("title", flat=True))
    version_ids = []
    for spec in specs:
        if spec["title"] in existing:
            continue
        document = services.document_create(agency=agency, actor=None, queue=False, **spec)
        version_ids.append(document.versions.get().pk)
    if version_ids:
        services.versions_index(agency=agency, version_ids=version_ids, maintain_indexes=False)


def _jurisdiction_seed(agency) -> None:
    if Jurisdiction.objects.for_agency(agency).exists():
        return
    if agency.slug == "springfield":
        from requests_app.demo_data import CITY_AREA

        name, area = "City of Springfield", CITY_AREA
    elif agency.slug in catalogue.AREAS:
        name, area = catalogue.AREAS[agency.slug]
    else:
        return
    row = Jurisdiction(agency=agency, name=name, area=area)
    row.full_clean()
    row.save()


def _categories_seed(agency, departments) -> None:
    from requests_app.models import AgencyRequestSettings, ServiceCategory
    from requests_app.selectors import request_settings_get

    specs = [spec for spec in catalogue.CATEGORIES if spec[0] == agency.slug]
    if not specs:
        return
    area = catalogue.AREAS[agency.slug][1]
    AgencyRequestSettings.objects.get_or_create(
        agency=agency,
        defaults={"reference_prefix": agency.slug[:3].upper(), "service_area": area, "map_zoom": 11},
    )
    request_settings_get(agency=agency, fresh=True)
    rows = [spec[1:] for spec in specs]  # without the agency's slug
    _rows_seed(ServiceCategory, agency, departments, CATEGORY_COLUMNS, rows, key="code", sla_hours=72)


def _services_seed(agency, departments, specs) -> None:
    _rows_seed(Service, agency, departments, SERVICE_COLUMNS, specs, key="slug")


def _officials_seed(agency, departments, specs) -> None:
    if Official.objects.for_agency(agency).exists():
        return
    _rows_seed(Official, agency, departments, OFFICIAL_COLUMNS, specs)


# What the demo tuples hold, in order (demo_catalogue, demo_services, demo_officials; a category's first item,
# the agency's slug, aside).
CATEGORY_COLUMNS = ("code", "name", "group", "description", "keywords", "department")
SERVICE_COLUMNS = (
    "slug",
    "name",
    "summary",
    "url",
    "eligibility",
    "fees",
    "what_to_bring",
    "hours",
    "keywords",
    "department",
    "translations",
)
OFFICIAL_COLUMNS = (
    "name",
    "kind",
    "title",
    "responsibilities",
    "email",
    "phone",
    "office_hours",
    "address",
    "department",
    "is_public",
)


def _rows_seed(model, agency, departments: dict, columns: tuple, specs, *, key: str | None = None, **extra) -> None:
    """One validated row of `model` per spec (a tuple of the `columns`' values; the department by its slug),
    in the specs' order; with `key`, a spec whose key the agency has already is left as it is."""
    existing = set(model.objects.for_agency(agency).values_list(key, flat=True)) if key else set()
    for order, spec in enumerate(specs):
        values = dict(zip(columns, spec, strict=True))
        if key and values[key] in existing:
            continue
        values["department"] = departments.get(values["department"])
        row = model(agency=agency, order=order, **values, **extra)
        row.full_clean()
        row.save()
