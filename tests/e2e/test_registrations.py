"""In a real browser: complete a voter registration step by step, then track it by its reference."""

import os
import re

import pytest

from registrations.demo import install_form
from tenants.context import agency_context

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def voter(agency_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with agency_context(agency_a):
        return install_form(agency_a, "voter-registration")


def test_complete_voter_registration_and_track_it(live_asgi, voter, page, tmp_path):
    page.goto(live_asgi.url + "/a/alpha/")
    page.get_by_role("link", name="Voter registration").click()
    page.get_by_role("button", name="Start now").click()

    # step 1: an invalid date is refused inline with the reason, and focus goes to the error summary
    page.get_by_role("heading", name="Can you register?").wait_for()
    page.get_by_role("group", name="Are you a citizen of the United States?").get_by_label("Yes").check()
    page.get_by_label("Date of birth").fill("2015-06-01")
    page.get_by_role("group", name="Do you live in the City of Springfield?").get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("You must be at least 18 years old.").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    page.get_by_label("Date of birth").fill("1990-03-27")
    page.get_by_role("button", name="Continue").click()

    # step 2: the SSN question appears only after choosing it (live condition)
    page.get_by_role("heading", name="About you").wait_for()
    page.get_by_label("Full legal name").fill("Pat Doe")
    ssn = page.get_by_role("textbox", name="Social Security number")
    assert not ssn.is_visible()
    page.get_by_role("radio", name="Social Security number").check()
    assert ssn.is_visible()
    ssn.fill("123-45-6789")
    page.get_by_role("button", name="Continue").click()

    # step 3 and a back-and-forth
    page.get_by_role("heading", name="Where you live").wait_for()
    page.get_by_label("Street address").first.fill("1 Main St")
    page.get_by_label("City").first.fill("Springfield")
    page.get_by_label("State").first.fill("IL")
    page.get_by_label("ZIP code").first.fill("62701")
    page.get_by_role("group", name="Were you registered to vote at another address before?").get_by_label("No").check()
    page.get_by_role("button", name="Back", exact=True).click()
    page.get_by_role("heading", name="About you").wait_for()
    page.get_by_role("button", name="Continue").click()  # the saved SSN is kept without retyping it
    page.get_by_role("heading", name="Where you live").wait_for()
    assert page.get_by_label("Street address").first.input_value() == "1 Main St"
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("heading", name="Preferences").wait_for()
    page.get_by_role("radio", name="English").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="How we reach you").wait_for()
    page.get_by_label("Email address").fill("pat@example.com")
    page.get_by_role("button", name="Continue").click()

    # review: everything listed, the SSN masked; confirm
    page.get_by_role("heading", name="Check your answers before sending").wait_for()
    review = page.locator("main").inner_text()
    assert "Pat Doe" in review and "•••• 6789" in review and "123-45-6789" not in review
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.get_by_role("button", name="Confirm and send").click()

    page.get_by_role("heading", name="Application sent").wait_for()
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"ALP-REG-\d{4}-000001", reference)

    # track it by its reference, typed into the lookup like a citizen would
    page.goto(live_asgi.url + "/a/alpha/track/")
    page.get_by_label("Reference number").fill(reference.lower())
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Voter registration · {reference}").wait_for()
    assert page.locator(".badge").first.inner_text() == "Submitted"
    page.screenshot(path=str(tmp_path / "track.png"), full_page=True)


def test_admin_sees_a_live_preview_while_editing_json(live_asgi, voter, staff_a, page):
    from tests.conftest import PASSWORD

    page.goto(live_asgi.url + "/staff/login/")
    page.get_by_label("Username").fill("alpha-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_asgi.url + "/a/alpha/staff/registrations/forms/voter-registration/")
    preview = page.locator("#preview")
    preview.get_by_text("Are you a citizen of the United States?").wait_for()

    editor = page.get_by_label("Definition (JSON)")
    text = editor.input_value().replace("Are you a citizen of the United States?", "Are you a US citizen?")
    editor.fill(text)
    preview.get_by_text("Are you a US citizen?").wait_for()

    editor.fill(text.replace('"type": "yes_no"', '"type": "maybe"', 1))
    page.locator("#preview-errors li", has_text="steps[0].fields[0].type").wait_for()

    page.get_by_label("Preview language").select_option("es")
    editor.fill(text)
    preview.get_by_text("¿Es ciudadano de los Estados Unidos?").wait_for()
