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


def test_the_agent_attaches_the_document_the_citizen_e_mailed(
    live_asgi, agency_a, staff_a, browser, page, settings, tmp_path
):
    """A French citizen starts a voter registration in the chat without an ID number and asks for a person; the agent
    completes it with the proof of address the citizen e-mailed: a file that is not a PDF or image is refused with
    the reason, the real one is filed with the application and the citizen reads the reference."""
    from registrations.demo import install_form
    from registrations.models import Registration, RegistrationFile

    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.MEDIA_ROOT = tmp_path / "media"
    agency_a.languages = ["en", "es", "zh-hans", "fr", "vi", "ko", "ar", "de"]  # the citizen is answered in French
    agency_a.save(update_fields=["languages"])
    with agency_context(agency_a):
        install_form(agency_a, "voter-registration")
    bill = tmp_path / "facture.pdf"
    bill.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    fake = tmp_path / "facture-scan.pdf"
    fake.write_bytes(b"this is plain text, not a PDF")
    context = _staff_context(browser, live_asgi, staff_a["agent"])
    console = context.new_page()
    try:
        console.goto(live_asgi.url + "/a/alpha/staff/inbox/")
        console.locator("#console-status", has_text="Signed in").wait_for()

        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.locator("textarea")  # its label follows the conversation into French

        def say(text):
            box.fill(text)
            box.press("Enter")

        say("Je veux m'inscrire sur les listes électorales")
        page.locator(".cd-msg--bot", has_text="citoyen").last.wait_for()
        say("oui")
        page.locator(".cd-msg--bot", has_text="naissance").last.wait_for()
        say("27/03/1990")
        page.locator(".cd-msg--bot", has_text="Springfield").last.wait_for()
        say("Je voudrais parler à quelqu'un")
        # The queue at once, or first "Quitter ce formulaire pour « … » ?" (the residency question's own Oui/Non
        # buttons are on the page already: waiting for any "Oui" raced the reply and pressed the old one).
        asked = page.locator(".cd-msg--bot", has_text="Quitter ce formulaire")
        queued = page.locator(".cd-msg--bot", has_text="file d'attente")
        asked.or_(queued).last.wait_for()
        if asked.count() and not queued.count():
            page.get_by_role("button", name="Oui").last.click()
        queued.last.wait_for()

        console.locator("#queue button").first.click()
        console.get_by_role("button", name="Claim").click()
        link = console.get_by_role("link", name="Complete for the citizen")
        link.wait_for(timeout=10_000)
        with context.expect_page() as opened:
            link.click()
        form = opened.value
        form.wait_for_load_state()
        form.get_by_role("group", name="Do you live in the City of Springfield?").get_by_label("Yes").check()
        form.locator("#full_name").fill("Camille Martin")
        assert not form.get_by_label("Utility bill, bank statement or pay stub").is_visible()
        form.get_by_label("I have neither").check()  # no ID number: the proof of address is asked for
        form.locator("#home_address__line1").fill("1 Main St")
        form.locator("#home_address__city").fill("Springfield")
        form.locator("#home_address__region").fill("IL")
        form.locator("#home_address__postal_code").fill("62701")
        form.get_by_role("group", name="Were you registered to vote at another address before?").get_by_label(
            "No"
        ).check()
        form.get_by_role("group", name="Language for your election mail").get_by_label("English").check()
        form.locator("#email").fill("camille@example.com")
        document = form.get_by_label("Utility bill, bank statement or pay stub")
        document.set_input_files(str(fake))
        form.get_by_role("button", name="Send for the citizen").click()
        form.locator("#error-summary").wait_for()
        assert "PDF, JPEG, PNG" in form.locator("#error-summary").inner_text()
        assert form.locator("#full_name").input_value() == "Camille Martin"  # nothing typed is lost
        form.get_by_label("Utility bill, bank statement or pay stub").set_input_files(str(bill))
        form.screenshot(path=str(tmp_path / "complete-with-document.png"), full_page=True)
        form.get_by_role("button", name="Send for the citizen").click()
        form.locator(".messages", has_text="Sent as").wait_for()

        with agency_context(agency_a):
            registration = Registration.objects.for_agency(agency_a).get()
            stored = RegistrationFile.objects.for_agency(agency_a).get()
        assert stored.registration == registration and stored.name == "facture.pdf"
        told = page.locator(".cd-msg--agent", has_text=registration.reference)
        told.wait_for(timeout=10_000)
        page.screenshot(path=str(tmp_path / "citizen-fr.png"))
    finally:
        context.close()
