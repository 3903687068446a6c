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


LINKS = (
    "See https://alpha.example/permits?x=1, or /a/alpha/track/?reference=ALP-2026-000123 "
    "and ALP-REG-2026-000045. <img src=x onerror=window.pwned=1> javascript:window.pwned=2 "
    'https://evil.example/"><script>window.pwned=3</script> 报告表格\uff1a/a/alpha/report/'
)


def _staff_context(browser, live_asgi, user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    context = browser.new_context(locale="en-US")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_asgi.url}])
    return context


def _hrefs(locator) -> dict[str, str]:
    return {a.inner_text(): a.get_attribute("href") for a in locator.locator("a").all()}


def test_links_in_chat_messages_are_clickable_and_safe(live_asgi, agency_a, staff_a, browser, page, tmp_path):
    console_context = _staff_context(browser, live_asgi, staff_a["agent"])
    console = console_context.new_page()
    try:
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        console.locator("#console-status", has_text="Signed in").wait_for()
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        _say(page, LINKS)
        text = page.locator(".cd-msg--citizen[data-seq] .cd-text").first
        text.wait_for()
        assert text.inner_text() == LINKS  # every character is still there, as text
        hrefs = _hrefs(text)
        assert hrefs == {
            "https://alpha.example/permits?x=1": "https://alpha.example/permits?x=1",
            "/a/alpha/track/?reference=ALP-2026-000123": live_asgi.url + "/a/alpha/track/?reference=ALP-2026-000123",
            "ALP-REG-2026-000045": live_asgi.url + "/a/alpha/track/?reference=ALP-REG-2026-000045",
            "https://evil.example/": "https://evil.example/",
            # a path straight after a Chinese (full-width) colon, as the Chinese "Track it here: %(url)s" puts it
            "/a/alpha/report/": live_asgi.url + "/a/alpha/report/",
        }
        assert page.locator(".cd-log img, .cd-log script").count() == 0
        assert page.evaluate("window.pwned") is None
        page.screenshot(path=str(tmp_path / "chat-links.png"))

        # The reference opens the track page.
        with page.context.expect_page() as opened:
            text.get_by_role("link", name="ALP-REG-2026-000045").click()
        opened.value.get_by_role("heading", name="Track a request").wait_for()
        opened.value.close()

        # The staff inbox shows the same links; references open the staff pages.
        page.locator(".cd-msg--bot", has_text="could not find").wait_for()  # the status check took the reference
        _say(page, "cancel")
        page.locator(".cd-msg--bot").nth(1).wait_for()
        _say(page, "I want to talk to a person")
        page.locator(".cd-msg--bot", has_text="in the queue").wait_for()
        console.locator("#queue button").first.click()
        transcript = console.locator("#transcript .role-citizen .text").first
        transcript.wait_for()
        assert transcript.inner_text() == LINKS
        hrefs = _hrefs(transcript)
        assert hrefs["ALP-REG-2026-000045"] == live_asgi.url + "/a/alpha/staff/registrations/ALP-REG-2026-000045/"
        assert hrefs["/a/alpha/track/?reference=ALP-2026-000123"].endswith("/a/alpha/track/?reference=ALP-2026-000123")
        assert hrefs["/a/alpha/report/"].endswith("/a/alpha/report/")
        assert all(href.startswith(("http://", "https://")) for href in hrefs.values())
        assert console.locator("#transcript img, #transcript script").count() == 0
        assert console.evaluate("window.pwned") is None
    finally:
        console_context.close()


def test_public_pages_fit_a_phone_screen_and_the_staff_header_lines_up(live_asgi, agency_a, staff_a, browser):
    from registrations.demo import install_form

    # Long contact details, like the demo's, are what pushed the agency page to 466 px.
    Agency.objects.filter(pk=agency_a.pk).update(
        contact_email="publicworks-customer-service@springfield.example.gov",
        contact_phone="+1 217 555 0100",
        contact_address="800 East Monroe Street, Municipal Center West, Springfield, IL 62701",
        office_hours="Monday to Friday, 8:00-17:00; Saturdays 9:00-12:00 (except public holidays)",
        website="https://www.springfield.example.gov/public-works/streets-and-sidewalks",
    )
    make_catalogue(agency_a)
    with agency_context(agency_a):
        install_form(agency_a, "voter-registration")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True)
    page = phone.new_page()
    widths = {}
    for path in [
        "/",
        "/a/alpha/",
        "/a/alpha/ask/",
        "/a/alpha/chat/",
        "/a/alpha/report/",
        "/a/alpha/report/pothole/",
        "/a/alpha/track/",
        "/a/alpha/register/",
        "/a/alpha/register/voter-registration/",
        "/a/alpha/requests/map/",
    ]:
        page.goto(live_asgi.url + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(widths, 390)
    assert page.evaluate("window.innerWidth") == 390
    phone.close()

    # Staff header: "Log out" sits on the same line as the other links, at the same height.
    staff = staff_page(browser, live_asgi, staff_a["agent"])
    staff.goto(live_asgi.url + "/a/alpha/staff/")
    link = staff.get_by_role("navigation", name="Main").get_by_role("link", name="Staff", exact=True).bounding_box()
    logout = staff.get_by_role("button", name="Log out").bounding_box()
    centre = lambda box: box["y"] + box["height"] / 2  # noqa: E731
    assert abs(centre(logout) - centre(link)) <= 2 and logout["height"] <= 30
    staff.context.close()
