"""In a real browser: a reference number in the assistant's text is a link to the tracking page, a licence number's
example is not (found by the session-25 walk: the voter registration's "S123-4567-8901" was underlined and led to
/track/?reference=S123-4567-8901, in every language)."""

import os

import pytest

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def test_only_a_reference_is_a_link(arabic_chat_showing):
    page = arabic_chat_showing("مثال: S123-4567-8901، والرقم المرجعي SPR-2026-000123.", "S123-4567-8901")
    message = page.locator(".cd-msg--bot", has_text="S123-4567-8901").last
    links = [link.inner_text() for link in message.locator(".cd-text a").all()]
    assert links == ["SPR-2026-000123"], links
