"""axe-core (vendored in tests/e2e/vendor/) on the main pages of citizens and staff: no violation of
WCAG 2.1 A/AA, with the pages in the state people use them (a chat with messages, an inbox with a
conversation open, a registration step)."""

import os
from pathlib import Path

import pytest

from registrations.demo import install_form
from tenants.context import agency_context
from tests.requests_app.conftest import make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """One line per violation: rule, impact and the first few elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG21_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(str(n["target"]) for n in v["nodes"][:4])
        for v in violations
    ]


def assert_accessible(page, where: str) -> None:
    found = axe_violations(page)
    assert found == [], f"{where}:\n" + "\n".join(found)


@pytest.fixture
def content(agency_a):
    make_catalogue(agency_a)
    with agency_context(agency_a):
        install_form(agency_a, "voter-registration")
    return agency_a


def _say(page, text):
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_citizen_pages_have_no_wcag21_aa_violations(live_asgi, content, page):
    base = live_asgi.url
    for path in ["/", "/a/alpha/", "/a/alpha/ask/", "/a/alpha/report/", "/a/alpha/report/pothole/", "/a/alpha/track/"]:
        page.goto(base + path)
        assert_accessible(page, path)

    # The ask page with its answer (here: the refusal and its ways to reach a person).
    page.goto(base + "/a/alpha/ask/")
    page.get_by_label("Your question").fill("How do I adopt a llama?")
    page.get_by_role("button", name="Ask").click()
    page.get_by_role("heading", name="Answer").wait_for()
    assert_accessible(page, "ask: answer")

    # Track a reference that does not exist: the error state.
    page.goto(base + "/a/alpha/track/?reference=ALP-2026-999999")
    assert_accessible(page, "track: not found")

    # The registration wizard: its intro, a step, and a step with errors.
    page.goto(base + "/a/alpha/register/")
    assert_accessible(page, "register: index")
    page.goto(base + "/a/alpha/register/voter-registration/")
    assert_accessible(page, "register: intro")
    start = page.get_by_role("button", name="Start")
    if start.count():
        start.first.click()
    page.get_by_role("button", name="Continue").wait_for()
    assert_accessible(page, "register: first step")
    page.get_by_role("button", name="Continue").click()
    page.locator(".errorlist, #error-summary").first.wait_for()
    assert_accessible(page, "register: step with errors")

    # The chat page with a conversation in it (messages, quick replies).
    page.goto(base + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    _say(page, "Hi")
    page.locator(".cd-msg--bot .cd-actions button").first.wait_for()
    assert_accessible(page, "chat")


def test_staff_pages_have_no_wcag21_aa_violations(live_asgi, content, staff_a, browser):
    from requests_app.models import Notification
    from requests_app.services import service_request_create
    from tests.e2e.test_walkthrough import staff_page

    with agency_context(content):  # the queue has a request in it, the outbox a row that was given up
        filed = service_request_create(
            agency=content, category="pothole", address="Main St", attributes={"size": "small"}
        ).request
        Notification.objects.create(
            agency=content,
            request=filed,
            recipient="jane@example.org",
            subject="Your report",
            body="-",
            attempts=3,
            last_error="SMTP: 550 5.1.1 [email]: Recipient address rejected",
            given_up_at=filed.created_at,
            permanent=True,
        )
    staff = staff_page(browser, live_asgi, staff_a["supervisor"])
    base = live_asgi.url
    try:
        for path in [
            "/staff/",
            "/a/alpha/staff/",
            "/a/alpha/staff/requests/",
            f"/a/alpha/staff/requests/{filed.reference}/",
            "/a/alpha/staff/knowledge/",
            "/a/alpha/staff/registrations/",
            "/a/alpha/staff/outbox/",
        ]:
            staff.goto(base + path)
            assert_accessible(staff, path)

        # The inbox with a citizen's conversation open.
        staff.goto(base + "/a/alpha/staff/inbox/")
        staff.locator("#console-status", has_text="Signed in").wait_for()
        citizen = staff.context.browser.new_context(locale="en-US").new_page()
        citizen.goto(base + "/a/alpha/chat/")
        citizen.locator(".cd-connection:empty").wait_for(state="attached")
        _say(citizen, "I want to talk to a person")
        citizen.locator(".cd-msg--bot", has_text="queue").wait_for()
        staff.locator("#queue button").first.click()
        staff.locator("#transcript .role-citizen").first.wait_for()
        assert_accessible(staff, "inbox")
        citizen.context.close()
    finally:
        staff.context.close()
