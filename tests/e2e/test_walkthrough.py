"""In a real browser, what the walk-through of issue 20 found: times in the agency's zone on every page,
the status dropdown that must not step backwards, buttons at the chat registration review, clickable links
in chat, and public pages that fit a 390 px phone screen."""

import os
import re

import pytest
from django.utils import timezone, translation

from registrations.demo import install_form
from registrations.models import Registration
from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tenants.models import Agency
from tenants.templatetags.agency_time import when
from tests.conftest import PASSWORD
from tests.registrations.conftest import VOTER_ANSWERS
from tests.requests_app.conftest import make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

ZONE = "Pacific/Auckland"  # 13 hours from UTC in December: a UTC time on any page cannot pass for local


def staff_page(browser, live_asgi, user):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(live_asgi.url + "/staff/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def _local(value, zone=ZONE, format_name="DATETIME_FORMAT") -> str:
    import zoneinfo

    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo(zone)):
        return when(value, format_name)


def _dd(page, label: str) -> str:
    return page.locator(f"dt:text-is('{label}') + dd").first.inner_text().strip()


def test_times_are_in_the_agency_zone_on_every_page(live_asgi, agency_a, staff_a, page, browser, settings):
    settings.MAP_TILE_URL = ""
    Agency.objects.filter(pk=agency_a.pk).update(timezone=ZONE)
    make_catalogue(agency_a)

    # A citizen files a report: the confirmation and the track page give the same local time.
    page.goto(live_asgi.url + "/a/alpha/report/pothole/")
    page.get_by_label("Address or nearest intersection").fill("Main St & 5th Ave")
    page.get_by_label("How big is it?").select_option("small")
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Thank you, your report was received").wait_for()
    reference = page.locator("#reference-number").inner_text().strip()
    request = ServiceRequest.objects.unscoped().get(reference=reference)
    expected = _local(request.created_at)
    assert expected.endswith(" NZDT") or expected.endswith(" NZST")
    assert _dd(page, "Submitted") == expected
    page.get_by_role("link", name="Track this report").click()
    page.get_by_role("heading", name=re.compile(reference)).wait_for()
    assert _dd(page, "Submitted") == expected
    assert page.locator("ol.timeline time").first.inner_text() == expected  # the history

    # Staff: the request, a registration, the audit trail and the admin show the same zone.
    with agency_context(agency_a):
        form = install_form(agency_a, "voter-registration")
        from registrations.services import registration_create

        registration = registration_create(agency=agency_a, form=form, answers=VOTER_ANSWERS)
    registration = Registration.objects.unscoped().get(pk=registration.pk)
    staff = staff_page(browser, live_asgi, staff_a["supervisor"])
    staff.goto(f"{live_asgi.url}/a/alpha/staff/requests/{reference}/")
    assert _dd(staff, "Received").startswith(expected)
    staff.goto(f"{live_asgi.url}/a/alpha/staff/registrations/{registration.reference}/")
    assert _dd(staff, "Submitted").startswith(_local(registration.submitted_at))
    staff.goto(f"{live_asgi.url}/a/alpha/staff/audit/")
    stamps = staff.locator("main time").all_inner_texts()
    assert stamps and all(re.search(r" NZ[DS]T$", stamp) for stamp in stamps)

    staff.goto(f"{live_asgi.url}/admin/requests_app/servicerequest/")
    assert f"Times in {ZONE}." in staff.locator("#user-tools").text_content()
    row = staff.locator("tr", has_text=reference).inner_text()
    assert _local(request.created_at).removesuffix(" NZDT").removesuffix(" NZST") in row
    staff.context.close()


def test_status_dropdown_does_not_step_backwards(live_asgi, agency_a, staff_a, browser, tmp_path):
    from requests_app.services import service_request_create, service_request_transition

    make_catalogue(agency_a)
    with agency_context(agency_a):
        request = service_request_create(
            agency=agency_a, category="pothole", address="Main St", attributes={"size": "small"}
        ).request
        service_request_transition(
            agency=agency_a, actor=staff_a["supervisor"], request=request, to_status="in_progress"
        )
    staff = staff_page(browser, live_asgi, staff_a["agent"])
    staff.goto(f"{live_asgi.url}/a/alpha/staff/requests/{request.reference}/")
    select = staff.get_by_label("New status")
    assert select.input_value() == ""  # nothing pre-selected
    confirm = staff.get_by_label("Yes, move this request back to an earlier step")
    assert confirm.is_hidden()

    # A hurried "Save status" moves nothing.
    staff.get_by_role("button", name="Save status").click()
    request.refresh_from_db()
    assert request.status == "in_progress"

    select.select_option("resolved")  # forward: no confirmation asked
    assert confirm.is_hidden()
    select.select_option("acknowledged")  # backward: confirm first
    assert confirm.is_visible()
    staff.get_by_role("button", name="Save status").click()  # the browser asks for the tick
    staff.wait_for_timeout(200)
    request.refresh_from_db()
    assert request.status == "in_progress"
    staff.screenshot(path=str(tmp_path / "status-backward.png"), full_page=True)
    confirm.check()
    staff.get_by_role("button", name="Save status").click()
    staff.get_by_text("Status changed.").wait_for()
    request.refresh_from_db()
    assert request.status == "acknowledged"
    assert staff.get_by_label("New status").input_value() == ""
    staff.context.close()


def _say(page, text):
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_chat_registration_has_yes_no_and_confirm_buttons(live_asgi, agency_a, page, tmp_path):
    from registrations import services
    from tests.registrations.test_chat_review import FORM

    with agency_context(agency_a):
        form = services.form_definition_create(agency=agency_a, actor=None, slug="library-card", definition=FORM)
        services.form_definition_publish(agency=agency_a, actor=None, form=form)
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    _say(page, "I want to register for a service")
    page.get_by_role("button", name="Library card").click()
    page.locator(".cd-msg--bot", has_text="Full name").wait_for()
    _say(page, "Pat Doe")
    page.locator(".cd-msg--bot", has_text="Do you live in the city?").wait_for()
    log = page.get_by_role("log", name="Conversation")
    log.get_by_role("button", name="Yes", exact=True).click()
    page.locator(".cd-msg--bot", has_text="Pat Doe").wait_for()  # the summary
    log.get_by_role("button", name="Change", exact=True).wait_for()
    page.screenshot(path=str(tmp_path / "chat-summary.png"), full_page=True)
    log.get_by_role("button", name="Confirm", exact=True).click()
    page.locator(".cd-msg--bot", has_text="your application was sent").wait_for()
    registration = Registration.objects.unscoped().get(agency=agency_a, form__slug="library-card")
    assert registration.status == "submitted" and registration.all_answers()["resident"] is True
