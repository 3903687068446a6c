"""In a real browser: an agency admin adds a question with the question editor (no JSON), publishes, and a
citizen meets it on the form; the editor has no WCAG 2.1 A/AA violation."""

import os

import pytest

from registrations.demo import install_form
from tenants.context import agency_context
from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def voter(agency_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with agency_context(agency_a):
        return install_form(agency_a, "voter-registration")


def test_admin_adds_a_question_and_the_citizen_sees_it(live_asgi, voter, staff_a, browser, page, tmp_path):
    from tests.e2e.test_walkthrough import staff_page

    admin = staff_page(browser, live_asgi, staff_a["admin"])
    try:
        admin.goto(live_asgi.url + "/a/alpha/staff/registrations/forms/")
        admin.get_by_role("link", name="Voter registration").click()
        admin.get_by_role("heading", name="Page 1").wait_for()
        assert_accessible(admin, "question editor")
        admin.get_by_role("button", name="Add a question to page 1").click()
        admin.get_by_text("Not saved yet").wait_for()
        new = admin.locator(".editor-question").filter(has_text="New question")
        assert new.count() == 1
        # The page came back to the question just added.
        assert new.evaluate("e => e.contains(document.activeElement)")
        label = new.get_by_role("group", name="Question", exact=True)
        label.get_by_label("English").fill("Which ward do you live in?")
        label.get_by_text("In 2 other languages").click()
        label.get_by_label("Spanish").fill("¿En qué distrito vive?")
        choices = new.get_by_role("group", name="Choices, one per line (the same order in every language)")
        assert not choices.is_visible()  # a text answer has no choices
        new.get_by_label("Kind of answer").select_option("single_choice")
        assert choices.is_visible()
        choices.get_by_label("English").fill("Ward 1\nWard 2\nI don't know")
        admin.get_by_role("button", name="Save and publish").last.click()
        admin.get_by_text("Published as version 2.").wait_for()
        admin.screenshot(path=str(tmp_path / "question-editor.png"), full_page=True)
    finally:
        admin.context.close()

    page.goto(live_asgi.url + "/a/alpha/register/voter-registration/")
    page.get_by_role("button", name="Start now").click()
    group = page.get_by_role("group", name="Which ward do you live in?")
    group.wait_for()
    assert group.get_by_label("Ward 2").count() == 1
