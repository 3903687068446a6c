"""Demo content for Springfield Public Works: the service catalogue with extra questions, routing to
departments (Parks by its service area), and a handful of requests in different states. Idempotent:
existing rows are left alone."""

from django.contrib.auth import get_user_model

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

YES_NO = [("yes", "Yes"), ("no", "No")]


CITY_AREA = {
    "type": "Polygon",
    "coordinates": [[[-89.78, 39.68], [-89.54, 39.68], [-89.54, 39.89], [-89.78, 39.89], [-89.78, 39.68]]],
}
# Washington Park and Lincoln Park (approximate): trees down inside them go to Parks and Forestry.
PARKS_AREA = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[-89.6880, 39.7790], [-89.6740, 39.7790], [-89.6740, 39.7880], [-89.6880, 39.7880], [-89.6880, 39.7790]]],
        [[[-89.6640, 39.8150], [-89.6520, 39.8150], [-89.6520, 39.8230], [-89.6640, 39.8230], [-89.6640, 39.8150]]],
    ],
}

CATEGORIES = [
    {
        "code": "pothole",
        "name": "Pothole",
        "group": "Streets and sidewalks",
        "description": "A hole or broken pavement in a street or alley.",
        "keywords": "pothole,hole,road,pavement,asphalt",
        "department": "streets",
        "sla_hours": 72,
        "duplicate_radius_m": 30,
        "attributes": [
            (
                "size",
                "How big is it?",
                "singlevaluelist",
                True,
                [
                    ("small", "Smaller than a dinner plate"),
                    ("medium", "Up to a car tyre"),
                    ("large", "Bigger than a car tyre"),
                ],
            ),
            (
                "position",
                "Where in the street?",
                "singlevaluelist",
                False,
                [
                    ("lane", "Traffic lane"),
                    ("bike", "Bike lane"),
                    ("crosswalk", "Crosswalk"),
                    ("shoulder", "Shoulder or curb"),
                ],
            ),
        ],
    },
    {
        "code": "streetlight-out",
        "name": "Street light out",
        "group": "Streets and sidewalks",
        "description": "A street light that is dark, flickering or on during the day.",
        "keywords": "street light,streetlight,lamp,dark,light out",
        "department": "traffic",
        "sla_hours": 120,
        "duplicate_radius_m": 40,
        "attributes": [
            (
                "problem",
                "What is wrong with the light?",
                "singlevaluelist",
                True,
                [
                    ("out", "It is out"),
                    ("flicker", "It flickers"),
                    ("day", "It is on during the day"),
                    ("pole", "The pole is damaged"),
                ],
            ),
            ("pole_number", "Pole number, if you can see one", "string", False, []),
        ],
    },
    {
        "code": "graffiti",
        "name": "Graffiti",
        "group": "Streets and sidewalks",
        "description": "Graffiti on public property: walls, signs, bridges, benches.",
        "keywords": "graffiti,tag,vandalism,paint",
        "department": "streets",
        "sla_hours": 168,
        "attributes": [
            (
                "surface",
                "What is painted?",
                "singlevaluelist",
                True,
                [
                    ("wall", "A public wall or building"),
                    ("sign", "A traffic sign"),
                    ("bridge", "A bridge or underpass"),
                    ("other", "Something else"),
                ],
            ),
            ("offensive", "Is it offensive or hateful?", "singlevaluelist", False, YES_NO),
        ],
    },
    {
        "code": "missed-trash",
        "name": "Missed trash pickup",
        "group": "Trash and recycling",
        "description": "Your carts were out on collection day and were not emptied.",
        "keywords": "trash,garbage,recycling,pickup,collection,cart,missed",
        "department": "sanitation",
        "sla_hours": 48,
        "duplicate_radius_m": 10,
        "duplicate_window_days": 3,
        "attributes": [
            (
                "carts",
                "Which carts were missed?",
                "multivaluelist",
                True,
                [("trash", "Trash"), ("recycling", "Recycling"), ("yard", "Yard waste")],
            ),
            ("out_by_six", "Were the carts at the curb by 6 am?", "singlevaluelist", True, YES_NO),
        ],
    },
    {
        "code": "park-maintenance",
        "name": "Park maintenance",
        "group": "Parks and trees",
        "description": "Broken playground equipment, restrooms, litter, overgrown grass in a city park.",
        "keywords": "park,playground,restroom,bench,mowing,litter",
        "department": "parks",
        "sla_hours": 120,
        "attributes": [
            ("park_name", "Which park?", "string", True, []),
            (
                "issue",
                "What needs attention?",
                "singlevaluelist",
                True,
                [
                    ("playground", "Playground equipment"),
                    ("restroom", "Restroom"),
                    ("litter", "Litter or overflowing bins"),
                    ("mowing", "Grass or weeds"),
                    ("other", "Something else"),
                ],
            ),
        ],
    },
    {
        "code": "fallen-tree",
        "name": "Fallen tree or hazard",
        "group": "Parks and trees",
        "description": "A fallen tree or large branch, or another hazard blocking a street, sidewalk or path.",
        "keywords": "tree,branch,fallen,hazard,storm,blocked",
        "department": "streets",
        "area_departments": ["parks"],
        "sla_hours": 24,
        "duplicate_radius_m": 75,
        "duplicate_window_days": 7,
        "attributes": [
            (
                "blocking",
                "What is blocked?",
                "multivaluelist",
                True,
                [
                    ("road", "Road"),
                    ("sidewalk", "Sidewalk or path"),
                    ("wires", "It touches power lines"),
                    ("nothing", "Nothing is blocked"),
                ],
            ),
            ("diameter", "Rough trunk or branch diameter (inches)", "number", False, []),
        ],
    },
]

