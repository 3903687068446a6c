"""Staff pages in a real browser, as the session-19 walk-through found them. In Arabic (right to left): the
analytics bar charts drew their labels over the bars (and, after that, were drawn left to right), "← Staff home" and "old → new" pointed the wrong way, and
the outbox broke a masked number over three lines. In German: the inbox said "waiting 0 min" and "handoff". In
English: a report's long question squeezed its description into a column two words wide."""

import contextlib
import datetime as dt
import os

import pytest
from django.utils import timezone

from requests_app.models import Notification
from tenants.context import agency_context
from tests.analytics import factories

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def arabic_staff(browser, live_asgi, user):
    from tests.e2e.test_walkthrough import staff_page

    page = staff_page(browser, live_asgi, user)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    return page


@contextlib.contextmanager
def waiting_for_a_person(browser, live_asgi, agent, page, *, language=None):
    """The agent's inbox open (in `language`) while a citizen, in `page`, asks for a person: yields the inbox page
    and the citizen's message box."""
    from tests.e2e.test_chat import _staff_context

    context = _staff_context(browser, live_asgi, agent)
    if language:
        context.add_cookies([{"name": "django_language", "value": language, "url": live_asgi.url}])
    console = context.new_page()
    try:
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("Your message")
        box.fill("I want to talk to a person")
        box.press("Enter")
        yield console, box
    finally:
        context.close()


def _boxes(locator):
    return locator.evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect(); return [b.left, b.right]; })"
    )


def test_arabic_charts_arrows_and_outbox(live_asgi, agency_a, staff_a, browser, tmp_path):
    started = timezone.now() - dt.timedelta(days=2)
    with agency_context(agency_a):
        factories.conversation(agency_a, started=started, outcome="contained", closed_at=started, csat=5)
        factories.conversation(agency_a, started=started, handed_off=True, channel="api", language="es", csat=2)
        Notification.objects.create(
            agency=agency_a, channel="sms", recipient="+12175550107", subject="s", body="b", attempts=1,
            last_error="TransientError: Twilio: 429 Too Many Requests (error 20429)", error_code="twilio:20429",
            next_attempt_at=timezone.now() + dt.timedelta(minutes=5),
        )  # fmt: skip
    page = arabic_staff(browser, live_asgi, staff_a["supervisor"])
    try:
        page.goto(live_asgi.url + "/a/alpha/staff/analytics/?view=conversations")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        chart = page.locator("svg.chart:has(.chart-label)").first
        chart.wait_for()
        labels, bars = _boxes(chart.locator(".chart-label")), _boxes(chart.locator("rect.chart-bar"))
        assert labels and bars
        # The drawing is mirrored: every label begins after the bars end (on the right; they were once drawn
        # across them, then on the left), and each value is left of its bar, which grows leftwards.
        assert min(left for left, _right in labels) >= max(right for _left, right in bars) - 1
        values = _boxes(chart.locator(".chart-value"))
        assert all(right <= left_of_bar + 1 for (_l, right), (left_of_bar, _r) in zip(values, bars, strict=True))
        # Time runs from right to left: the value axis on the right of the day chart.
        days = page.locator("svg.chart:not(:has(.chart-label))").first
        axis = days.locator("text.chart-axis").first.bounding_box()
        plot = days.bounding_box()
        assert axis["x"] > plot["x"] + plot["width"] / 2
        # The day axis speaks Arabic: no English month abbreviation.
        axis = " ".join(page.locator("svg.chart .chart-axis").evaluate_all("els => els.map(e => e.textContent)"))
        assert not any(month in axis for month in ("Nov", "Dec", "Jan", "Oct", "Sep"))

        # "← Staff home" points to the right in a right-to-left page: the arrow is mirrored.
        arrow = page.locator("a[href$='/staff/'] .arrow").first
        assert arrow.evaluate("e => getComputedStyle(e).transform") != "none"

        page.goto(live_asgi.url + "/a/alpha/staff/outbox/")
        number = page.locator("table.outbox tbody td:nth-child(4) bdi").first
        assert number.inner_text() == "+1 •••• 0107"
        line = float(number.evaluate("e => parseFloat(getComputedStyle(e).lineHeight) || 20"))
        assert number.bounding_box()["height"] < 1.5 * line  # one line, not three
        page.screenshot(path=str(tmp_path / "outbox-ar.png"), full_page=True)
    finally:
        page.context.close()


