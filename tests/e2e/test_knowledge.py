"""In a real browser: staff drag a file onto the knowledge page, watch indexing progress to Active on a
real Celery worker, preview the passages; a citizen asks from the agency home and sees the cited answer."""

import os

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LEAVES = (
    "# Leaf collection\\n\\nThe vacuum truck collects leaves from the curb every Wednesday in October and November."
)


def test_staff_upload_progress_and_citizen_answer(live_asgi, celery_worker, agency_a, staff_a, page, browser, tmp_path):
    page.goto(live_asgi.url + "/staff/login/?next=/a/alpha/staff/knowledge/")
    page.get_by_label("Username").fill("alpha-admin")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Knowledge base", level=1).wait_for()

    page.get_by_label("Title").fill("Leaf collection")
    data_transfer = page.evaluate_handle(
        f"() => {{ const dt = new DataTransfer(); "
        f"dt.items.add(new File([\"{LEAVES}\"], 'leaves.md', {{type: 'text/markdown'}})); return dt; }}"
    )
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": data_transfer})
    assert page.locator("[data-role=filename]").inner_text() == "leaves.md"
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Leaf collection").wait_for()
    # Live progress: the badge turns Active without a manual reload, then the passages show.
    page.locator(".kb-status-active").first.wait_for(timeout=60_000)
    page.get_by_text("The vacuum truck collects leaves").wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "knowledge-document.png"), full_page=True)

    citizen = browser.new_context(locale="en-US").new_page()
    citizen.goto(live_asgi.url + "/a/alpha/")
    citizen.get_by_label("Your question").fill("When are leaves collected?")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Ask").click()
    answer = citizen.locator(".kb-answer")
    answer.wait_for()
    assert "Wednesday" in answer.inner_text()
    assert "Leaf collection" in answer.inner_text() and "version 1" in answer.inner_text()
    citizen.screenshot(path=str(tmp_path / "ask.png"), full_page=True)
    citizen.context.close()
