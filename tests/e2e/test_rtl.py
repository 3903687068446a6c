"""In a real browser: an Arabic page and its chat widget are laid out right to left (the style sheets use
logical properties, so the layout mirrors), and the chat's own words are Arabic."""

import os

import pytest

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def arabic_agency(agency_a):
    agency_a.languages = ["en", "ar"]
    agency_a.full_clean()
    agency_a.save()
    return agency_a


def test_arabic_chat_page_mirrors(live_asgi, arabic_agency, browser, tmp_path):
    context = browser.new_context(locale="ar", viewport={"width": 1000, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/chat/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.locator(".cd-chat").get_attribute("dir") == "rtl"
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("رسالتك")  # "Your message"
        box.fill("Hi")
        box.press("Enter")
        bot = page.locator(".cd-msg--bot", has_text="مرحبًا! أنا المساعد الافتراضي")
        bot.wait_for()
        page.get_by_role("button", name="طرح سؤال").wait_for()  # the menu's "Ask a question"
        citizen = page.locator(".cd-msg--citizen").first.bounding_box()
        answer = bot.bounding_box()
        # Mirrored: the citizen's bubble sits on the left, the assistant's on the right.
        assert citizen["x"] < answer["x"]
        assert answer["x"] + answer["width"] > citizen["x"] + citizen["width"]
        # The header mirrors too: the site name is on the right half of the page.
        brand = page.locator(".brand").bounding_box()
        assert brand["x"] > 500
        page.screenshot(path=str(tmp_path / "chat-ar.png"), full_page=True)
    finally:
        context.close()


def test_a_left_to_right_page_stays_left_to_right(live_asgi, arabic_agency, page):
    page.goto(live_asgi.url + "/a/alpha/chat/")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.locator(".cd-chat").get_attribute("dir") == "ltr"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] < 300
