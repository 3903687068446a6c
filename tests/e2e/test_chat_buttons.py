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
        # Measured in one script run on the message on the page: the echo may replace the message drawn at once,
        # and a replaced (detached) element has no direction and no glyph positions.
        measured = page.wait_for_function(
            """() => {
                 const e = [...document.querySelectorAll('.cd-msg--citizen .cd-text')]
                   .find(x => x.textContent.trim() === '4 ★');
                 if (!e || !e.isConnected || getComputedStyle(e).direction !== 'rtl') return null;
                 const t = e.firstChild, r = document.createRange();
                 r.setStart(t, 0); r.setEnd(t, 1); const four = r.getBoundingClientRect().left;
                 r.setStart(t, 2); r.setEnd(t, 3); const star = r.getBoundingClientRect().left;
                 r.selectNodeContents(e); const textRight = r.getBoundingClientRect().right;
                 const bubble = e.closest('.cd-msg--citizen').getBoundingClientRect();
                 return {four, star, textRight, bubbleRight: bubble.right};
               }""",
            timeout=10_000,
        ).json_value()
        assert measured["four"] > measured["star"], measured  # "4" first, read from the right
        # At the bubble's right edge (its start in Arabic), not its left.
        assert measured["bubbleRight"] - measured["textRight"] < 30, measured
        page.screenshot(path=str(tmp_path / "rating-ar.png"), full_page=True)
    finally:
        context.close()


def test_a_message_refused_as_one_too_many_is_sent_again(live_asgi, knowledge_a, page, monkeypatch):
    """Found by the citizen walk: tapping quickly through a long form, one message was refused as one too many
    ("Too many messages; wait a moment and try again.") and stayed "sending" for good, its answer never given."""
    from chat.consumers import citizen

    monkeypatch.setattr(citizen, "MESSAGE_BURST", 2)  # two at once, then one a second
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
