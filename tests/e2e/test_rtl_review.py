"""In a real browser: an Arabic review (a registration's or a report's, before "Send") keeps every answer under its
question on the right, also an answer in Latin letters ("pat@example.com", "Pat Citizen", "Small"). Found by the
session-24 walk: the chat lays each line of a message out by its first letter, an answer's line had none outside
the isolate that keeps "1 Main St" in order, and such lines sat at the left edge under a question on the right."""

import os

import pytest

from registrations.engine.review import item_lines

pytestmark = pytest.mark.e2e
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

_EDGES = """
([needles]) => {
  const bubble = [...document.querySelectorAll(".cd-msg--bot")].pop();
  const text = [...bubble.querySelectorAll(".cd-text")].map((p) => p.firstChild).find((n) => n && n.nodeType === 3 &&
    needles.every((needle) => n.textContent.includes(needle)));
  const right = (needle) => {
    const range = document.createRange();
    const at = text.textContent.indexOf(needle);
    range.setStart(text, at);
    range.setEnd(text, at + needle.length);
    return range.getBoundingClientRect().right;
  };
  const box = bubble.getBoundingClientRect();
  return { left: box.left, right: box.right, edges: Object.fromEntries(needles.map((n) => [n, right(n)])) };
}
"""


@pytest.fixture
def arabic_agency(agency_a):
    agency_a.languages = ["en", "ar"]
    agency_a.full_clean()
    agency_a.save()
    return agency_a


def test_an_answer_in_latin_letters_sits_under_its_question_in_an_arabic_review(
    live_asgi, arabic_agency, browser, tmp_path
):
    from chat import services
    from chat.engine.types import BotReply
    from chat.models import Conversation
    from tenants.context import agency_context

    email, name = "البريد الإلكتروني", "الاسم القانوني الكامل"  # "E-mail", "Full legal name"
    review = "\n".join(
        [
            "يرجى مراجعة إجاباتك:",
            *item_lines(email, "pat@example.com", lang="ar"),
            *item_lines(name, "Pat Citizen", lang="ar"),
        ]
    )
    context = browser.new_context(locale="ar", viewport={"width": 900, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_asgi.url}])
    page = context.new_page()
    try:
        page.goto(live_asgi.url + "/a/alpha/chat/")
        page.locator(".cd-connection:empty").wait_for(state="attached")
        box = page.get_by_label("رسالتك")
        box.fill("مرحبا")
        box.press("Enter")
        page.locator(".cd-msg--bot").first.wait_for()
        with agency_context(arabic_agency):
            conversation = Conversation.objects.for_agency(arabic_agency).get()
            services.bot_reply_post(
                agency=arabic_agency,
                conversation_id=conversation.pk,
                reply_to_seq=None,
                reply=BotReply(text=review, decision={"language": "ar"}),
            )
        page.reload()
        page.locator(".cd-msg--bot", has_text="pat@example.com").wait_for()
        placed = page.evaluate(_EDGES, [[email, "pat@example.com", name, "Pat Citizen"]])
        page.screenshot(path=str(tmp_path / "chat-ar-review.png"), full_page=True)
    finally:
        context.close()
    middle = (placed["left"] + placed["right"]) / 2
    edges = placed["edges"]
    assert edges[email] > middle and edges[name] > middle, placed  # the questions start at the right
    # Each answer's line starts at the right too, behind its arrow: its text ends within the arrow's width of the
    # question's right edge (it sat at the left edge, ~400 px away).
    assert edges[email] - edges["pat@example.com"] < 60, placed
    assert edges[name] - edges["Pat Citizen"] < 60, placed
