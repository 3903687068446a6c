"""In a real browser, without tiles: the crisis pages' maps (opened through CivicDeskMap.open like every map of the
portal). A supervisor draws an alert's polygon corner by corner, then places a circle's centre; a citizen places
the pin of an area subscription."""

import json
import os

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _centre(page, selector: str) -> tuple[float, float]:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_supervisor_draws_the_alerts_polygon_and_circle_on_the_map(live_asgi, agency_a, staff_a, page, settings):
    settings.MAP_TILE_URL = ""
    page.goto(live_asgi.url + "/staff/login/?next=/a/alpha/staff/crisis/alerts/new/")
    page.get_by_label("Username").fill(staff_a["supervisor"].username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.locator("#map-note").wait_for()  # no tiles: the grid still takes clicks
    assert "no-tiles" in page.get_attribute("#alert-map", "class")
    status = page.locator("#area-status")
    assert status.inner_text() == "Whole jurisdiction"

    page.get_by_role("radio", name="Polygon").check()
    cx, cy = _centre(page, "#alert-map")
    for dx, dy in [(-60, -40), (60, -40), (0, 50)]:
        page.mouse.click(cx + dx, cy + dy)
    assert status.inner_text() == "3 corners"
    corners = json.loads(page.input_value("#alert-form input[name=area]"))
    assert len(corners) == 3
    (lat1, lon1), (lat2, lon2), (lat3, _lon3) = corners
    assert lat1 == lat2 and lon1 < lon2 and lat3 < lat1  # clicked left, right, then below

    page.get_by_role("radio", name="Circle").check()
    page.mouse.click(cx, cy)
    assert status.inner_text() == "Circle drawn"
    assert page.input_value("#id_circle_radius_km") == "2"
    assert abs(float(page.input_value("#id_circle_lat")) - (lat1 + lat3) / 2) < abs(lat1 - lat3)

    page.get_by_role("button", name="Clear the drawing").click()
    assert page.input_value("#id_circle_lat") == "" and page.input_value("#alert-form input[name=area]") == "[]"


def test_citizen_places_the_subscriptions_pin_on_the_map(live_asgi, agency_a, page, settings):
    settings.MAP_TILE_URL = ""
    page.goto(live_asgi.url + "/a/alpha/alerts/")
    page.locator("#map-note").wait_for()
    assert page.input_value("#id_lat") == ""
    cx, cy = _centre(page, "#subscribe-map")
    page.mouse.click(cx, cy)
    lat, lon = float(page.input_value("#id_lat")), float(page.input_value("#id_lon"))
    page.mouse.click(cx + 80, cy)
    assert float(page.input_value("#id_lat")) == pytest.approx(lat, abs=1e-5)
    assert float(page.input_value("#id_lon")) > lon  # further east
    assert page.locator("#subscribe-map .leaflet-marker-icon").count() == 1  # the pin moved, not a second one
