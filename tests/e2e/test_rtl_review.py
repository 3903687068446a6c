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


def test_an_answer_in_latin_letters_sits_under_its_question_in_an_arabic_review(arabic_chat_showing, tmp_path):
    email, name = "البريد الإلكتروني", "الاسم القانوني الكامل"  # "E-mail", "Full legal name"
    review = "\n".join(
        [
            "يرجى مراجعة إجاباتك:",
            *item_lines(email, "pat@example.com", lang="ar"),
            *item_lines(name, "Pat Citizen", lang="ar"),
        ]
    )
    page = arabic_chat_showing(review, "pat@example.com")
    placed = page.evaluate(_EDGES, [[email, "pat@example.com", name, "Pat Citizen"]])
    page.screenshot(path=str(tmp_path / "chat-ar-review.png"), full_page=True)
    middle = (placed["left"] + placed["right"]) / 2
    edges = placed["edges"]
    assert edges[email] > middle and edges[name] > middle, placed  # the questions start at the right
    # Each answer's line starts at the right too, behind its arrow: its text ends within the arrow's width of the
    # question's right edge (it sat at the left edge, ~400 px away).
    assert edges[email] - edges["pat@example.com"] < 60, placed
    assert edges[name] - edges["Pat Citizen"] < 60, placed
