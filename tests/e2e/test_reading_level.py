"""In a real browser (issue 19, reading level): the chat's answer is the sentences that answer, and the whole
passage is one click away, from the widget and from the ask page."""

import os

import pytest

from tests.chat.conftest import publish_document
from tests.knowledge.test_passage_page import LONG

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def repairs_a(agency_a, settings):
    settings.KNOWLEDGE_EMBEDDER = "none"
    settings.LLM_BASE_URL = None
    settings.LLM_MODEL = None
    return publish_document(agency_a, title="Street repairs", content=LONG, source_url="https://alpha.example/streets")


def test_the_whole_passage_is_one_click_from_the_widgets_answer(live_asgi, repairs_a, page, tmp_path):
    page.goto(live_asgi.url + "/a/alpha/chat/")
    page.locator(".cd-connection:empty").wait_for(state="attached")
    box = page.get_by_label("Your message")
    box.fill("How long does it take to fix a pothole?")
    box.press("Enter")
    link = page.locator(".cd-msg--bot .cd-sources a.cd-passage")
    link.wait_for()
    answer = page.locator(".cd-msg--bot .cd-text").last.inner_text()
    assert "business days" in answer and "Crews work from 7 a.m." not in answer
    assert link.inner_text() == "Read the whole passage"
    with page.context.expect_page() as opened:
        link.click()
    passage = opened.value
    passage.wait_for_load_state()
    assert "Crews work from 7 a.m." in passage.locator("article").inner_text()
    passage.screenshot(path=str(tmp_path / "passage.png"))


def test_the_whole_passage_is_one_click_from_the_ask_page(live_asgi, repairs_a, page):
    page.goto(live_asgi.url + "/a/alpha/ask/")
    page.get_by_label("Your question").fill("How long does it take to fix a pothole?")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.get_by_role("link", name="Read the whole passage").click()
    assert "Crews work from 7 a.m." in page.locator("article").inner_text()
