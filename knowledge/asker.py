"""The asker's own pronouns ("my", "I", "ich", "mon", "我的", "제"), left out where a question meets a passage in
another language (`retrieval.crosslingual`, `shared_space.heading_text`).

Whose trash it is says nothing about which passage answers, and languages say it differently: Korean and Arabic
questions mostly leave it out, English headings put it in ("When is my trash collected?"), German and French
questions put it in too ("Wann wird mein Müll abgeholt?"). The multilingual encoder counts the difference: Springfield's
"쓰레기는 언제 수거하나요?" was 0.630 from "When is my trash collected?" and 0.674 from "When is trash collected?".
Dropped on both sides, the heading's and the question's (session 21, bench/knowledge/heading_pronouns_lab.py):
dropping them from the headings alone cost German, French and Chinese questions that say "ich", "je", "我".
"""

from __future__ import annotations

import re

from core.language import primary as primary_language

# First-person (and, for English headings, second-person) pronouns and possessives, whole words; "US" (the country),
# "I-9" (a form) and "I'm" are not dropped.
_WORDS = {
    "en": r"[Mm]y|[Oo]ur|[Yy]our|I|[Ww]e|me|us",
    "de": r"[Ii]ch|[Mm]ein(?:e|en|em|er|es)?|[Ww]ir|[Uu]nser(?:e|en|em|er|es)?|mich|mir|uns",
    "fr": r"[Jj]e|[Jj]'|[Mm]on|[Mm]a|[Mm]es|[Nn]ous|[Nn]otre|[Nn]os|me|m'|moi",
    "es": r"[Yy]o|[Mm]i|[Mm]is|[Nn]osotros|[Nn]uestr[oa]s?|me",
    "ko": r"제가|저는|제|저의|내가|나는|내|나의|우리의|우리는|우리",
    "ar": r"أنا|نحن",
}
_PATTERNS = {code: re.compile(rf"(?<![\w'-])(?:{words})(?![\w-])\s*") for code, words in _WORDS.items()}
_HAN = re.compile(r"我们的|我們的|我的|我们|我們|我")


def without_asker(text: str, language: str | None) -> str:
    """`text` without the asker's pronouns of `language` (as it is for another language, or when nothing else would
    be left)."""
    code = primary_language(language)
    if code == "zh":
        plain = _HAN.sub("", text)
    elif code in _PATTERNS:
        plain = " ".join(_PATTERNS[code].sub("", text).split())
    else:
        return text
    return plain if re.search(r"\w", plain) else text
