"""Shared by the Open311 contract tests: posting a request, counting, reading an error list (JSON or XML)."""

from requests_app.models import ServiceRequest
from tests.requests_app import open311_spec as spec
from tests.requests_app.conftest import LAT, LONG

BASE = "/open311/v2"
FORMATS = ["json", "xml"]
PRIVATE = ["ann@example.com", "+1 217 555 0199", "Annabel", "Quist", "device-xyz", "acct-42"]


def post(client, fmt="json", key=None, headers=None, files=None, **fields):
    data = {
        "jurisdiction_id": "alpha",
        "api_key": key,
        "service_code": "pothole",
        "lat": str(LAT),
        "long": str(LONG),
        "description": "Big hole in the road",
        "attribute[size]": "large",
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    if files:
        data.update(files)
    return client.post(f"{BASE}/requests.{fmt}", data, headers=headers or {})


def count(agency) -> int:
    return ServiceRequest.objects.for_agency(agency).count()


def errors_of(response, fmt):
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        items = response.json()
        assert isinstance(items, list) and items
        for item in items:
            spec.check_json(item, spec.ERROR)
            assert item["code"] == response.status_code
        return " ".join(item["description"] for item in items)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = spec.parse_xml(response.content)
    assert root.tag == "errors" and len(root)
    texts = []
    for error in root:
        assert error.tag == "error"
        values = spec.xml_record(error, spec.ERROR)
        assert int(values["code"]) == response.status_code
        texts.append(values["description"])
    return " ".join(texts)
