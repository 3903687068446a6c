"""Intersections as places (found by the session-21 chat walk: "5th and Main", "corner of Oak & 3rd" were taken as
anything but a place): read in the chat's languages, whole or inside a sentence, and placed where the two streets'
address points cross, inside one agency."""

import io

import pytest

from geocoding.intersections import Intersection, intersection, intersection_in
from geocoding.selectors import intersection_forward, place_forward, street_names_clear
from geocoding.services import address_points_load_csv
from requests_app.models import ServiceCategory
from requests_app.services import service_request_create
from tenants.context import agency_context

# Main St runs north-south at -89.650, 5th St east-west at 39.785; no point sits on the corner itself. Oak St runs
# north-south too, 2 km east: it never meets Main St.
_ROWS = [
    *[(39.780 + 0.002 * i, -89.6502, f"{100 + 20 * i} N MAIN ST, 62701") for i in range(6) if i != 2],
    *[(39.7852, -89.660 + 0.004 * i, f"{200 + 40 * i} E 5TH ST, 62701") for i in range(6) if i != 2],
    *[(39.780 + 0.002 * i, -89.6270, f"{300 + 20 * i} N OAK ST, 62701") for i in range(4)],
]
CSV = "address,lat,lon\n" + "".join(f'"{address}",{lat},{long}\n' for lat, long, address in _ROWS)
CSV_B = 'address,lat,lon\n"100 N MAIN ST",40.5,-100.0\n"200 E 5TH ST",40.6,-100.1\n'


@pytest.fixture
def grid(agency_a, agency_b):
    street_names_clear()
    for agency, text in ((agency_a, CSV), (agency_b, CSV_B)):
        with agency_context(agency):
            address_points_load_csv(agency=agency, file=io.BytesIO(text.encode()), filename="points.csv")
    street_names_clear()
    yield agency_a
    street_names_clear()


@pytest.mark.parametrize(
    ("typed", "first", "second"),
    [
        ("5th and Main", "5th", "Main"),
        ("corner of Oak & 3rd", "Oak", "3rd"),
        ("Elm St at Park Ave", "Elm St", "Park Ave"),
        ("Ecke Hauptstraße/Bahnhofstraße", "Hauptstraße", "Bahnhofstraße"),
        ("Hauptstraße Ecke Bahnhofstraße", "Hauptstraße", "Bahnhofstraße"),
        ("5th 和 Main 路口", "5th", "Main"),
        ("人民路和解放路路口", "人民路", "解放路"),
        ("góc đường Lê Lợi và Hai Bà Trưng", "Lê Lợi", "Hai Bà Trưng"),
        ("Ngã tư Lê Lợi - Nguyễn Huệ", "Lê Lợi", "Nguyễn Huệ"),
        ("esquina de Calle Mayor y Calle Sol", "Calle Mayor", "Calle Sol"),
        ("à l'angle de la rue Oberkampf et de la rue Saint-Maur", "rue Oberkampf", "rue Saint-Maur"),
        ("세종대로와 종로 교차로", "세종대로", "종로"),
        ("تقاطع شارع الملك فهد مع شارع العليا", "شارع الملك فهد", "شارع العليا"),
        ("sherman way and van nuys", "sherman way", "van nuys"),
        ("5th and main intersection.", "5th", "main"),
    ],
)
def test_a_whole_answer_naming_two_streets_is_an_intersection(typed, first, second):
    assert intersection(typed) == Intersection(first, second)
    assert intersection(typed).text == f"{first} & {second}"


@pytest.mark.parametrize(
    "typed",
    ["418 Linden Ave", "Main St", "next to the library", "the bench at Lincoln Park", "near the school and the park",
     "report graffiti and a pothole", "Main and Main", "yes", ""],
)  # fmt: skip
def test_an_address_a_landmark_or_a_request_is_not(typed):
    assert intersection(typed) is None


