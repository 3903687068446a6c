"""In a real browser: report a pothole with a photo by placing a pin on the map (tiles from a local
tile server), get a reference, track it; a staff member updates it and the citizen sees the note.
Without tiles the form still works through the address field."""

import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from requests_app.models import RequestPhoto, ServiceRequest
from tests.conftest import PASSWORD
from tests.requests_app.conftest import image_bytes, make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

TILE = image_bytes("PNG", size=(256, 256), exif_extra=False)


class TileServer:
    """A tile server speaking plain HTTP: every /{z}/{x}/{y}.png is the same PNG."""

    def __init__(self):
        paths = self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(TILE)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(TILE)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def tiles():
    server = TileServer()
    yield server
    server.stop()


@pytest.fixture
def catalogue(agency_a):
    return make_catalogue(agency_a)


def test_report_pothole_with_photo_then_track(live_asgi, catalogue, agency_a, staff_a, page, tiles, settings, tmp_path):
    settings.MAP_TILE_URL = tiles.template
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "pothole.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(320, 240)))

    page.goto(live_asgi.url + "/a/alpha/")
    page.get_by_role("link", name="Report a problem").click()
    page.get_by_role("link", name="Pothole").click()
    page.locator("img.leaflet-tile-loaded").first.wait_for()
    assert tiles.paths and all(re.fullmatch(r"/\d+/\d+/\d+\.png", p) for p in tiles.paths)

    page.locator("#report-map").click(position={"x": 200, "y": 120})
    page.wait_for_function("document.getElementById('id_lat').value !== ''")
    assert page.locator(".leaflet-marker-icon").count() == 1
    page.get_by_label("What is the problem?").fill("Deep pothole in the right lane, about a tyre wide.")
    page.get_by_label("How big is it?").select_option("large")
    page.get_by_label("Photos (optional)").set_input_files(str(photo))
    page.get_by_label("Email (optional)").fill("citizen@example.com")
    page.screenshot(path=str(tmp_path / "report-form.png"), full_page=True)
    page.get_by_role("button", name="Send report").click()

    page.get_by_role("heading", name="Thank you, your report was received").wait_for()
    reference = page.locator("#reference-number").inner_text().strip()
    assert re.fullmatch(r"ALP-\d{4}-\d{6}", reference)
    request = ServiceRequest.objects.unscoped().get(reference=reference)
    assert RequestPhoto.objects.unscoped().filter(request=request).count() == 1 and request.lat is not None
    assert request.reporter_email == "citizen@example.com"

    page.get_by_role("link", name="Track this report").click()
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    assert "Submitted" in page.locator("main").inner_text()
    assert "citizen@example.com" not in page.content()

    # A staff member picks it up with a public note; the citizen sees it when tracking again.
    staff = page.context.browser.new_context(locale="en-US").new_page()
    staff.goto(live_asgi.url + "/staff/login/")
    staff.get_by_label("Username").fill(staff_a["agent"].username)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name=re.compile("Log in", re.I)).click()
    staff.goto(live_asgi.url + "/a/alpha/staff/requests/")
    staff.get_by_role("link", name=reference).click()
    assert "citizen@example.com" in staff.content()  # staff see the reporter
    staff.get_by_label("New status").select_option("in_progress")
    staff.get_by_label("Public note").first.fill("A crew is scheduled for Tuesday.")
    staff.get_by_role("button", name="Save status").click()
    staff.get_by_text("Status changed.").wait_for()
    staff.context.close()

    page.reload()
    main = page.locator("main").inner_text()
    assert "In progress" in main and "A crew is scheduled for Tuesday." in main


def test_without_tiles_the_address_field_is_enough(live_asgi, catalogue, agency_a, page, settings):
    settings.MAP_TILE_URL = ""
    page.goto(live_asgi.url + "/a/alpha/report/pothole/")
    assert page.locator("#map-note").is_visible()
    assert page.locator("img.leaflet-tile").count() == 0
    page.get_by_label("Address or nearest intersection").fill("Main St & 5th Ave")
    page.get_by_label("How big is it?").select_option("small")
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Thank you, your report was received").wait_for()
    reference = page.locator("#reference-number").inner_text().strip()
    request = ServiceRequest.objects.unscoped().get(reference=reference)
    assert request.address == "Main St & 5th Ave" and request.lat is None
