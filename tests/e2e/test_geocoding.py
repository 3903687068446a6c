"""In a real browser, without tiles: a typed address places the pin (and the points around it are
drawn), a click on the map fills in the nearest address, and the report is filed with both."""

import io
import os

import pytest

from geocoding.selectors import street_names_clear
from geocoding.services import address_points_load_csv
from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.requests_app.conftest import make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

POINTS = """address,latitude,longitude
"16815 W VANOWEN ST, 91406",34.19402846,-118.4994716
"16775 W VANOWEN ST, 91406",34.19399100,-118.4988250
"16901 W VANOWEN ST, 91406",34.19405000,-118.5010000
"""


@pytest.fixture
def points(agency_a):
    make_catalogue(agency_a)
    with agency_context(agency_a):
        address_points_load_csv(agency=agency_a, file=io.BytesIO(POINTS.encode()), filename="points.csv")
    street_names_clear()
    return agency_a


def test_typed_address_places_the_pin_and_a_click_fills_the_address(live_asgi, points, page, settings):
    settings.MAP_TILE_URL = ""
    page.goto(live_asgi.url + "/a/alpha/report/pothole/")
    address = page.get_by_label("Address or nearest intersection")
    address.fill("16815 west vanowen street")
    address.press("Tab")
    page.locator("#address-status").get_by_text("Pin placed at 16815 W VANOWEN ST, 91406.").wait_for()
    assert page.input_value("#id_lat") == "34.194028" and page.input_value("#id_long") == "-118.499472"
    page.locator(".leaflet-marker-icon").wait_for()
    # Zoomed in to the pin: the address points around it are drawn on the blank map.
    page.wait_for_function("document.querySelectorAll('#report-map path.leaflet-interactive').length >= 3")
    # A pin moved by a click fills in the nearest address once the field is cleared.
    address.fill("")
    address.dispatch_event("input")
    page.locator("#report-map").scroll_into_view_if_needed()
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 60, box["y"] + box["height"] / 2)
    page.wait_for_function("document.getElementById('id_address').value.startsWith('16775 W VANOWEN ST')")
    page.get_by_label("How big is it?").select_option("small")
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Thank you, your report was received").wait_for()
    reference = page.locator("#reference-number").inner_text().strip()
    filed = ServiceRequest.objects.unscoped().get(reference=reference)
    assert filed.address == "16775 W VANOWEN ST, 91406" and filed.lat is not None
