"""In a real browser: the header's links stay on one line beside a long agency name. Found by the session-24 walk:
on a German staff page at 1300 px ("Amt für öffentliche Arbeiten der Stadt Springfield"), "Alle Behörden",
"Mitarbeitende" and "Abmelden" stood one under the other, the header three lines tall: the nav took no width of
its own (flex: 1, a basis of 0) and shrank to its longest word instead of moving to a line of its own."""

import os
import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_the_header_links_stay_on_one_line_beside_a_long_agency_name(live_asgi, agency_a, staff_a, browser, tmp_path):
    agency_a.name = "Amt für öffentliche Arbeiten der Stadt Springfield und des Landkreises"
    agency_a.save(update_fields=["name"])
    context = browser.new_context(locale="de-DE", viewport={"width": 1300, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/staff/login/")
        page.locator("input[name=username]").fill(staff_a["agent"].username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name=re.compile("Anmelden", re.I)).click()
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        links = page.locator(".main-nav li")
        assert links.count() >= 3
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        page.screenshot(path=str(tmp_path / "header-de.png"))
    finally:
        context.close()
    assert len(tops) == 1, tops  # one line of links (they were one per line)
