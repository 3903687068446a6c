"""In a real browser: only the latest message's buttons can be pressed (seen on make run: an old menu and a
review's "Send" stayed live under newer answers), and a rating in an Arabic panel reads right to left at the
panel's right edge, the number first ("4 ★" was drawn at the left edge, left to right)."""

import os

import pytest

from tests.chat.conftest import publish_document
from tests.e2e.test_chat import _ask

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def knowledge_a(agency_a, settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None
    return publish_document(agency_a, title="Trash", content="Trash is collected every Monday morning.")


def test_a_newer_message_without_buttons_puts_the_older_ones_out_of_reach(live_asgi, knowledge_a, page):
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    _ask(page, "Hi")
    report = page.get_by_role("button", name="Ask a question")
    report.wait_for()
    assert report.is_enabled()
    _ask(page, "When is trash collected?")
    answer = page.locator(".cd-msg--bot", has_text="Monday")
    answer.wait_for()
    assert answer.locator(".cd-quick").count() == 0  # the answer brings no buttons of its own
    assert report.is_disabled()
    page.reload()  # replayed: still out of reach
    page.locator(".cd-msg--bot", has_text="Monday").wait_for()
    assert page.get_by_role("button", name="Ask a question").is_disabled()


def _glyph_x(page, selector: str, index: int) -> float:
    """Where the `index`-th character of the first `selector`'s text is drawn (its left edge, px)."""
    return page.locator(selector).first.evaluate(
        """(e, i) => { const r = document.createRange(); const t = e.firstChild;
                       r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect().left; }""",
        index,
    )


def test_a_rating_reads_right_to_left_at_the_right_edge_of_an_arabic_panel(live_asgi, agency_a, browser, tmp_path):
    agency_a.languages = ["en", "ar"]
    agency_a.save(update_fields=["languages"])
    context = browser.new_context(locale="ar", viewport={"width": 900, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("رسالتك")  # "Your message"
        box.fill("مع السلامة")  # goodbye: the rating is asked
        box.press("Enter")
        four = page.locator(".cd-quick", has_text="4 ★")
        four.wait_for()
        # The button's label: the number on the right, the star to its left.
        assert _glyph_x(page, ".cd-quick >> text='4 ★'", 0) > _glyph_x(page, ".cd-quick >> text='4 ★'", 2)
        four.click()
        sent = ".cd-msg--citizen .cd-text >> text='4 ★'"
        page.locator(sent).wait_for()
        # The echoed message may replace the one drawn at once: read the direction of the one on the page.
        page.wait_for_function(
            """() => { const e = [...document.querySelectorAll('.cd-msg--citizen .cd-text')]
                         .find(x => x.textContent.trim() === '4 ★');
                       return e && e.isConnected && getComputedStyle(e).direction === 'rtl'; }""",
            timeout=10_000,
        )
        assert _glyph_x(page, sent, 0) > _glyph_x(page, sent, 2)  # "4" first, read from the right
        bubble = page.locator(".cd-msg--citizen", has_text="4 ★").bounding_box()
        text_right = page.locator(sent).evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().right; }"
        )
        # At the bubble's right edge (its start in Arabic), not its left.
        assert bubble["x"] + bubble["width"] - text_right < 30, (bubble, text_right)
        page.screenshot(path=str(tmp_path / "rating-ar.png"), full_page=True)
    finally:
        context.close()


def test_a_message_refused_as_one_too_many_is_sent_again(live_asgi, knowledge_a, page, monkeypatch):
    """Found by the citizen walk: tapping quickly through a long form, one message was refused as one too many
    ("Too many messages; wait a moment and try again.") and stayed "sending" for good, its answer never given."""
    from chat.consumers import citizen

    monkeypatch.setattr(citizen, "MESSAGE_BURST", 2)  # two at once, then one every 2 s
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    for text in ("Hi", "When is trash collected?", "thanks", "ok"):
        _ask(page, text)
    page.locator(".cd-msg--error").first.wait_for()  # the server refused one
    sent = page.locator(".cd-msg--citizen:not(.cd-msg--sending)")
    page.wait_for_function(
        "() => document.querySelectorAll('.cd-msg--citizen.cd-msg--sending').length === 0", timeout=15_000
    )
    assert sent.count() == 4
    assert page.locator(".cd-msg--citizen .cd-text", has_text="ok").count() == 1  # once, not twice
