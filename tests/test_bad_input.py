"""Bad input is refused once at the edges with a clear error, never a 500 or a dropped socket: NUL
and unpaired surrogates in paths, query strings, forms and JSON; over-deep or invalid JSON; bodies over
the limit; Open311 dates at the ends of the calendar; the form editor's retire action."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.input_guard import MAX_JSON_DEPTH, BadInput, json_loads_checked


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize(
    "url",
    [
        "/?q=%00",
        "/?q%00=x",
        "/a/alpha/track/?reference=SPR%00",
        "/a/alpha/%00/",
        "/api/v1/agencies/?search=a%00b",
        "/api/v1/a/alpha/status/X%00Y/",
        "/open311/v2/requests.json?jurisdiction_id=alpha&service_code=%00",
        "/open311/v2/requests/%00.json?jurisdiction_id=alpha",
        "/a/alpha/staff/requests/?q=%00",
    ],
)
def test_nul_in_paths_and_query_strings_is_a_clear_400(client, agency_a, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL character or an unpaired surrogate" in response.text
    if url.startswith(("/api/", "/open311/")):
        assert response.json()["code"] == "bad_character"


def test_nul_in_form_fields_and_file_names_is_a_clear_400(client_for, staff_a, agency_a):
    client = client_for(staff_a["admin"])
    response = client.post("/a/alpha/staff/requests/", {"note": "a\x00b"})
    assert response.status_code == 400 and "NUL character" in response.text
    upload = SimpleUploadedFile("a\x00.txt", b"text", content_type="text/plain")
    response = client.post("/api/v1/a/alpha/knowledge/documents/", {"title": "T", "file": upload})
    assert response.status_code in (201, 400)  # Django's parser may already have dropped the NUL
    response = client.post("/api/v1/a/alpha/knowledge/documents/", {"title": "T\x00", "content": "x"})
    assert response.status_code == 400 and response.json()["code"] == "bad_character"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ('{"question": "a\\u0000b"}', "bad_character"),
        ('{"question": "\\ud800"}', "bad_character"),
        ('{"\\udfff": "key"}', "bad_character"),
        ('{"question": ' + deep(MAX_JSON_DEPTH) + "}", "too_deep"),
        (deep(100_000), "too_deep"),
        ('{"question": NaN}', "bad_json"),
        ("{oops", "bad_json"),
        (b'{"question": "\xff"}', "bad_json"),
    ],
)
def test_bad_json_bodies_are_a_clear_400_before_the_view(client, agency_a, body, code):
    response = client.post("/api/v1/a/alpha/ask/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_json_at_the_depth_limit_passes():
    assert json_loads_checked(deep(MAX_JSON_DEPTH)) == json.loads(deep(MAX_JSON_DEPTH))
    with pytest.raises(BadInput):
        json_loads_checked(deep(MAX_JSON_DEPTH + 1))


def test_a_body_over_the_limit_is_413(client, agency_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/a/alpha/ask/", json.dumps({"question": "x" * 2000}), content_type="application/json"
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    settings.REQUEST_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.jpg", b"x" * 2000, content_type="image/jpeg")
    assert client.post("/a/alpha/report/pothole/", {"photos": upload}).status_code == 413


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "9999-12-31"},
        {"end_date": "0001-01-01"},
        {"start_date": "9999-12-31T23:59:59-05:00"},
        {"end_date": "0001-01-01T00:00:00+05:00"},
    ],
)
def test_open311_dates_at_the_ends_of_the_calendar_are_a_400(client, agency_a, params):
    response = client.get("/open311/v2/requests.json", {"jurisdiction_id": "alpha", **params})
    assert response.status_code == 400
    assert "9999" in response.text
