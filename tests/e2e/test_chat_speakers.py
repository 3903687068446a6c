"""In a real browser: the transcript's speaker labels ("You", "Assistant") are in the conversation's language now,
on every message, after the citizen switches language (found by the session-24 walk: a Korean conversation turned
English kept "나" and "도우미" above the earlier messages and the English question just sent, and a reload
labelled each message in the language it arrived in: "You", "도우미", "나", …, "Assistant")."""

import os

import pytest

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def speakers(page) -> list[str]:
    return [label.inner_text() for label in page.locator(".cd-speaker").all()]


def test_speaker_labels_follow_the_language_the_citizen_switches_to(live_asgi, agency_a, browser, tmp_path):
    agency_a.languages = ["en", "ko"]
    agency_a.full_clean()
    agency_a.save()
    context = browser.new_context(locale="ko", viewport={"width": 420, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ko", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.locator(".cd-composer textarea")
        box.fill("안녕하세요")
        box.press("Enter")
        page.locator(".cd-msg--bot .cd-speaker", has_text="도우미").wait_for()
        assert speakers(page) == ["나", "도우미"]

        box.fill("Hello, I need some help please")
        box.press("Enter")
        page.locator(".cd-send", has_text="Send").wait_for()
        page.locator(".cd-msg--bot").nth(1).wait_for()
        page.screenshot(path=str(tmp_path / "speakers-switched.png"), full_page=True)
        assert speakers(page) == ["You", "Assistant", "You", "Assistant"]
        assert page.locator(".cd-msg--system").first.inner_text().startswith("Ask a question")

        page.reload()
        page.locator(".cd-msg--bot").nth(1).wait_for()
        page.locator(".cd-send", has_text="Send").wait_for()
        assert speakers(page) == ["You", "Assistant", "You", "Assistant"]
    finally:
        context.close()
