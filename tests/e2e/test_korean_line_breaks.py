"""Korean on the agency's ask page (session-26 walk): the "Ask" button beside the question box read "질문하" over "기"
(질문하기 broken inside the word), stretching the box to two lines."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _lines(page, selector: str) -> int:
    return page.evaluate(
        """sel => { const el = document.querySelector(sel); const r = document.createRange(); r.selectNodeContents(el);
        return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }""",
        selector,
    )


@pytest.fixture
def korean_agency(agency_a):
    agency_a.languages = ["en", "ko"]
    agency_a.save(update_fields=["languages"])
    return agency_a


def test_the_korean_ask_button_keeps_its_word_on_one_line(live_asgi, korean_agency, browser, tmp_path):
    context = browser.new_context(locale="ko", viewport={"width": 1100, "height": 800})
    context.add_cookies([{"name": "django_language", "value": "ko", "url": live_asgi.url}])
    try:
        page = context.new_page()
        page.goto(live_asgi.url + "/a/alpha/ask/")
        button = ".search-row button"
        assert page.locator(button).inner_text() == "질문하기"
        page.screenshot(path=str(tmp_path / "ask-ko.png"))
        assert _lines(page, button) == 1
    finally:
        context.close()
