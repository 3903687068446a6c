"""How a phrase is written in a dictionary key (the question's language) and in a translation (English)."""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from knowledge.stopwords import stopwords_for
from knowledge.text import normalize, runs

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}|<[^>]*>|/[^/]*/")
_APOSTROPHE = re.compile(r"['\u2019]")
# Arabic: short vowels and other marks, the elongation stroke; the forms of alef, final yeh and teh marbuta as one.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})  # noqa: RUF001
_ENGLISH_FILLER = frozenset({"sb", "sth", "sb's", "one's", "oneself", "something", "someone", "etc"})


def words(text: str, language: str) -> list[str]:
    """The words of `text` as keys are written: casefolded, Arabic marks folded, French/Italian elisions split
    ("l'eau" → "l", "eau"), CJK runs kept whole."""
    text = normalize(text)
    if language == "ar":
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    text = _APOSTROPHE.sub(" ", text)
    return [run for _cjk, run in runs(text)]


def phrase_key(headword: str, language: str) -> str:
    return " ".join(words(_BRACKETS.sub(" ", headword), language))


def english_phrase(sense: str) -> str:
    """A translation as English words: labels in brackets dropped ("pothole (in the road)" → "pothole"), the
    infinitive's "to" and placeholders ("sb", "sth") too; '' when nothing is left."""
    text = _BRACKETS.sub(" ", sense)
    kept = [w for w in words(text, "en") if w not in _ENGLISH_FILLER]
    if kept and kept[0] == "to" and len(kept) > 1:
        kept = kept[1:]
    return " ".join(kept)


def content_words(phrase: str) -> list[str]:
    """An English translation's words that say something (stop words out; all of them when none is left)."""
    tokens = phrase.split()
    stop = stopwords_for("en")
    return [t for t in tokens if t not in stop] or tokens


# PostgreSQL's stop lists (the snowball project's, shipped with the embedded server's package `pgserver`) for the
# languages the project has no list of its own for; Arabic has none there: its words of one or two letters
# (من, في, كم, ما, هل) are left out instead.
_PG_STOP = {"fr": "french", "es": "spanish", "de": "german"}
_TSEARCH = "pginstall/share/postgresql/tsearch_data"


@functools.cache
def source_stopwords(language: str) -> frozenset[str]:
    words_ = set(stopwords_for(language))
    spec = importlib.util.find_spec("pgserver") if language in _PG_STOP else None
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / _TSEARCH / f"{_PG_STOP[language]}.stop"
        if path.exists():
            words_ |= {w for line in path.read_text(encoding="utf-8").splitlines() for w in words(line, language)}
    return frozenset(words_)


_SNOWBALL = {"fr": "french", "es": "spanish", "de": "german", "ar": "arabic"}


@functools.cache
def stemmer(language: str):
    """The Snowball stemmer of `language` (PyPI `snowballstemmer`; PostgreSQL stems the passages with the same
    algorithms), or None: a question's "piscines", "القمامة" meet the dictionary's "piscine", "قمامة"."""
    if language not in _SNOWBALL:
        return None
    import snowballstemmer

    return snowballstemmer.stemmer(_SNOWBALL[language]).stemWord


def too_short(word: str, language: str) -> bool:
    return len(word) < (3 if language == "ar" else 2)