def test_the_inbox_says_how_long_in_words_and_what_was_asked(live_asgi, agency_a, staff_a, browser, page):
    """German inbox: a citizen who just asked for a person waited "0 Min." (and kept saying so, the list being
    drawn only when something happened), and the transcript's header said "handoff"."""
    with waiting_for_a_person(browser, live_asgi, staff_a["agent"], page, language="de") as (console, _box):
        item = console.locator("#queue button").first
        item.wait_for()
        meta = item.locator(".item-meta").inner_text()
        assert "wartet seit weniger als einer Minute" in meta and "0 Min" not in meta
        item.click()
        header = console.locator("#transcript-meta")
        console.wait_for_function(
            "() => document.querySelector('#transcript-meta').textContent.includes('Mit einem Menschen sprechen')"
        )
        assert "handoff" not in header.inner_text()
        # Two minutes later, with no event in between, the list says so.
        console.evaluate("() => { const now = Date.now(); Date.now = () => now + 125000; }")
        console.wait_for_function(
            "() => document.querySelector('#queue .item-meta').textContent.includes('2 Min')", timeout=40_000
        )


def test_a_long_wait_is_said_in_hours_and_minutes(live_asgi, agency_a, staff_a, browser, page):
    """Found by the session-25 walk: a conversation queued since the evening before read "wartet seit 485 Min."."""
    with waiting_for_a_person(browser, live_asgi, staff_a["agent"], page, language="de") as (console, _box):
        console.locator("#queue button").first.wait_for()
        console.evaluate("() => { const now = Date.now(); Date.now = () => now + 485 * 60000 + 5000; }")
        console.wait_for_function(
            "() => document.querySelector('#queue .item-meta').textContent.includes('wartet seit 8 Std. 5 Min.')",
            timeout=40_000,
        )


def test_a_long_question_does_not_squeeze_the_report(live_asgi, agency_a, staff_a, browser):
    from requests_app.models import ServiceAttribute, ServiceCategory
    from requests_app.services import service_request_create
    from tests.e2e.test_walkthrough import staff_page
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)
    with agency_context(agency_a):
        ServiceAttribute.objects.create(
            agency=agency_a, category=ServiceCategory.objects.get(code="pothole"), code="depth",
            description="Rough depth of the hole at its deepest point, in inches", datatype="number", order=3,
        )  # fmt: skip
        filed = service_request_create(
            agency=agency_a,
            category="pothole",
            address="Washington Park, path by the lagoon",
            description="A large branch fell across the walking path after the storm.",
            attributes={"size": "small", "depth": 4},
        )
    page = staff_page(browser, live_asgi, staff_a["agent"])
    try:
        page.goto(f"{live_asgi.url}/a/alpha/staff/requests/{filed.request.reference}/")
        facts = page.locator("dl.facts").first
        description = facts.locator("dd").first
        assert "A large branch fell" in description.inner_text()
        assert description.bounding_box()["width"] >= 0.5 * facts.bounding_box()["width"]
    finally:
        page.context.close()


def test_code_keeps_its_order_on_an_arabic_page(live_asgi, agency_a, staff_a, browser):
    """The channels page gave the SMS webhook as "/http://…/hooks/alpha/sms" in Arabic."""
    from messaging.connections import channel_connect

    with agency_context(agency_a):
        channel_connect(
            agency=agency_a, actor=None, kind="sms", api_base="http://127.0.0.1:9",
            values={"account_sid": "ACalpha0001", "auth_token": "alpha-auth-token", "from_number": "+15550001111"},
        )  # fmt: skip
    page = arabic_staff(browser, live_asgi, staff_a["admin"])
    try:
        page.goto(live_asgi.url + "/a/alpha/staff/channels/")
        url = page.locator("code", has_text="/hooks/alpha/sms/").first
        first, last = url.evaluate(
            """e => { const t = e.firstChild, r = document.createRange(), x = i => { r.setStart(t, i);
                r.setEnd(t, i + 1); return r.getBoundingClientRect().left; }; return [x(0), x(t.length - 1)]; }"""
        )
        assert first < last  # "h" of http on the left, the final "/" on the right
    finally:
        page.context.close()


