"""Shared by the request service tests: filing a request directly, counting."""

from requests_app.models import ServiceRequest
from requests_app.services import (
    OnDuplicate,
    service_request_create,
)
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
    }
    defaults.update(kwargs)
    with agency_context(agency):
        return service_request_create(agency=agency, **defaults)


def count(agency) -> int:
    return ServiceRequest.objects.for_agency(agency).count()
