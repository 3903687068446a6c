"""Open311 POST requests, in JSON and XML: filing, photos, bad input as error lists, service areas, API keys per
agency, retries (idempotency), duplicates."""

import io

import pytest
from PIL import Image

from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.requests_app import open311_spec as spec
from tests.requests_app.conftest import LAT, LAT_20M, LONG, upload
from tests.requests_app.open311_support import BASE, FORMATS, count, errors_of, post

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
