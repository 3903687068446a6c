"""Shared by the request page tests: filing a request directly, counting, the report form's fields."""

from requests_app.models import ServiceRequest
from requests_app.services import OnDuplicate, Reporter, service_request_create
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LONG


def file(agency, **kwargs):
    defaults = {
        "category": "pothole",
        "description": "Deep hole",
        "lat": LAT,
        "long": LONG,
        "attributes": {"size": "large"},
        "on_duplicate": OnDuplicate.FILE,
        "reporter": Reporter(email="secret.reporter@example.com", phone="+1 217 555 0177", first_name="Zed"),
    }
    defaults.update(kwargs)
    with agency_context(agency):
        return service_request_create(agency=agency, **defaults).request


def count(agency) -> int:
    return ServiceRequest.objects.for_agency(agency).count()


FORM = {"description": "Hole by the school", "lat": str(LAT), "long": str(LONG), "attr__size": "large", "follow": "on"}
