"""Offline geocoding from an agency's address points: loading (service, command, staff page),
parsing, forward (abbreviations, typos, interpolation), reverse and nearby (API), and address-only
reports getting coordinates and the duplicate check. Every read stays inside its agency."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from geocoding.models import AddressImport, AddressPoint
from geocoding.normalize import parse
from geocoding.selectors import address_forward, address_points_near, address_reverse, street_names_clear
from geocoding.services import address_points_load_csv
from requests_app.models import ServiceCategory
from requests_app.services import DuplicatesFound, service_request_create
from tenants.context import agency_context

CSV = """srnumber,latitude,longitude,address,zipcode
1,34.19402846,-118.4994716,"16815 W VANOWEN ST, 91406",91406
2,34.19399100,-118.4988250,"16775 W VANOWEN ST, 91406",91406
3,34.19405000,-118.5010000,"16901 W VANOWEN ST, 91406",91406
4,34.07243977,-118.2877979,"132 S WESTMORELAND AVE, 90004",90004
5,34.09151412,-118.2993377,"1122 1/2 N MARIPOSA AVE, 90029",90029
6,33.96443667,-118.272032,"154 E 82ND PL, 90003",90003
7,,,"NO COORDINATES ST, 90000",90000
8,34.1,-118.3,,
9,34.19402846,-118.4994716,"16815 W VANOWEN ST, 91406",91406
"""
# Agency B has a point at the same address, somewhere else.
CSV_B = """address,lat,lon
"16815 W VANOWEN ST, 91406",40.0,-100.0
"""


@pytest.fixture(autouse=True)
def _names():
    street_names_clear()
    yield
    street_names_clear()


def load(agency, text=CSV, replace=False):
    with agency_context(agency):
        return address_points_load_csv(
            agency=agency, file=io.BytesIO(text.encode()), filename="points.csv", replace=replace
        )


@pytest.fixture
def points(agency_a, agency_b):
    load(agency_a)
    load(agency_b, CSV_B)
    street_names_clear()
    return agency_a


@pytest.mark.parametrize(
    ("text", "number", "direction", "name", "street_type", "zipcode"),
    [
        ("16815 W VANOWEN ST, 91406", "16815", "w", "vanowen", "st", "91406"),
        ("16815 West Vanowen Street, Los Angeles, CA 91406", "16815", "w", "vanowen", "st", "91406"),
        ("1122 1/2 N MARIPOSA AVE, 90029", "1122 1/2", "n", "mariposa", "ave", "90029"),
        ("154 east 82nd place", "154", "e", "82nd", "pl", ""),
        ("22257 w miranda", "22257", "w", "miranda", "", ""),
        ("123 Main St Apt 4", "123", "", "main", "st", ""),
        ("100 N Main St Springfield IL 62701", "100", "n", "main", "st", "62701"),
        ("", "", "", "", "", ""),
    ],
)
def test_parse(text, number, direction, name, street_type, zipcode):
    parsed = parse(text)
    assert (parsed.number, parsed.direction, parsed.name, parsed.street_type, parsed.zipcode) == (
        number,
        direction,
        name,
        street_type,
        zipcode,
    )


def test_load_skips_bad_rows_and_repeats(agency_a):
    record = load(agency_a)
    assert (record.loaded, record.skipped) == (6, 3)
    again = load(agency_a)  # the same file again: nothing new
    assert (again.loaded, again.skipped) == (0, 9)
    replaced = load(agency_a, replace=True)
    assert replaced.loaded == 6
    with agency_context(agency_a):
        assert AddressPoint.objects.count() == 6


def test_load_refuses_a_file_without_the_columns(agency_a):
    with pytest.raises(ValidationError, match="latitude and longitude"):
        load(agency_a, "name,x\nfoo,1\n")
    with pytest.raises(ValidationError, match="UTF-8"), agency_context(agency_a):
        address_points_load_csv(agency=agency_a, file=io.BytesIO(b"\xff\xfe\x00"), filename="x.csv")
    with agency_context(agency_a):
        assert not AddressPoint.objects.exists() and not AddressImport.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "16815 W VANOWEN ST, 91406",
        "16815 Vanowen Street",  # no direction, the full word
        "16815 West Vanowen St",
        "16815 vanowne st",  # two letters swapped
        "16815 W Vanowen St, Los Angeles, CA 91406",
    ],
)
def test_forward_exact_with_abbreviations_and_typos(points, typed):
    with agency_context(points):
        found = address_forward(agency=points, text=typed)
    assert found is not None and found.exact
    assert (found.lat, found.long) == (34.19402846, -118.4994716)


def test_forward_places_a_missing_number_between_its_neighbours(points):
    with agency_context(points):
        found = address_forward(agency=points, text="16795 Vanowen St")
    assert found is not None and not found.exact
    assert 34.1939 < found.lat < 34.1941 and -118.4995 < found.long < -118.4988
    assert found.address.startswith("16795 W VANOWEN ST")


@pytest.mark.parametrize("typed", ["", "xyz", "99999 Nowhere Rd", "16815 Sunset Blvd", "Vanowen"])
def test_forward_finds_nothing_for_what_is_not_there(points, typed):
    with agency_context(points):
        assert address_forward(agency=points, text=typed) is None


def test_reverse_and_nearby(points):
    with agency_context(points):
        nearest = address_reverse(agency=points, lat=34.19401, long=-118.49900)
        assert nearest.address == "16775 W VANOWEN ST, 91406" and nearest.distance_m < 20
        assert address_reverse(agency=points, lat=34.5, long=-118.0) is None
        near = address_points_near(agency=points, lat=34.19402846, long=-118.4994716, radius_m=200)
        assert [p.address for p in near][:2] == ["16815 W VANOWEN ST, 91406", "16775 W VANOWEN ST, 91406"]
        assert all(p.distance_m <= 200 for p in near)


def test_agency_b_sees_only_its_own_points(points, agency_b):
    street_names_clear()
    with agency_context(agency_b):
        found = address_forward(agency=agency_b, text="16815 W Vanowen St")
        assert (found.lat, found.long) == (40.0, -100.0)
        assert address_reverse(agency=agency_b, lat=34.19402846, long=-118.4994716) is None
        assert address_forward(agency=agency_b, text="132 S Westmoreland Ave") is None


def test_api(points, client):
    base = "/api/v1/a/alpha/geocode/"
    found = client.get(base + "search/", {"q": "132 South Westmoreland Avenue"}).json()
    assert found["address"] == "132 S WESTMORELAND AVE, 90004" and found["exact"] is True
    assert client.get(base + "search/", {"q": "nowhere at all"}).status_code == 404
    assert client.get(base + "search/", {"q": ""}).status_code == 400
    nearest = client.get(base + "reverse/", {"lat": 34.07244, "long": -118.28780}).json()
    assert nearest["address"].startswith("132 S WESTMORELAND")
    assert client.get(base + "reverse/", {"lat": 0, "long": 0}).status_code == 404
    assert client.get(base + "reverse/", {"lat": "x", "long": 1}).status_code == 400
    near = client.get(base + "nearby/", {"lat": 34.19402846, "long": -118.4994716, "radius": 300}).json()
    assert len(near) == 3 and near[0]["distance_m"] == 0
    assert client.get(base + "nearby/", {"lat": 1, "long": 1, "radius": 5000}).status_code == 400
    # Agency B's API answers from B's points only.
    other = client.get("/api/v1/a/beta/geocode/search/", {"q": "16815 W Vanowen St"}).json()
    assert other["lat"] == 40.0
    assert client.get("/api/v1/a/beta/geocode/nearby/", {"lat": 34.19402846, "long": -118.4994716}).json() == []
    assert client.get("/api/v1/a/nope/geocode/search/", {"q": "x"}).status_code == 404


def test_address_only_report_gets_a_point_and_the_duplicate_check(points):
    with agency_context(points):
        category = ServiceCategory.objects.create(agency=points, code="pothole", name="Pothole")
        first = service_request_create(agency=points, category=category, description="Hole", address="16815 Vanowen St")
        assert (first.request.lat, first.request.long) == pytest.approx((34.19402846, -118.4994716), abs=1e-6)
        with pytest.raises(DuplicatesFound):
            service_request_create(
                agency=points, category=category, description="Same hole", address="16815 west vanowen street"
            )
        # A pin without an address gets the nearest one.
        pinned = service_request_create(
            agency=points, category=category, description="Other", lat=34.0724, long=-118.2878, on_duplicate="file"
        )
        assert pinned.request.address == "132 S WESTMORELAND AVE, 90004"
        # An address the points do not know is filed as before, without coordinates.
        unknown = service_request_create(agency=points, category=category, description="x", address="1 Elm Street")
        assert unknown.request.lat is None and unknown.request.address == "1 Elm Street"


def test_geocoded_point_outside_the_service_area_is_not_used(points):
    from requests_app.models import AgencyRequestSettings

    with agency_context(points):
        AgencyRequestSettings.objects.create(
            agency=points,
            service_area={"type": "Polygon", "coordinates": [[[-90, 39], [-89, 39], [-89, 40], [-90, 40], [-90, 39]]]},
        )
        category = ServiceCategory.objects.create(agency=points, code="pothole", name="Pothole")
        filed = service_request_create(agency=points, category=category, description="Hole", address="16815 Vanowen St")
        assert filed.request.lat is None


def test_command(agency_a, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(CSV)
    out = io.StringIO()
    call_command("load_address_points", "alpha", str(path), stdout=out)
    assert "6 address points loaded, 3 rows skipped" in out.getvalue()
    with pytest.raises(Exception, match="No agency"):
        call_command("load_address_points", "nope", str(path))


def test_staff_page_upload_and_try(agency_a, agency_b, staff_a, staff_b, client_for):
    url = reverse("geocoding:staff-addresses", kwargs={"agency_slug": "alpha"})
    upload = SimpleUploadedFile("points.csv", CSV.encode(), content_type="text/csv")
    # A supervisor sees the page but may not load; an agent and another agency's admin get nothing.
    supervisor = client_for(staff_a["supervisor"])
    assert supervisor.get(url).status_code == 200
    assert supervisor.post(url, {"file": upload}).status_code == 403
    assert client_for(staff_a["agent"]).get(url).status_code in (403, 404)
    assert client_for(staff_b["admin"]).get(url).status_code in (403, 404)
    admin = client_for(staff_a["admin"])
    upload.seek(0)
    response = admin.post(url, {"file": upload}, follow=True)
    assert "6 address points loaded, 3 rows skipped" in response.content.decode()
    with agency_context(agency_a):
        assert AddressPoint.objects.count() == 6
        assert AddressImport.objects.get().created_by == staff_a["admin"]
    with agency_context(agency_b):
        assert not AddressPoint.objects.exists()
    bad = SimpleUploadedFile("bad.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = admin.post(url, {"file": bad})
    assert response.status_code == 200 and "latitude and longitude" in response.content.decode()
    body = admin.get(url, {"q": "154 East 82nd Place"}).content.decode()
    assert "154 E 82ND PL, 90003" in body


def test_open311_address_only_post_gets_coordinates(points, client):
    """The Open311 filing path: an address_string without lat/long is placed by the address points."""
    from requests_app.models import ServiceRequest
    from requests_app.services import api_key_issue

    with agency_context(points):
        ServiceCategory.objects.create(agency=points, code="pothole", name="Pothole")
        key_a = api_key_issue(agency=points, name="app")[1]

    response = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "alpha",
            "api_key": key_a,
            "service_code": "pothole",
            "address_string": "132 South Westmoreland Avenue",
            "description": "Hole",
        },
    )
    assert response.status_code == 200, response.content
    with agency_context(points):
        filed = ServiceRequest.objects.get()
    assert filed.lat == pytest.approx(34.07243977, abs=1e-6) and filed.long == pytest.approx(-118.2877979, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "direction", "name", "street_type"),
    [
        ("649 souh boyle avenue", "s", "boyle", "ave"),  # a misspelled direction is still one
        ("12 West St", "", "west", "st"),  # a street named West
        ("100 Eastern Ave", "", "eastern", "ave"),
    ],
)
def test_parse_directions(text, direction, name, street_type):
    parsed = parse(text)
    assert (parsed.direction, parsed.name, parsed.street_type) == (direction, name, street_type)


def test_another_street_type_is_another_street(points):
    with agency_context(points):
        assert address_forward(agency=points, text="154 E 82nd Street") is None
        assert address_forward(agency=points, text="154 E 82nd Place") is not None
