"""The staff page where an admin names the agency in its other languages, in a real browser: a <details> per
language opens, a refused text opens its language with the box marked, the page passes axe (WCAG 2.1 A/AA), also
right to left in Arabic, and what was saved is what a Chinese citizen then sees."""

import os

import pytest

from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.test_walkthrough import staff_page

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_an_admin_names_the_agency_in_chinese_and_a_chinese_citizen_sees_it(live_asgi, agency_a, staff_a, browser):
    page = staff_page(browser, live_asgi, staff_a["admin"])
    base = live_asgi.url
    try:
        page.goto(base + "/a/alpha/staff/translations/")
        assert_accessible(page, "translations overview")
        page.goto(base + "/a/alpha/staff/translations/agency/")
        chinese = page.locator('details[data-language="zh-hans"]')
        box = page.locator('input[name="translations__zh-hans__name"]')
        assert not box.is_visible()
        chinese.locator("summary").click()
        box.fill("<b>阿尔法市</b>")
        page.locator("main form.panel button[type=submit]").click()
        page.locator(".errorlist", has_text="without HTML tags").wait_for()
        assert page.locator('input[name="translations__zh-hans__name"]').is_visible()  # its language opened
        assert page.locator('input[name="translations__zh-hans__name"]').get_attribute("aria-invalid") == "true"
        assert_accessible(page, "translations of the agency, a refused box")
        page.locator('input[name="translations__zh-hans__name"]').fill("阿尔法市")
        page.locator("main form.panel button[type=submit]").click()
        page.wait_for_url(lambda url: url.endswith("/staff/translations/"))

        page.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])
        page.goto(base + "/a/alpha/staff/translations/agency/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.locator('details[data-language="zh-hans"] summary').click()
        assert_accessible(page, "translations of the agency, in Arabic")

        citizen = browser.new_context(locale="zh-Hans").new_page()
        citizen.goto(base + "/")
        assert "阿尔法市" in citizen.locator(".card-list h3").all_inner_texts()
        citizen.goto(base + "/a/alpha/chat/")
        citizen.locator(".cd-title", has_text="阿尔法市").wait_for()
        citizen.context.close()
    finally:
        page.context.close()
