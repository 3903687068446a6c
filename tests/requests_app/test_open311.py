"""Open311 GeoReport v2 contract tests, in JSON and XML: every endpoint, field lists and types, errors,
API keys per agency, retries, duplicates, paging, extensions, and no private data in reads."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from requests_app.models import ServiceCategory, ServiceRequest
from tenants.context import agency_context
from tests.requests_app import open311_spec as spec
from tests.requests_app.conftest import LAT, LAT_20M, LONG, upload

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


# --- POST requests --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_request(client, catalogue_a, agency_a, key_a, fmt):
    response = post(
        client,
        fmt,
        key_a,
        **{
            "attribute[lanes][]": ["left", "right"],
            "email": "ann@example.com",
            "phone": "+1 217 555 0199",
            "first_name": "Annabel",
            "last_name": "Quist",
            "device_id": "device-xyz",
            "account_id": "acct-42",
            "address_string": "12 Main St",
            "zipcode": "62701",
        },
    )
    assert response.status_code == 200
    if fmt == "json":
        (answer,) = response.json()
        spec.check_json(answer, spec.POST_ANSWER, spec.POST_OPTIONAL)
    else:
        root = spec.parse_xml(response.content)
        assert root.tag == "service_requests"
        (element,) = list(root)
        assert element.tag == "request"
        answer = spec.xml_record(element, spec.POST_ANSWER, spec.POST_OPTIONAL)
    with agency_context(agency_a):
        request = ServiceRequest.objects.get(reference=answer["service_request_id"])
    assert answer["account_id"] == "acct-42"
    assert request.source == "open311" and request.attributes == {"size": "large", "lanes": ["left", "right"]}
    assert request.reporter_email == "ann@example.com" and request.reporter_first_name == "Annabel"
    assert request.address == "12 Main St" and request.zipcode == "62701"
    assert str(request.token) == answer["token"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_photo_gives_a_media_url_without_exif(
    client, catalogue_a, agency_a, key_a, fmt, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fmt, key_a, files={"media": upload(gps=(LAT, LONG))})
    assert response.status_code == 200
    reference = (
        response.json()[0]["service_request_id"]
        if fmt == "json"
        else spec.parse_xml(response.content).findtext("request/service_request_id")
    )
    record = client.get(f"{BASE}/requests/{reference}.json", {"jurisdiction_id": "alpha"}).json()[0]
    assert record["media_url"].startswith("http://testserver/a/alpha/requests/photos/")
    photo = client.get(record["media_url"].removeprefix("http://testserver"))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    data = photo.content
    assert b"SecretCam" not in data and dict(Image.open(io.BytesIO(data)).getexif()) == {}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("fields", "status", "text"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"jurisdiction_id": None}, 400, "jurisdiction_id"),
        ({"jurisdiction_id": "atlantis"}, 404, "jurisdiction_id"),
        ({"service_code": "nope"}, 400, "service_code"),
        ({"service_code": "retired"}, 400, "service_code"),
        ({"service_code": None}, 400, "service_code"),
        ({"attribute[size]": None}, 400, "attribute[size]"),
        ({"attribute[size]": "enormous"}, 400, "attribute[size]"),
        ({"lat": "91", "long": "10"}, 400, "lat"),
        ({"lat": None, "long": None}, 400, "location"),
        ({"lat": "abc"}, 400, "lat"),
        ({"description": "x" * 4001}, 400, "4,000"),
        ({"description": "<a href='x'>click</a>"}, 400, "HTML"),
        ({"email": "nope@"}, 400, "email"),
    ],
)
def test_post_bad_input_is_an_error_list_and_saves_nothing(
    client, catalogue_a, agency_a, key_a, fmt, fields, status, text
):
    values = {"api_key": key_a, **fields}
    key = values.pop("api_key")
    response = post(client, fmt, key, **values)
    assert response.status_code == status
    assert text in errors_of(response, fmt)
    assert count(agency_a) == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_outside_the_service_area(client, catalogue_a, agency_a, key_a, area_a, fmt):
    response = post(client, fmt, key_a, lat="40.7128", long="-74.0060")
    assert response.status_code == 400 and "outside" in errors_of(response, fmt)
    response = post(client, fmt, key_a, lat=str(LONG), long=str(LAT))
    assert response.status_code == 400 and "swapped" in errors_of(response, fmt)
    assert count(agency_a) == 0


def test_swapped_coordinates_near_the_map_centre_without_an_area(client, catalogue_a, agency_a, key_a):
    from requests_app.models import AgencyRequestSettings

    with agency_context(agency_a):
        AgencyRequestSettings.objects.create(agency=agency_a, map_latitude=LAT, map_longitude=LONG)
    response = post(client, "json", key_a, lat=str(LONG), long=str(LAT))
    assert response.status_code == 400 and "swapped" in errors_of(response, "json")
    assert count(agency_a) == 0
    assert post(client, "json", key_a).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_bad_media_is_refused(client, catalogue_a, agency_a, key_a, fmt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post(client, fmt, key_a, files={"media": SimpleUploadedFile("x.jpg", b"MZ\x90\x00 exe", "image/jpeg")})
    assert response.status_code == 400 and "media" in errors_of(response, fmt)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), "image/jpeg")
    response = post(client, fmt, key_a, files={"media": big})
    assert response.status_code == 400 and "10 MB" in errors_of(response, fmt)
    assert count(agency_a) == 0


def test_another_agencys_key_cannot_post(client, catalogue_a, catalogue_b, agency_a, agency_b, key_b):
    response = post(client, "json", key_b)  # jurisdiction alpha, beta's key
    assert response.status_code == 403
    assert count(agency_a) == 0 and count(agency_b) == 0
    assert post(client, "json", key_b, jurisdiction_id="beta").status_code == 200
    assert count(agency_a) == 0 and count(agency_b) == 1


def test_revoked_key_is_refused(client, catalogue_a, agency_a, key_a):
    from requests_app.models import ApiKey

    with agency_context(agency_a):
        ApiKey.objects.update(is_active=False)
    assert post(client, "json", key_a).status_code == 403
    assert count(agency_a) == 0


def test_idempotency_key_header(client, catalogue_a, agency_a, key_a, key_b, catalogue_b):
    headers = {"Idempotency-Key": "retry-1"}
    first = post(client, "json", key_a, headers=headers).json()[0]
    second = post(client, "json", key_a, headers=headers, description="changed").json()[0]
    assert first["service_request_id"] == second["service_request_id"]
    assert "already received" in second["service_notice"]
    assert count(agency_a) == 1
    # the same header under another jurisdiction's key is another request
    post(client, "json", key_b, headers=headers, jurisdiction_id="beta")
    assert ServiceRequest.objects.unscoped().count() == 2


def test_device_id_and_description_within_a_minute(client, catalogue_a, agency_a, key_a):
    first = post(client, "json", key_a, device_id="dev-1").json()[0]
    second = post(client, "json", key_a, device_id="dev-1", lat=str(LAT + 0.01)).json()[0]
    assert first["service_request_id"] == second["service_request_id"]
    assert count(agency_a) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_is_accepted_linked_and_noticed(client, catalogue_a, agency_a, key_a, fmt):
    original = post(client, "json", key_a).json()[0]["service_request_id"]
    response = post(client, fmt, key_a, lat=str(LAT_20M), email="dup@example.com")
    assert response.status_code == 200
    if fmt == "json":
        answer = response.json()[0]
    else:
        answer = spec.xml_record(spec.parse_xml(response.content)[0], spec.POST_ANSWER, spec.POST_OPTIONAL)
    assert original in answer["service_notice"]
    assert answer["service_request_id"] != original
    record = client.get(
        f"{BASE}/requests/{answer['service_request_id']}.json", {"jurisdiction_id": "alpha", "extensions": "true"}
    ).json()[0]
    assert record["status"] == "closed" and original in record["status_notes"]
    assert record["extended_attributes"]["duplicate_of"] == original
    assert record["extended_attributes"]["status_detail"] == "duplicate"
    assert count(agency_a) == 2


# --- GET requests ---------------------------------------------------------------------------------


@pytest.fixture
def filed(client, catalogue_a, agency_a, key_a, staff_a):
    """Three requests: open, in progress with a public note, resolved; reporter data on each."""
    refs = []
    for i in range(3):
        answer = post(
            client,
            "json",
            key_a,
            lat=str(LAT + i * 0.01),
            email="ann@example.com",
            phone="+1 217 555 0199",
            first_name="Annabel",
            last_name="Quist",
            device_id=f"device-xyz-{i}",
            account_id="acct-42",
        ).json()[0]
        refs.append(answer["service_request_id"])
    from requests_app.services import service_request_transition

    with agency_context(agency_a):
        requests = {r.reference: r for r in ServiceRequest.objects.all()}
        service_request_transition(
            agency=agency_a,
            actor=staff_a["agent"],
            request=requests[refs[1]],
            to_status="in_progress",
            public_note="Crew scheduled",
            internal_note="secret internal remark",
            expected_at=timezone.now() + timedelta(days=2),
        )
        service_request_transition(
            agency=agency_a,
            actor=staff_a["agent"],
            request=requests[refs[2]],
            to_status="resolved",
            public_note="Fixed",
        )
    return refs


def _records(response, fmt, *, extensions=False):
    assert response.status_code == 200
    if fmt == "json":
        records = response.json()
        for record in records:
            spec.check_request_json(record, extensions=extensions)
        return records
    root = spec.parse_xml(response.content)
    assert root.tag == "service_requests"
    records = []
    for element in root:
        assert element.tag == "request"
        values = spec.xml_record(element, spec.REQUEST, spec.EXTENSIONS if extensions else None)
        if extensions:
            assert {"attributes", "extended_attributes", "notes"} <= {c.tag for c in element}
            for note in element.findall("notes/note"):
                spec.xml_record(note, spec.NOTE)
        records.append(values)
    return records


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_default_and_private_data(client, filed, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha"})
    records = _records(response, fmt)
    assert [r["service_request_id"] for r in records] == list(reversed(filed))  # newest first
    by_id = {r["service_request_id"]: r for r in records}
    assert by_id[filed[0]]["status"] == "open" and by_id[filed[0]]["status_notes"] == "Submitted"
    assert by_id[filed[1]]["status"] == "open" and by_id[filed[1]]["status_notes"] == "In progress: Crew scheduled"
    assert by_id[filed[1]]["expected_datetime"]
    assert by_id[filed[2]]["status"] == "closed"
    assert by_id[filed[0]]["agency_responsible"] == "Alpha City"
    body = response.content.decode()
    for secret in [*PRIVATE, "secret internal remark"]:
        assert secret not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_with_extensions(client, filed, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", "extensions": "true"})
    records = _records(response, fmt, extensions=True)
    assert len(records) == 3
    body = response.content.decode()
    for secret in [*PRIVATE, "secret internal remark"]:
        assert secret not in body
    if fmt == "json":
        in_progress = next(r for r in records if r["service_request_id"] == filed[1])
        assert [n["type"] for n in in_progress["notes"]] == ["opened", "status_change"]
        assert in_progress["notes"][1]["description"] == "Crew scheduled"
        assert in_progress["attributes"] == [{"code": "size", "description": "How big is it?", "value": "large"}]
        assert in_progress["extended_attributes"]["status_detail"] == "in_progress"


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(client, filed, fmt):
    def ids(**params):
        response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", **params})
        return [r["service_request_id"] for r in _records(response, fmt)]

    assert ids(status="open") == [filed[1], filed[0]]
    assert ids(status="closed") == [filed[2]]
    assert ids(status="open,closed") == list(reversed(filed))
    assert ids(service_code="fallen-tree") == []
    assert ids(service_code="pothole,fallen-tree") == list(reversed(filed))
    assert sorted(ids(service_request_id=f"{filed[0]},{filed[2].lower()}", status="open")) == sorted(
        [filed[0], filed[2]]
    )  # ids override other filters
    assert ids(start_date=(timezone.now() + timedelta(days=1)).isoformat()) == []
    assert len(ids(start_date=(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))) == 3
    assert ids(page_size="2") == [filed[2], filed[1]]
    assert ids(page_size="2", page="2") == [filed[0]]
    assert ids(page="9") == []


def test_paging_link_header(client, filed):
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": "alpha", "page_size": "2"})
    assert 'rel="next"' in response["Link"] and "page=2" in response["Link"]
    assert "Link" not in client.get(f"{BASE}/requests.json", {"jurisdiction_id": "alpha", "page_size": "3"})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "before"),
        ({"status": "pending"}, "status"),
        ({"page": "0"}, "page"),
        ({"page_size": "5000"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_get_requests_bad_filters(client, filed, fmt, params, text):
    response = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "alpha", **params})
    assert response.status_code == 400 and text in errors_of(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_one_request(client, filed, fmt):
    response = client.get(f"{BASE}/requests/{filed[1]}.{fmt}", {"jurisdiction_id": "alpha"})
    (record,) = _records(response, fmt)
    assert record["service_request_id"] == filed[1]
    assert record["service_code"] == "pothole" and record["service_name"] == "Pothole"
    assert float(record["lat"]) == pytest.approx(LAT + 0.01)
    for secret in PRIVATE:
        assert secret not in response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_of_another_jurisdiction_is_404(client, filed, catalogue_b, agency_b, fmt):
    response = client.get(f"{BASE}/requests/{filed[0]}.{fmt}", {"jurisdiction_id": "beta"})
    assert response.status_code == 404 and filed[0] in errors_of(response, fmt)
    listing = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": "beta", "service_request_id": filed[0]})
    assert _records(listing, fmt) == []
    assert client.get(f"{BASE}/requests/NOPE-1.{fmt}", {"jurisdiction_id": "alpha"}).status_code == 404


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
