"""Reading text for the word rules: normalizing it, and matching a word list's words in it (as a whole word, a
word's beginning, or anywhere in Han, Hangul and Arabic text). `chat.engine.intents` and the word lists use these."""

from __future__ import annotations

import re
import unicodedata

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w']+", re.UNICODE)
_AFFIXED = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u0600-\u06ff]")  # Hangul (jamo after NFKD), Arabic


def normalize(text: str) -> str:
    """Lower case, without accents (Vietnamese đ as d: "đèn đường" and a phone's "den duong" compare equal),
    spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower().replace("đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()


def _word_matcher(word: str):
    """`_matcher` for a skill's word as written: a trailing * matches a word's beginning ("complain*")."""
    return _matcher(normalize(word.rstrip("*")), prefix=word.endswith("*"))


def _matcher(keyword: str, *, prefix: bool = False):
    """A test "does this normalized text contain the keyword": as a whole word (or a word's beginning with
    `prefix`), or anywhere for Han, Hangul and Arabic text (no spaces between Chinese words; Korean and Arabic
    attach particles and affixes to the word: 등록하고, التسجيل). Compiled once, when the index is built."""
    if _HAN.search(keyword) or _AFFIXED.search(keyword):
        return lambda text: keyword in text
    pattern = re.compile(rf"(?<![\w]){re.escape(keyword)}" + ("" if prefix else r"(?![\w])"))
    # The substring test first: most texts lack the keyword, and `in` is several times cheaper than the search.
    return lambda text: keyword in text and pattern.search(text) is not None
