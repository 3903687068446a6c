"""In a real browser: the citizen starts a report in the chat and asks for a person; the agent who takes the
conversation opens "Complete for the citizen" from the console's drafts panel, finds the citizen's answers filled in,
adds what is missing and sends it; the citizen reads the reference in the chat, and the draft leaves the panel."""

import os

import pytest

from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.e2e.test_chat import _ask, _staff_context
from tests.requests_app.conftest import make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_the_agent_completes_the_citizens_report(live_asgi, agency_a, staff_a, browser, page, settings, tmp_path):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    make_catalogue(agency_a)
    context = _staff_context(browser, live_asgi, staff_a["agent"])
    console = context.new_page()
    try:
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        console.locator("#console-status", has_text="Signed in").wait_for()

        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        _ask(page, "I want to report a problem")
        page.locator(".cd-msg--bot", has_text="What kind of problem is it?").wait_for()
        assert "(Question 1)" in page.locator(".cd-msg--bot .cd-text").last.inner_text()  # no total yet
        page.get_by_role("button", name="Pothole").click()
        page.locator(".cd-msg--bot", has_text="(Question 2 of 5) Where is it?").wait_for()
        _ask(page, "12 Elm St")
        page.locator(".cd-msg--bot", has_text="Describe the problem").wait_for()
        _ask(page, "I want to talk to a person")
        page.get_by_role("button", name="Yes").last.click()
        page.locator(".cd-msg--bot", has_text="in the queue").wait_for()

        console.locator("#queue button").first.click()
        console.get_by_role("button", name="Claim").click()
        link = console.get_by_role("link", name="Complete for the citizen")
        link.wait_for(timeout=10_000)
        assert "Pothole" in console.locator("#drafts").inner_text()
        with context.expect_page() as opened:
            link.click()
        form = opened.value
        form.wait_for_load_state()
        assert form.get_by_label("Where is it?").input_value() == "12 Elm St"
        assert form.get_by_label("Pothole").is_checked()
        form.get_by_label("Describe the problem in a few words.").fill("A deep hole in the right lane")
        form.get_by_label("Large").check()
        form.screenshot(path=str(tmp_path / "complete-form.png"), full_page=True)
        form.get_by_role("button", name="Send for the citizen").click()
        form.locator(".messages", has_text="Sent as").wait_for()

        with agency_context(agency_a):
            filed = ServiceRequest.objects.for_agency(agency_a).get()
        assert filed.reference in form.locator(".messages").inner_text()
        told = page.locator(".cd-msg--agent", has_text=filed.reference)
        told.wait_for(timeout=10_000)
        assert "I have filed your report for you" in told.inner_text()
        console.locator("#drafts").wait_for(state="hidden", timeout=10_000)  # the draft is closed, live
        page.screenshot(path=str(tmp_path / "citizen.png"))
    finally:
        context.close()
