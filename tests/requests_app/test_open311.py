"""Open311 GeoReport v2 contract tests, in JSON and XML: discovery, services and their definitions, tokens, XML
escaping. POST: test_open311_post.py; GET requests: test_open311_get.py."""

import json

import pytest

from requests_app.models import ServiceCategory
from tenants.context import agency_context
from tests.requests_app import open311_spec as spec
from tests.requests_app.open311_support import BASE, FORMATS, errors_of, post

# --- discovery and services -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, db, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        data = response.json()
        spec.check_json(data, spec.DISCOVERY)
        spec.check_json(data["endpoints"][0], spec.ENDPOINT)
        assert set(data["endpoints"][0]["formats"]) == {"application/json", "text/xml"}
        assert data["endpoints"][0]["url"] == "http://testserver/open311/v2"
    else:
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        root = spec.parse_xml(response.content)
        assert root.tag == "discovery"
        spec.xml_record(root, spec.DISCOVERY)
        endpoint = root.find("endpoints/endpoint")
        spec.xml_record(endpoint, spec.ENDPOINT)
        assert {f.text for f in endpoint.findall("formats/format")} == {"application/json", "text/xml"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_only_this_agencys_active_services(client, catalogue_a, agency_b, fmt):
    with agency_context(agency_b):
        ServiceCategory.objects.create(agency=agency_b, code="beta-only", name="Beta only")
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "alpha"})
    assert response.status_code == 200
    if fmt == "json":
        services = response.json()
        for service in services:
            spec.check_json(service, spec.SERVICE)
        by_code = {s["service_code"]: s for s in services}
    else:
        root = spec.parse_xml(response.content)
        assert root.tag == "services"
        by_code = {}
        for element in root:
            assert element.tag == "service"
            values = spec.xml_record(element, spec.SERVICE)
            by_code[values["service_code"]] = values
    assert set(by_code) == {"pothole", "fallen-tree"}
    pothole = by_code["pothole"]
    assert pothole["metadata"] in (True, "true") and pothole["type"] == "realtime"
    assert pothole["keywords"] == "pothole,road" and pothole["group"] == "Streets"
    assert by_code["fallen-tree"]["metadata"] in (False, "false")


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client, catalogue_a, fmt):
    response = client.get(f"{BASE}/services/pothole.{fmt}", {"jurisdiction_id": "alpha"})
    assert response.status_code == 200
    if fmt == "json":
        data = response.json()
        spec.check_json(data, spec.DEFINITION)
        for attribute in data["attributes"]:
            spec.check_json(attribute, spec.ATTRIBUTE)
            assert attribute["datatype"] in spec.DATATYPES
            for value in attribute["values"]:
                spec.check_json(value, spec.VALUE)
        size = data["attributes"][0]
        assert size["code"] == "size" and size["required"] is True and size["order"] == 1
        assert size["values"] == [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]
    else:
        root = spec.parse_xml(response.content)
        assert root.tag == "service_definition"
        spec.xml_record(root, spec.DEFINITION)
        attributes = root.findall("attributes/attribute")
        assert len(attributes) == 2
        for attribute in attributes:
            values = spec.xml_record(attribute, spec.ATTRIBUTE)
            assert values["datatype"] in spec.DATATYPES
            for value in attribute.findall("values/value"):
                spec.xml_record(value, spec.VALUE)
        assert [v.findtext("key") for v in attributes[0].findall("values/value")] == ["small", "large"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_or_foreign_service_definition_is_404(client, catalogue_a, agency_b, fmt):
    with agency_context(agency_b):
        ServiceCategory.objects.create(agency=agency_b, code="beta-only", name="Beta only")
    for code in ("nope", "beta-only", "retired"):
        response = client.get(f"{BASE}/services/{code}.{fmt}", {"jurisdiction_id": "alpha"})
        assert response.status_code == 404
        assert "service_code" in errors_of(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_is_required_and_must_exist(client, catalogue_a, fmt):
    response = client.get(f"{BASE}/services.{fmt}")
    assert response.status_code == 400 and "jurisdiction_id" in errors_of(response, fmt)
    response = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "atlantis"})
    assert response.status_code == 404 and "jurisdiction_id" in errors_of(response, fmt)


def test_unknown_format_and_method(client, catalogue_a):
    response = client.get(f"{BASE}/services.html", {"jurisdiction_id": "alpha"})
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    response = client.put(f"{BASE}/requests.json")
    assert response.status_code == 405
    response = client.get(f"{BASE}/nothing-here.json")
    assert response.status_code == 404
    errors_of(response, "json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_tokens(client, catalogue_a, agency_a, key_a, agency_b, fmt):
    answer = post(client, "json", key_a).json()[0]
    response = client.get(f"{BASE}/tokens/{answer['token']}.{fmt}", {"jurisdiction_id": "alpha"})
    assert response.status_code == 200
    if fmt == "json":
        (record,) = response.json()
        spec.check_json(record, spec.TOKEN)
    else:
        root = spec.parse_xml(response.content)
        record = spec.xml_record(root[0], spec.TOKEN)
    assert record["service_request_id"] == answer["service_request_id"]
    assert client.get(f"{BASE}/tokens/{answer['token']}.{fmt}", {"jurisdiction_id": "beta"}).status_code == 404
    assert client.get(f"{BASE}/tokens/not-a-uuid.{fmt}", {"jurisdiction_id": "alpha"}).status_code == 404


def test_xml_escapes_text(client, catalogue_a, agency_a, key_a):
    answer = post(client, "json", key_a, description='Tom & Jerry said "hi" — 你好 < 3').json()[0]
    response = client.get(f"{BASE}/requests/{answer['service_request_id']}.xml", {"jurisdiction_id": "alpha"})
    root = spec.parse_xml(response.content)
    assert root.findtext("request/description") == 'Tom & Jerry said "hi" — 你好 < 3'
    assert json.loads(
        client.get(f"{BASE}/requests/{answer['service_request_id']}.json", {"jurisdiction_id": "alpha"}).content
    )[0]["description"].endswith("你好 < 3")
