"""Demo content of the front door: the county's and state agencies' knowledge bases, every agency's
services and public contacts, jurisdiction areas, and the report categories of the county roads and the
state highways. Idempotent: existing rows are left as they are."""

from frontdoor import demo_catalogue as catalogue
from frontdoor.demo_knowledge import DOCUMENTS
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
            _services_seed(agency, departments, catalogue.SERVICES.get(slug, []))
            _officials_seed(agency, departments, catalogue.OFFICIALS.get(slug, []))


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
    for order, (_slug, code, name, group, description, keywords, department) in enumerate(specs):
        if ServiceCategory.objects.for_agency(agency).filter(code=code).exists():
            continue
        category = ServiceCategory(
            agency=agency,
            code=code,
            name=name,
            group=group,
            description=description,
            keywords=keywords,
            department=departments.get(department),
            order=order,
            sla_hours=72,
        )
        category.full_clean()
        category.save()


def _services_seed(agency, departments, specs) -> None:
    existing = set(Service.objects.for_agency(agency).values_list("slug", flat=True))
    for order, spec in enumerate(specs):
        slug, name, summary, url, eligibility, fees, bring, hours, keywords, department, translations = spec
        if slug in existing:
            continue
        service = Service(
            agency=agency,
            slug=slug,
            name=name,
            summary=summary,
            url=url,
            eligibility=eligibility,
            fees=fees,
            what_to_bring=bring,
            hours=hours,
            keywords=keywords,
            department=departments.get(department),
            translations=translations,
            order=order,
        )
        service.full_clean()
        service.save()


def _officials_seed(agency, departments, specs) -> None:
    if Official.objects.for_agency(agency).exists():
        return
    for order, spec in enumerate(specs):
        name, kind, title, handles, email, phone, hours, address, department, public = spec
        official = Official(
            agency=agency,
            name=name,
            kind=kind,
            title=title,
            responsibilities=handles,
            email=email,
            phone=phone,
            office_hours=hours,
            address=address,
            department=departments.get(department),
            is_public=public,
            order=order,
        )
        official.full_clean()
        official.save()
