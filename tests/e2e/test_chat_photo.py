"""In a real browser: a citizen reports a pothole in the web chat and attaches a photo with the widget's
attach button (a labelled file input); the transcript shows it, the assistant's answer comes over the
socket, and the filed report has the photo. A file that is not a photo is refused with the reason."""

import os

import pytest

from requests_app.models import RequestPhoto, ServiceRequest
from tests.requests_app.conftest import image_bytes, make_catalogue

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _say(page, text):
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def _last_bot(page):
    return page.locator(".cd-msg--bot .cd-text").last


def test_attach_a_photo_during_a_report_and_it_is_filed(live_asgi, agency_a, page, settings, tmp_path):
    make_catalogue(agency_a)
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "pothole.png"
    photo.write_bytes(image_bytes("PNG", size=(120, 90), exif_extra=False))
    notes = tmp_path / "notes.png"
    notes.write_bytes(b"not an image at all")

    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    _say(page, "I want to report a problem")
    page.get_by_role("button", name="Pothole").click()
    page.locator(".cd-msg--bot .cd-text", has_text="Where is it?").wait_for()
    _say(page, "39.7817, -89.6436")
    page.locator(".cd-msg--bot .cd-text", has_text="Describe the problem").wait_for()
    _say(page, "A deep hole in the right lane")
    question = page.locator(".cd-msg--bot .cd-text", has_text="Attach a photo with the camera button")
    question.wait_for()
    assert "report page" not in question.inner_text()
    assert page.locator(".cd-msg--bot").last.get_by_role("button", name="Skip").count() == 1  # still skippable

    attach = page.get_by_label("Attach a photo")  # the file input, named by its label
    assert attach.get_attribute("type") == "file" and attach.get_attribute("accept") == "image/*"
    # Keyboard: Tab from the page reaches the file input (it is not hidden from the focus order).
    attach.focus()
    assert page.evaluate("document.activeElement.type") == "file"

    # Not a photo: refused with the server's reason, nothing in the conversation.
    attach.set_input_files(str(notes))
    page.locator(".cd-msg--error", has_text="Photos must be JPEG, PNG or WebP images.").wait_for()
    assert page.locator(".cd-msg--citizen .cd-photo-sent").count() == 0

    attach.set_input_files(str(photo))
    sent = page.locator(".cd-msg--citizen:not(.cd-msg--sending)", has_text="Photo sent")
    sent.wait_for()
    thumbnail = sent.get_by_role("img", name="Your photo")
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 120  # this page's own copy
    page.locator(".cd-msg--bot .cd-text", has_text="Photo received.").wait_for()  # over the socket
    assert "How big" in _last_bot(page).inner_text()
    page.screenshot(path=str(tmp_path / "chat-photo.png"))

    page.get_by_role("button", name="Large").click()
    page.locator(".cd-msg--bot .cd-text", has_text="Send it?").wait_for()
    page.locator(".cd-msg--bot").last.get_by_role("button", name="Send").click()
    page.locator(".cd-msg--bot .cd-text", has_text="ALP-").wait_for()
    request = ServiceRequest.objects.unscoped().get()
    [filed] = RequestPhoto.objects.unscoped().filter(request=request)
    assert (filed.format, filed.width, filed.height) == ("PNG", 120, 90)

    # Reload: the transcript comes back from the server; the photo line is there (without the picture).
    page.reload()
    page.locator(".cd-msg--citizen .cd-photo-sent").wait_for()
    assert page.locator(".cd-msg--citizen .cd-photo-sent").count() == 1


def test_a_photo_from_the_widget_on_another_site(live_asgi, agency_a, page, settings, tmp_path):
    """The bubble on the agency's own site uploads across origins (no cookies, the token in the form)."""
    from tests.e2e.test_chat import _OtherSite

    make_catalogue(agency_a)
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "pothole.png"
    photo.write_bytes(image_bytes("PNG", size=(80, 60), exif_extra=False))
    site = _OtherSite(live_asgi.url + "/static/chat/widget.js")
    try:
        page.goto(site.url)
        page.get_by_role("button", name="Chat with us").click()
        page.locator(".cd-connection:empty").wait_for(state="attached")
        _say(page, "I want to report a problem")
        page.get_by_role("button", name="Pothole").click()
        page.locator(".cd-msg--bot .cd-text", has_text="Where is it?").wait_for()
        page.get_by_role("dialog").get_by_label("Attach a photo").set_input_files(str(photo))
        page.locator(".cd-msg--bot .cd-text", has_text="Photo received.").wait_for()
        assert page.locator(".cd-msg--citizen", has_text="Photo sent").get_by_role("img").count() == 1
        assert page.locator(".cd-msg--error").count() == 0
    finally:
        site.stop()
