"""The analytics dashboard and feedback pages in a real browser, checked with axe-core (WCAG 2.1 A/AA) in
the state a supervisor uses them: every section with data in its charts, a drill-down to the rows, an
unanswered-questions group, the staff feedback list, and the citizen's feedback page after sending one."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from analytics.feedback.services import feedback_submit
from analytics.models import Feedback
from knowledge.models import UnansweredQuestion
from registrations.demo import install_form
from tenants.context import agency_context
from tests.analytics import factories
from tests.e2e.test_accessibility import assert_accessible
from tests.requests_app.conftest import make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def activity(agency_a):
    from requests_app.services import service_request_create

    make_catalogue(agency_a)
    started = timezone.now() - dt.timedelta(days=2)
    with agency_context(agency_a):
        install_form(agency_a, "voter-registration")
        factories.conversation(agency_a, started=started, outcome="contained", closed_at=started, csat=5)
        factories.conversation(agency_a, started=started, handed_off=True, channel="api", language="es", csat=2)
        for text in ("Can I pay a parking ticket online?", "How do I pay a parking fine on the web?"):
            UnansweredQuestion.objects.create(agency=agency_a, question=text, language="en")
        service_request_create(agency=agency_a, category="pothole", address="Main St", attributes={"size": "small"})
        feedback_submit(agency=agency_a, text="The potholes on Main Street have been there for a month")
    return agency_a


def test_dashboard_and_feedback_pages_have_no_wcag21_aa_violations(live_asgi, activity, staff_a, browser):
    from tests.e2e.test_walkthrough import staff_page

    base = live_asgi.url + "/a/alpha"
    staff = staff_page(browser, live_asgi, staff_a["supervisor"])
    try:
        for view in ("conversations", "knowledge", "requests", "registrations", "feedback"):
            staff.goto(f"{base}/staff/analytics/?view={view}")
            staff.locator("svg").first.wait_for()
            assert_accessible(staff, f"dashboard: {view}")

        # Drill down from the channel chart's bar to its rows (the bar's link, as a keyboard user follows it).
        staff.goto(f"{base}/staff/analytics/?view=conversations")
        staff.locator("a[href*='chart=conversations_by_channel'][href*='key=web']").first.focus()
        staff.keyboard.press("Enter")
        staff.wait_for_url(lambda url: "/staff/analytics/rows/" in url)
        assert staff.locator("table tbody tr").count() == 1
        assert_accessible(staff, "drill-down rows")

        # The unanswered questions grouped by meaning, then their group with "write an answer".
        staff.goto(f"{base}/staff/analytics/?view=knowledge")
        staff.locator("a[href*='/staff/analytics/gaps/']").first.click()
        staff.wait_for_url(lambda url: "/staff/analytics/gaps/" in url)
        assert_accessible(staff, "unanswered group")

        staff.goto(f"{base}/staff/feedback/")
        assert_accessible(staff, "staff feedback list")
    finally:
        staff.context.close()


def test_citizen_feedback_page_has_no_wcag21_aa_violations(live_asgi, activity, page):
    page.goto(live_asgi.url + "/a/alpha/feedback/")
    assert_accessible(page, "feedback page")
    page.get_by_label("Your feedback").fill("The clerk at the front desk was very kind, thank you")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    assert_accessible(page, "feedback page: sent")
    with agency_context(activity):  # it arrived classified
        sent = Feedback.objects.for_agency(activity).get(text__startswith="The clerk")
    assert (sent.topic.slug, sent.sentiment, sent.channel) == ("staff", "positive", "web")
