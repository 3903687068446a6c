"""What the message that opened a report in the chat already answers, so the form does not ask it again.

"there's a big pothole outside 418 Linden Ave, it's about a foot wide" told the problem and where it is: the form
keeps the message as the description, and the address as the place when it is plainly one
(`requests_app.chat_location.opening_place`); "report a pothole" or "I want to report a problem" told neither, and
both are asked. A message tells the problem when, past the act's words ("report", "melden", "报告"), the names of
the agency's kinds of problem ("pothole", "Schlagloch", "坑洞") and words that carry nothing of it ("I want to", "a
problem"), at least `TOLD_WORDS` words are left (a Han character counts half a word)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from chat.engine.intents import normalize
from chat.engine.stopwords import STOPWORDS
from core.language import isolated
from geocoding.intersections import intersection_in
from requests_app import report_words
from requests_app.chat_form import category_keywords
from requests_app.chat_location import crossing_place, opening_place

TOLD_WORDS = 3
# Words of asking to report, in the chat's languages, that say nothing about the problem itself.
_FILLER = frozenset([
    "i", "i'd", "id", "i'm", "im", "we", "want", "wants", "wanted", "would", "like", "need", "needs", "to", "a",
    "an", "the", "problem", "problems", "issue", "issues", "something", "new", "one", "hello", "hi", "hey", "please",
    "thanks", "thank", "quiero", "quisiera", "queria", "querria", "necesito", "un", "una", "problema", "hola",
    "gracias", "ich", "mochte", "mochten", "will", "wollen", "wurde", "gern", "gerne", "einen", "ein", "eine",
    "problem", "hallo", "bitte", "danke", "je", "veux", "voudrais", "souhaite", "un", "une", "probleme", "bonjour",
    "merci", "toi", "muon", "can", "mot", "van", "de", "xin", "chao", "su", "co", "bao", "cao",
    "문제", "문제를", "문제가", "하고", "싶어요", "싶습니다", "하려고", "합니다", "해요", "주세요", "안녕하세요",
    "عن", "مشكلة", "في", "أريد", "اريد", "أود", "اود", "من", "فضلك", "مرحبا"
])  # fmt: skip
_FILLER = frozenset(normalize(word) for word in _FILLER)  # compared as `normalize` leaves them (Hangul decomposed)
_HAN_FILLER = "我你您要想请帮一个这那有的了吗呢吧啊个问题"
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def told_problem(text: str, *, names: list[str]) -> bool:
    """Does `text` tell the problem, beyond naming the act and its kind (`names`: every category's words)?"""
    remaining = normalize(text)
    acts = [word for words in report_words.REQUEST_WORDS.values() for word in words]
    for phrase in sorted({normalize(word) for word in (*acts, *names) if word.strip()}, key=len, reverse=True):
        if _HAN.search(phrase):
            remaining = remaining.replace(phrase, " ")
        else:
            remaining = re.sub(rf"(?<![\w]){re.escape(phrase)}(?![\w])", " ", remaining)
    han = [char for char in _HAN.findall(remaining) if char not in _HAN_FILLER]
    words = [word for word in _WORD.findall(_HAN.sub(" ", remaining)) if word not in STOPWORDS and word not in _FILLER]
    return len(words) + len(han) / 2 >= TOLD_WORDS


def opening_answers(*, agency, text: str, categories) -> dict[str, object]:
    """The answers the opening `text` gives, by question: "description" (the message as written) when it tells the
    problem, "location" (`{"lat", "long", "address"}`) when it plainly names an address."""
    text = (text or "").strip()
    if not text:
        return {}
    answers: dict[str, object] = {}
    names = [word for category in categories for word in category_keywords(category)]
    if told_problem(text, names=names):
        answers["description"] = text
    crossing = intersection_in(text)
    if crossing is not None:  # "at 5th and Main": placed where the streets cross, when the address points know them
        answers["location"] = crossing_place(agency=agency, crossing=crossing)
        return answers
    place = opening_place(agency=agency, text=text)
    if place:
        answers["location"] = {"lat": None, "long": None, "address": place}
    return answers


def noted_text(answers: dict, told: list[str]) -> str:
    """What the opening message answered (`told`: question ids), said before the first question asked after it."""
    where = (answers.get("location") or {}).get("address", "") if "location" in told else ""
    where = isolated(where)
    if where and "description" in told:
        return _(
            "I took the place (%(where)s) and the description from your message; you can change them before sending."
        ) % {"where": where}
    if where:
        return _("I took the place (%(where)s) from your message; you can change it before sending.") % {"where": where}
    if "description" in told:
        return _("I took the description from your message; you can change it before sending.")
    return ""
