"""Filing requests at the service layer: validation, references per agency, service areas, photos (EXIF, formats,
sizes). Duplicates, transitions, assignment, merging and following: test_services_workflow.py."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from requests_app.models import Follower, RequestPhoto, Status
from requests_app.services import (
    Reporter,
)
from tenants.context import agency_context
from tests.requests_app.conftest import LAT, LONG, upload
from tests.requests_app.services_support import count, file

# --- create ---------------------------------------------------------------------------------------


def test_create_gives_reference_event_and_follower(catalogue_a, agency_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        result = file(agency_a, reporter=Reporter(email="Ann@Example.com", phone="+1 217 555 0101"))
    request = result.request
    assert result.created and result.notice == ""
    year = timezone.now().year
    assert re.fullmatch(rf"ALP-{year}-\d{{6}}", request.reference)
    assert request.status == Status.SUBMITTED
    assert request.attributes == {"size": "large"}
    assert request.sla_due_at is not None
    assert request.reporter_email == "ann@example.com"
    with agency_context(agency_a):
        assert [e.kind for e in request.events.all()] == ["created"]
        follower = Follower.objects.get(request=request)
    assert follower.email == "ann@example.com" and follower.is_reporter
    # the routing task, queued after commit (the other hook notes the new reference sequence)
    assert [c.__qualname__ for c in callbacks if "service_request_create" in c.__qualname__] == [
        "service_request_create.<locals>.<lambda>"
    ]


def test_references_count_up_per_agency(catalogue_a, catalogue_b, agency_a, agency_b):
    first = file(agency_a).request.reference
    second = file(agency_a, lat=LAT + 0.01).request.reference
    other = file(agency_b).request.reference
    assert int(second[-6:]) == int(first[-6:]) + 1
    assert other.startswith("BET-") and other.endswith("000001")


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"description": "x" * 4001}, "description", "4,000"),
        ({"description": "Look <b>here</b>"}, "description", "HTML"),
        ({"description": "<script>alert(1)</script>"}, "description", "HTML"),
        ({"lat": 91, "long": 10}, "lat", "between -90 and 90"),
        ({"lat": -118.25, "long": 34.05}, "lat", "swapped"),
        ({"lat": None, "long": None}, "location", "Say where"),
        ({"lat": LAT, "long": None}, "long", "both"),
        ({"lat": "north", "long": LONG}, "lat", "number"),
        ({"lat": "nan", "long": LONG}, "lat", "number"),
        ({"category": "nope"}, "service_code", "Unknown service_code"),
        ({"category": "retired"}, "service_code", "Unknown service_code"),
        ({"attributes": {}}, "attribute[size]", "required"),
        ({"attributes": {"size": "huge"}}, "attribute[size]", "Unknown choice"),
        ({"attributes": {"size": "small", "lanes": ["left", "middle"]}}, "attribute[lanes]", "Unknown choice"),
        ({"reporter": Reporter(email="not-an-email")}, "email", "valid email"),
        ({"media_url": "javascript:alert(1)"}, "media_url", "http"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(catalogue_a, agency_a, overrides, field, text):
    with pytest.raises(ValidationError) as caught:
        file(agency_a, **overrides)
    assert field in caught.value.message_dict
    assert text in " ".join(caught.value.message_dict[field])
    assert count(agency_a) == 0


def test_plain_text_with_angle_brackets_is_fine(catalogue_a, agency_a):
    assert file(agency_a, description="Hole is < 1 m wide and 5 > 3 <3").request.pk


def test_another_agencys_category_is_unknown(catalogue_a, catalogue_b, agency_a, agency_b):
    with pytest.raises(ValidationError) as caught:
        file(agency_a, category=catalogue_b["pothole"])
    assert "service_code" in caught.value.message_dict
    assert count(agency_a) == count(agency_b) == 0


def test_outside_service_area_and_swapped_hint(catalogue_a, agency_a, area_a):
    with pytest.raises(ValidationError) as caught:
        file(agency_a, lat=40.7128, long=-74.0060)  # New York
    assert "outside" in caught.value.message_dict["location"][0]
    assert "swapped" not in caught.value.message_dict["location"][0]
    # long/lat swapped by the client: -89.6 is a valid latitude but not inside the area
    with pytest.raises(ValidationError) as caught:
        file(agency_a, lat=LONG, long=LAT)
    assert "swapped" in " ".join(caught.value.messages)
    assert count(agency_a) == 0
    assert file(agency_a).request.reference.startswith("ALP-")


def test_address_only_is_accepted(catalogue_a, agency_a):
    request = file(agency_a, lat=None, long=None, address="100 Main St").request
    assert request.lat is None and request.address == "100 Main St"


# --- photos ---------------------------------------------------------------------------------------


def test_photo_gps_is_used_and_exif_stripped(catalogue_a, agency_a, django_capture_on_commit_callbacks):
    photo = upload(gps=(LAT, LONG))
    with django_capture_on_commit_callbacks(execute=True):
        result = file(agency_a, lat=None, long=None, photos=[photo])
    request = result.request
    assert request.lat == pytest.approx(LAT, abs=1e-5) and request.long == pytest.approx(LONG, abs=1e-5)
    with agency_context(agency_a):
        stored = RequestPhoto.objects.get(request=request)
    assert f"requests/{agency_a.pk}/" in stored.image.name
    data = stored.image.storage.open(stored.image.name).read()
    assert b"SecretCam" not in data
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {}
    assert image.format == "JPEG"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(catalogue_a, agency_a, fmt):
    result = file(agency_a, photos=[upload(name=f"p.{fmt.lower()}", fmt=fmt, content_type=f"image/{fmt.lower()}")])
    assert result.photos[0].format == fmt


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not an image", "JPEG, PNG or WebP"),
        (b"GIF89a" + b"\x00" * 50, "JPEG, PNG or WebP"),
    ],
)
def test_non_images_are_refused(catalogue_a, agency_a, content, message):
    bad = SimpleUploadedFile("x.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        file(agency_a, photos=[bad])
    assert message in caught.value.message_dict["media"][0]
    assert count(agency_a) == 0


def test_gif_is_refused(catalogue_a, agency_a):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(ValidationError):
        file(agency_a, photos=[SimpleUploadedFile("x.gif", out.getvalue(), content_type="image/gif")])
    assert count(agency_a) == 0


def test_oversized_photo_is_refused(catalogue_a, agency_a):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10), content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        file(agency_a, photos=[big])
    assert "10 MB" in caught.value.message_dict["media"][0]
    assert count(agency_a) == 0
