"""In a real browser: a citizen without the reference number asks the track page to e-mail the references of
what they filed; the page says the same for an address it does not know, and only this agency's records go out."""

import os

import pytest

from requests_app.models import Notification
from requests_app.services import OnDuplicate, Reporter, service_request_create
from tenants.context import agency_context
from tests.e2e.test_accessibility import assert_accessible
from tests.requests_app.conftest import LAT, LONG, make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _file(agency, email):
    make_catalogue(agency)
    with agency_context(agency):
        return service_request_create(
            agency=agency,
            category="pothole",
            lat=LAT,
            long=LONG,
            attributes={"size": "large"},
            reporter=Reporter(email=email),
            on_duplicate=OnDuplicate.FILE,
        ).request


def _ask(page, base, email) -> str:
    page.goto(base + "/a/alpha/track/")
    page.get_by_label("E-mail address you gave").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Send me my references").click()
    return page.get_by_role("status").inner_text()


def test_lost_reference_by_email(live_asgi, agency_a, agency_b, page, tmp_path):
    mine = _file(agency_a, "pat@example.com")
    elsewhere = _file(agency_b, "pat@example.com")

    page.goto(live_asgi.url + "/a/alpha/track/")
    assert page.get_by_role("heading", name="Don't have the reference?").is_visible()
    known = _ask(page, live_asgi.url, "Pat@Example.com")
    assert known.startswith("If this address was given for a report or an application here")
    page.screenshot(path=str(tmp_path / "track-sent.png"), full_page=True)
    assert_accessible(page, "track: references sent")

    unknown = _ask(page, live_asgi.url, "nobody@example.com")
    assert unknown == known

    with agency_context(agency_a):
        rows = list(Notification.objects.for_agency(agency_a).filter(recipient__endswith="@example.com"))
    assert [row.recipient for row in rows] == ["pat@example.com"]
    assert mine.reference in rows[0].body and elsewhere.reference not in rows[0].body
    with agency_context(agency_b):
        assert not Notification.objects.for_agency(agency_b).filter(recipient="pat@example.com").exists()

    # a bad address is an error next to the field, in the page, not a crash
    page.goto(live_asgi.url + "/a/alpha/track/")
    page.get_by_label("E-mail address you gave").fill("pat@")
    page.evaluate("document.querySelector('#email').type = 'text'")  # past the browser's own check
    with page.expect_navigation():
        page.get_by_role("button", name="Send me my references").click()
    assert "does not look like an e-mail address" in page.get_by_role("alert").inner_text()
