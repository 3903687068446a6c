"""In a real browser, without tiles: an agency admin draws the jurisdiction area on the staff map (a click per
corner, undo), saves it, and the front door then locates reports inside it by that drawn area."""

import os

import pytest

from frontdoor.models import Jurisdiction
from requests_app import geo
from tenants.context import agency_context
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_admin_draws_the_area_on_the_map_and_saves_it(live_asgi, agency_a, staff_a, page, settings, tmp_path):
    settings.MAP_TILE_URL = ""
    page.goto(live_asgi.url + "/staff/login/?next=/a/alpha/staff/frontdoor/area/")
    page.get_by_label("Username").fill("alpha-admin")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Jurisdiction area").wait_for()
    page.locator("#map-note").wait_for()  # no tiles here: the grid still takes clicks

    status = page.locator("#area-status")
    page.locator("#area-map").scroll_into_view_if_needed()
    box = page.locator("#area-map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # A square around the map's centre, plus a stray fifth click taken back with "Remove the last corner".
    for dx, dy in [(-80, -60), (80, -60), (80, 60), (-80, 60), (0, 100)]:
        page.mouse.click(cx + dx, cy + dy)
    assert status.inner_text() == "5 corners drawn"
    page.get_by_role("button", name="Remove the last corner").click()
    assert status.inner_text() == "4 corners drawn"
    page.get_by_label("Name").fill("Alpha as drawn")
    page.screenshot(path=str(tmp_path / "area-drawn.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    page.get_by_text("The jurisdiction area was saved.").wait_for()

    with agency_context(agency_a):
        saved = Jurisdiction.objects.for_agency(agency_a).get()
    assert saved.name == "Alpha as drawn"
    ring = saved.area["coordinates"][0]
    assert saved.area["type"] == "Polygon" and len(ring) == 5 and ring[0] == ring[-1]
    # Clicked clockwise on screen from the top left: west-north, east-north, east-south, west-south.
    (w, n), (e, n2), (e2, s), (w2, s2) = ring[:4]
    assert w < e and s < n and (n, e, s, w) == (n2, e2, s2, w2)
    assert geo.contains(saved.area, (n + s) / 2, (w + e) / 2)
    assert not geo.contains(saved.area, n + 1, e + 1)

    # Back on the page: the saved area is named, and nothing is drawn until corners are clicked again.
    page.goto(live_asgi.url + "/a/alpha/staff/frontdoor/area/")
    assert "Current area: Alpha as drawn." in page.locator("main").inner_text()
    assert page.input_value("#area-form input[name=drawn]") == ""
