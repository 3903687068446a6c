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


def test_the_widget_follows_the_conversation_language(live_asgi, agency_a, page, tmp_path):
    """An English page: a Chinese greeting turns the widget's own words Chinese, Arabic mirrors the panel,
    and an English message turns both back (each bot message names its language; the catalogue is fetched)."""
    agency_a.languages = ["en", "zh-hans", "ar"]
    agency_a.full_clean()
    agency_a.save()
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    chat = page.locator(".cd-chat")
    box = page.locator(".cd-composer textarea")
    assert box.get_attribute("placeholder") == "Type your message…"

    box.fill("你好")
    box.press("Enter")
    page.locator(".cd-msg--bot .cd-speaker", has_text="虚拟助手").wait_for()
    page.locator(".cd-send", has_text="发送").wait_for()
    assert chat.get_attribute("lang") == "zh-hans" and chat.get_attribute("dir") == "ltr"
    assert box.get_attribute("placeholder") != "Type your message…"

    box.fill("مرحبا، أحتاج إلى مساعدة")
    box.press("Enter")
    page.locator(".cd-chat[dir='rtl']").wait_for()
    assert chat.get_attribute("lang") == "ar"
    page.screenshot(path=str(tmp_path / "widget-follows-ar.png"), full_page=True)

    box.fill("Hello, I need some help please")
    box.press("Enter")
    page.locator(".cd-chat[dir='ltr']").wait_for()
    page.locator(".cd-send", has_text="Send").wait_for()
    # Earlier messages keep the words they were shown with; the latest reply is labelled in English.
    assert page.locator(".cd-msg--bot .cd-speaker").last.inner_text() == "Assistant"
    assert page.locator(".cd-msg--bot .cd-speaker").first.inner_text() == "虚拟助手"
