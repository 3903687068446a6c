import json

import pytest

from frontdoor import catalogue
from frontdoor.models import Jurisdiction, Official, Service
from knowledge import services as knowledge_services
from requests_app.models import ServiceCategory
from tenants.context import agency_context

SECRET = "zqfrontsecret"
CITY = {
    "type": "Polygon",
    "coordinates": [[[-89.78, 39.68], [-89.54, 39.68], [-89.54, 39.89], [-89.78, 39.89], [-89.78, 39.68]]],
}
STATE = {
    "type": "Polygon",
    "coordinates": [[[-91.5, 37.0], [-87.5, 37.0], [-87.5, 42.5], [-91.5, 42.5], [-91.5, 37.0]]],
}

TRASH = [
    {
        "question": "When is my trash collected?",
        "answer": "Trash and recycling carts are collected once a week on your collection day. Put carts at the curb by 6 am.",
    },
    {
        "question": "How do I get rid of a mattress or couch?",
        "answer": "Schedule a bulk item pickup of furniture and mattresses three days ahead.",
    },
    {
        "question": "How do I report a pothole?",
        "answer": "Report potholes on city streets online; crews fill them within five days.",
    },
]
TAX = [
    {
        "question": "When will I get my income tax refund?",
        "answer": "Income tax refunds for returns filed electronically are issued within three weeks.",
    },
    {
        "question": "How do I pay the income tax I owe?",
        "answer": "Pay income tax online by bank transfer or card, or mail a check with the payment voucher.",
    },
]


@pytest.fixture(autouse=True)
def _fast_embedder(settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None
    catalogue.catalogue_clear()
    yield
    catalogue.catalogue_clear()


def _publish(agency, *, title, entries=None, content=None, audience="public", capture=None):
    """A document indexed synchronously (no Celery), as the demo seed does."""
    with agency_context(agency):
        spec = (
            {"format": "faq_json", "content": json.dumps(entries)}
            if entries
            else {"format": "markdown", "content": content}
        )
        document = knowledge_services.document_create(
            agency=agency, actor=None, title=title, audience=audience, queue=False, **spec
        )
        version = document.versions.get()
        knowledge_services.versions_index(agency=agency, version_ids=[version.pk], maintain_indexes=False)
        return document


@pytest.fixture
def front(agency_a, agency_b):
    """A (a city: trash, potholes) and B (a state revenue office: income tax, with a staff-only document)."""
    capture = None
    _publish(agency_a, title="Trash and streets FAQ", entries=TRASH, capture=capture)
    _publish(agency_b, title="Income tax FAQ", entries=TAX, capture=capture)
    _publish(
        agency_b,
        title="Internal overtime",
        content=f"# Overtime codes\n\nThe {SECRET} overtime code for snow plowing shifts is 7731.",
        audience="staff",
        capture=capture,
    )
    with agency_context(agency_a):
        Jurisdiction.objects.create(agency=agency_a, name="City of Alpha", area=CITY)
        ServiceCategory.objects.create(agency=agency_a, code="pothole", name="Pothole", keywords="pothole,road")
        Service.objects.create(
            agency=agency_a,
            slug="bulk",
            name="Schedule a bulk item pickup",
            summary="Furniture and mattresses from the curb.",
            url="https://alpha.example/bulk",
            fees="$35 after two free pickups",
            keywords="couch,mattress",
            translations={"es": {"name": "Programar la recogida de objetos voluminosos"}},
        )
        Official.objects.create(
            agency=agency_a,
            name="Dana Street",
            title="Director of Public Works",
            email="dana@alpha.example",
            is_public=True,
        )
        Official.objects.create(agency=agency_a, name=f"Hidden {SECRET}", title="Internal auditor", is_public=False)
    with agency_context(agency_b):
        Jurisdiction.objects.create(agency=agency_b, name="The State", area=STATE)
        ServiceCategory.objects.create(
            agency=agency_b, code="highway-pothole", name="Pothole on a state highway", keywords="pothole,highway"
        )
        Service.objects.create(
            agency=agency_b,
            slug="refund",
            name="Check your refund status",
            url="https://beta.example/refund",
            keywords="refund,status",
        )
        Official.objects.create(
            agency=agency_b,
            name="Rita Ledger",
            title="Manager, Business Tax Registration",
            responsibilities="Business tax registration",
            email="rita@beta.example",
            phone="+1 555 0100",
            is_public=True,
        )
    return agency_a, agency_b
