"""Fixtures for the service-request tests: a small catalogue in both agencies, API keys, images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from requests_app import selectors
from requests_app.models import AgencyRequestSettings, ServiceAttribute, ServiceCategory
from requests_app.services import api_key_issue
from requests_app.services.keys import api_key_cache_clear
from tenants.context import agency_context
from tenants.models import Department

# A spot in Alpha City (the fixtures' agency A) and one 20 m north of it.
LAT, LONG = 39.7817, -89.6436
LAT_20M = LAT + 0.00018


@pytest.fixture(autouse=True)
def _fresh_caches():
    selectors.caches_clear()
    api_key_cache_clear()
    yield
    selectors.caches_clear()
    api_key_cache_clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_catalogue(agency):
    with agency_context(agency):
        roads = Department.objects.for_agency(agency).get(slug="roads")
        parks = Department.objects.for_agency(agency).get(slug="parks")
        pothole = ServiceCategory.objects.create(
            agency=agency,
            code="pothole",
            name="Pothole",
            description="A hole in the road.",
            group="Streets",
            keywords="pothole,road",
            department=roads,
            sla_hours=48,
        )
        ServiceAttribute.objects.create(
            agency=agency,
            category=pothole,
            code="size",
            description="How big is it?",
            datatype="singlevaluelist",
            required=True,
            order=1,
            values=[{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}],
        )
        ServiceAttribute.objects.create(
            agency=agency,
            category=pothole,
            code="lanes",
            description="Which lanes?",
            datatype="multivaluelist",
            required=False,
            order=2,
            values=[{"key": "left", "name": "Left"}, {"key": "right", "name": "Right"}],
        )
        tree = ServiceCategory.objects.create(
            agency=agency, code="fallen-tree", name="Fallen tree", group="Parks", department=roads
        )
        tree.area_departments.set([parks])
        ServiceCategory.objects.create(agency=agency, code="retired", name="Retired service", active=False)
    return {"pothole": pothole, "tree": tree, "roads": roads, "parks": parks}


@pytest.fixture
def catalogue_a(agency_a):
    return make_catalogue(agency_a)


@pytest.fixture
def catalogue_b(agency_b):
    return make_catalogue(agency_b)


@pytest.fixture
def key_a(agency_a):
    with agency_context(agency_a):
        return api_key_issue(agency=agency_a, name="Alpha 311 app")[1]


@pytest.fixture
def key_b(agency_b):
    with agency_context(agency_b):
        return api_key_issue(agency=agency_b, name="Beta app")[1]


@pytest.fixture
def area_a(agency_a):
    """Agency A serves a box around LAT/LONG (about 11 km each way)."""
    with agency_context(agency_a):
        AgencyRequestSettings.objects.create(
            agency=agency_a,
            reference_prefix="ALP",
            service_area={
                "type": "Polygon",
                "coordinates": [[[-89.74, 39.68], [-89.54, 39.68], [-89.54, 39.88], [-89.74, 39.88], [-89.74, 39.68]]],
            },
        )
    selectors.caches_clear()


def image_bytes(fmt="JPEG", size=(64, 48), gps=None, exif_extra=True) -> bytes:
    image = Image.new("RGB", size, (180, 60, 40))
    exif = Image.Exif()
    if exif_extra:
        exif[0x010F] = "SecretCam Inc."  # Make
        exif[0x0110] = "SecretCam 9000"  # Model
    if gps:
        lat, long = gps
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: _dms(abs(lat)),
            3: "E" if long >= 0 else "W",
            4: _dms(abs(long)),
        }
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def _dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def upload(name="photo.jpg", fmt="JPEG", content_type="image/jpeg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)
