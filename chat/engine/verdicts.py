"""Verdicts: a statement that judges a service ("your payment system is a nightmare", "die Mitarbeiter waren sehr
freundlich", "垃圾清运服务太差了") is feedback even when it names no kind of feedback (`Skill.cues`: complaint,
Beschwerde, 投诉…).

The words are the vocabulary of judging, not of describing: evaluative adjectives and nouns (terrible,
excellent, a nightmare, Katastrophe, pésimo, 糟糕), some only in a verdict's frame ("is slow", "was good").
A question is never a verdict ("is the new portal good?" asks), and the caller lets another intent's own
keywords win (`understanding.classify`): "the traffic light is broken, it's dangerous" is a report. Words
describing a defect (broken, leaking, 坏了) are not here: a broken thing is reported, not judged.

The words, per language, are in `chat.engine.verdict_words` (en, es, de, zh) and `chat.engine.verdict_words_more` (fr,
vi, ko, ar); this module reads them.
"""

from __future__ import annotations

import re

from chat.engine.intents import _matcher, is_question, normalize
from chat.engine.verdict_words import CORE
from chat.engine.verdict_words_more import MORE

# Normalized (lower case, accents stripped: "pésimo" → "pesimo"); a trailing * matches a word's beginning.
VERDICT_WORDS = {**CORE, **MORE}

# An Arabic word begins a word, after its prefixes at most (and, so, with, the …): matched anywhere, "سيئ" (bad) was
# found inside "كرسيين" (two chairs: without its hamza, as normalized, the same letters) and a report of dumped chairs
# was feedback.
_ARABIC_START = r"(?<![\u0600-\u06ff])(?:و|ف|ب|ك|ل|ال|وال|بال|فال|كال|لل|ولل)?"


def _verdict_matcher(word: str):
    normalized = normalize(word.rstrip("*"))
    if re.fullmatch(r"[\u0600-\u06ff ]+", normalized):
        pattern = re.compile(_ARABIC_START + re.escape(normalized))
        return lambda text: pattern.search(text) is not None
    return _matcher(normalized, prefix=word.endswith("*"))


_MATCHERS = [_verdict_matcher(word) for words in VERDICT_WORDS.values() for word in words]


def is_verdict(text: str) -> bool:
    """Does `text` judge something (a statement with a word of praise or blame)?"""
    if not text or is_question(text):
        return False
    normalized = normalize(text)
    return any(match(normalized) for match in _MATCHERS)