def test_a_number_sits_where_arabic_text_starts(live_asgi, agency_a, staff_a, browser):
    """Session 20's walk: on the Arabic "try a message" page the confidence ("0,93") and the knowledge base's counts
    sat at the far left, under labels on the right (a value with no letters took the left-to-right direction of
    `unicode-bidi: plaintext`)."""
    page = arabic_staff(browser, live_asgi, staff_a["agent"])
    try:
        page.goto(live_asgi.url + "/a/alpha/staff/chat/try/?text=" + "أريد التحدث إلى موظف")
        understood = page.locator("dl.understood")
        understood.wait_for()
        number = understood.locator("dd.num")
        assert any(ch.isdigit() for ch in number.inner_text())
        right_of = understood.evaluate("e => e.getBoundingClientRect().right")
        text = number.evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().right; }"
        )
        assert text > right_of - 80  # at the right, where the page's text starts (was ~600 px to the left)

        # The knowledge base's counts sat at the left of their tiles, under labels at the right.
        page.goto(live_asgi.url + "/a/alpha/staff/knowledge/")
        tile = page.locator("dl.kb-stats > div").first
        count = tile.locator("dd").evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().right; }"
        )
        label = tile.locator("dt").evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().right; }"
        )
        assert abs(count - label) < 4
    finally:
        page.context.close()


def test_an_address_keeps_its_house_number_in_front_in_the_arabic_queue(live_asgi, agency_a, staff_a, browser):
    """Session 20's walk: the Arabic request queue showed "1200 S MacArthur Blvd" as "S MacArthur Blvd 1200"."""
    from requests_app.services import service_request_create
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)
    with agency_context(agency_a):
        service_request_create(
            agency=agency_a, category="pothole", address="1200 S MacArthur Blvd", description="Deep",
            attributes={"size": "small"},
        )  # fmt: skip
    page = arabic_staff(browser, live_asgi, staff_a["agent"])
    try:
        page.goto(live_asgi.url + "/a/alpha/staff/requests/")
        cell = page.locator("tbody td", has_text="MacArthur").first
        number, street = cell.evaluate(
            """e => { const t = e.querySelector('bdi').firstChild, r = document.createRange(),
                at = i => { r.setStart(t, i); r.setEnd(t, i + 1); return r.getBoundingClientRect().left; };
                return [at(0), at(t.textContent.indexOf('S'))]; }"""
        )
        assert number < street  # "1200" on the left, before the street, as the address is written
    finally:
        page.context.close()


def test_the_citizens_typing_line_ends_with_the_message(live_asgi, agency_a, staff_a, browser, page):
    """Found by the session-25 walk: after the agent took over, "Der Bürger schreibt…" stayed under the citizen's
    sent message (the widget never says it stopped typing; only a bot's or an agent's message cleared the line)."""
    with waiting_for_a_person(browser, live_asgi, staff_a["agent"], page) as (console, box):
        console.locator("#queue button").first.click()
        console.locator("#claim").click()
        console.locator("#composer-text").wait_for()
        page.wait_for_timeout(3200)  # the widget says "typing" at most every 3 s (the first fill said it already)
        box.press_sequentially("my bin was not emptied", delay=20)
        console.locator("#typing", has_text="The citizen is typing").wait_for()
        box.press("Enter")
        console.locator("#transcript li", has_text="my bin was not emptied").wait_for()
        console.wait_for_function("() => document.querySelector('#typing').textContent === ''", timeout=3000)
