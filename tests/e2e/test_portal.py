"""In a real browser: the portal home, keyboard use, and switching the UI to 简体中文."""

import os

import pytest

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_home_then_switch_to_chinese(live_asgi, agency_a, agency_b, page, tmp_path):
    page.goto(live_asgi.url + "/")
    assert page.locator("h1").inner_text() == "Public services, in one place"
    assert page.get_by_role("link", name="Alpha City").is_visible()

    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")  # the page submits itself on change
    page.locator("h1", has_text="公共服务").wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("link", name="所有机构").is_visible()
    page.screenshot(path=str(tmp_path / "home-zh.png"))

    # search works in the switched language, from the keyboard
    page.get_by_label("搜索机构").fill("Beta")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Beta State Revenue").is_visible()
    assert page.get_by_role("link", name="Alpha City").count() == 0


def test_skip_link_is_first_tab_stop(live_asgi, agency_a, page):
    page.goto(live_asgi.url + "/a/alpha/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