DEMO_REQUESTS = [
    # key, category, lat, long, address, description, answers, email, steps
    (
        "demo-1",
        "pothole",
        39.7817,
        -89.6436,
        "S Grand Ave E & S 11th St",
        "Deep pothole in the eastbound lane, cars swerve around it.",
        {"size": "large", "position": "lane"},
        "maria.lopez@example.com",
        [],
    ),
    (
        "demo-2",
        "pothole",
        39.7702,
        -89.6722,
        "1200 S MacArthur Blvd",
        "Several small potholes by the bus stop.",
        {"size": "small"},
        "",
        [("acknowledged", "An inspector will look at this within two working days.")],
    ),
    (
        "demo-3",
        "streetlight-out",
        39.8011,
        -89.6502,
        "W Washington St & N Walnut St",
        "The light on the north-east corner has been dark for a week.",
        {"problem": "out"},
        "dwright@example.com",
        [("acknowledged", ""), ("in_progress", "A crew is scheduled for Thursday night.")],
    ),
    (
        "demo-4",
        "missed-trash",
        39.7655,
        -89.6380,
        "1834 S Douglas Ave",
        "Recycling cart was not emptied on Monday.",
        {"carts": ["recycling"], "out_by_six": "yes"},
        "",
        [("in_progress", ""), ("resolved", "The crew emptied the cart on Tuesday morning. Sorry for the delay.")],
    ),
    (
        "demo-5",
        "park-maintenance",
        39.7842,
        -89.6801,
        "Washington Park playground",
        "Swing chain is broken on the big swing set.",
        {"park_name": "Washington Park", "issue": "playground"},
        "",
        [
            ("in_progress", "Parks staff removed the swing for safety."),
            ("resolved", "New chain installed."),
            ("closed", ""),
        ],
    ),
    (
        "demo-6",
        "fallen-tree",
        39.7851,
        -89.6790,
        "Washington Park, path by the lagoon",
        "A large branch fell across the walking path after the storm.",
        {"blocking": ["sidewalk"], "diameter": "10"},
        "sam.k@example.com",
        [],
    ),
    (
        "demo-7",
        "graffiti",
        39.7990,
        -89.6440,
        "Old State Capitol Plaza, east wall",
        "Spray paint tags on the wall near the bike racks.",
        {"surface": "wall", "offensive": "no"},
        "",
        [("rejected", "This wall belongs to the State of Illinois; we passed your report to them.")],
    ),
]


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


def _translations_ensure(category: ServiceCategory) -> None:
    """The demo catalogue in Spanish and Chinese; a database seeded before translations existed is
    completed (what an agency typed itself is left alone)."""
    wanted = CATEGORY_TRANSLATIONS.get(category.code)
    if wanted and not category.translations:
        category.translations = wanted
        category.full_clean()
        category.save(update_fields=["translations"])
    for attribute in category.attributes.all():
        wanted = ATTRIBUTE_TRANSLATIONS.get((category.code, attribute.code))
        if wanted and not attribute.translations:
            attribute.translations = wanted
            attribute.full_clean()
            attribute.save(update_fields=["translations"])


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