@pytest.mark.parametrize(
    ("message", "first", "second"),
    [
        ("there's a pothole at 5th and Main", "5th", "Main"),
        ("there is a big pothole at the corner of Oak & 3rd, about a foot wide", "Oak", "3rd"),
        ("Pothole on Elm St at Park Ave, very deep", "Elm St", "Park Ave"),
        ("Schlagloch an der Ecke Hauptstraße/Bahnhofstraße", "Hauptstraße", "Bahnhofstraße"),
        ("5th 和 Main 路口有个大坑", "5th", "Main"),
        ("có ổ gà ở góc đường Lê Lợi và Hai Bà Trưng", "Lê Lợi", "Hai Bà Trưng"),
        (
            "il y a un nid-de-poule au coin de la rue Oberkampf et de la rue Saint-Maur",
            "rue Oberkampf",
            "rue Saint-Maur",
        ),
        ("세종대로와 종로 교차로에 큰 구멍이 있어요", "세종대로", "종로"),
        ("يوجد حفرة عند تقاطع شارع الملك فهد مع شارع العليا", "شارع الملك فهد", "شارع العليا"),
        ("the street light at Sherman Way & Van Nuys Blvd is out", "Sherman Way", "Van Nuys Blvd"),
    ],
)
def test_an_intersection_inside_a_sentence(message, first, second):
    assert intersection_in(message) == Intersection(first, second)


@pytest.mark.parametrize(
    "message",
    ["I called John and Mary about it", "there is trash at the park and the school",
     "I want to report graffiti and a pothole", "there's a pothole outside 418 Linden Ave"],
)  # fmt: skip
def test_a_sentence_without_one(message):
    assert intersection_in(message) is None


def test_two_streets_that_cross_are_placed_where_they_cross(grid):
    with agency_context(grid):
        found = intersection_forward(agency=grid, first="5th", second="Main")
        assert found is not None and not found.exact
        assert found.address == "E 5TH ST & N MAIN ST"
        assert found.lat == pytest.approx(39.7852, abs=0.0003) and found.long == pytest.approx(-89.6502, abs=0.0003)
        other = place_forward(agency=grid, text="corner of Main Street and Fifth")
        assert other.address == "N MAIN ST & E 5TH ST"
        assert (other.lat, other.long) == pytest.approx((found.lat, found.long), abs=1e-6)
        # Parallel streets two kilometres apart meet nowhere; a street the points do not know is nowhere.
        assert intersection_forward(agency=grid, first="Main", second="Oak") is None
        assert place_forward(agency=grid, text="5th and Elm") is None
        # An address is still an address.
        assert place_forward(agency=grid, text="100 N Main St").address == "100 N MAIN ST, 62701"


def test_another_agencys_points_are_not_used(grid, agency_b):
    street_names_clear()
    with agency_context(agency_b):
        # Agency B's two points are 14 km apart: no crossing there, and agency A's streets are not read.
        assert intersection_forward(agency=agency_b, first="5th", second="Main") is None


def test_a_report_filed_at_an_intersection_gets_its_point(grid):
    """Open311 has no intersection field: the address_string is kept as sent, and the point is where they cross."""
    with agency_context(grid):
        category = ServiceCategory.objects.create(agency=grid, code="pothole", name="Pothole")
        filed = service_request_create(agency=grid, category=category, description="Hole", address="5th & Main")
    assert filed.request.address == "5th & Main"
    assert filed.request.lat == pytest.approx(39.7852, abs=0.0003)
    assert filed.request.long == pytest.approx(-89.6502, abs=0.0003)


def test_the_search_api_answers_an_intersection(grid, client, agency_b):
    found = client.get("/api/v1/a/alpha/geocode/search/", {"q": "5th and Main"}).json()
    assert found["address"] == "E 5TH ST & N MAIN ST" and found["exact"] is False
    assert client.get("/api/v1/a/beta/geocode/search/", {"q": "5th and Main"}).status_code == 404
