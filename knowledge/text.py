"""Language-agnostic text handling shared by ingestion, indexing and retrieval.

Normalisation is NFKC + casefold (full-width digits in Chinese text, German ß → ss). Words are runs of
letters/digits; CJK runs (no spaces) become overlapping character bigrams, because PostgreSQL has no
Chinese parser. The full-text column is built from these tokens with PostgreSQL's snowball configuration
of the passage's language ('english', 'german', 'spanish'…; `fts_config`), and a question's words go
through the configuration of the question's language, so "arreglan" finds "arreglar" and
"Schlaglöcher" finds "Schlagloch"; English (measured worse stemmed) and languages without a stemmer
(Chinese, Korean, Vietnamese…) keep 'simple'. Deterministic
across processes (no salted `hash()`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

from core.language import primary as primary_language
from knowledge.stopwords import stopwords_for

_CJK = (
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3400-\u4dbf"  # CJK ext A
    "\u4e00-\u9fff"  # CJK unified
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
_RUN_RE = re.compile(r"([%s]+)|([^\W_]+(?:['\u2019][^\W_]+)*)" % _CJK)  # noqa: UP031
_CJK_CHAR_RE = re.compile(r"[%s]" % _CJK)  # noqa: UP031
_APOS_RE = re.compile(r"['\u2019]")
_UNITS_RE = re.compile(r"[%s]|[^\s%s]+" % (_CJK, _CJK))  # noqa: UP031


# PostgreSQL's built-in text search configurations (snowball stemmer + stop words), by primary subtag.
# English is left out on purpose: MiniLM carries English questions, and stemmed English full text fused with it
# measured worse than surface forms (bench/knowledge/RESULTS.md, session 6: held-out R@1 -0.023, MRR -0.014);
# German, measured with the multilingual encoder, gains (session 10: R@1 +0.019, MRR +0.016, both halves).
FTS_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def fts_config(language: str | None) -> str:
    """The text search configuration for text in `language` ('simple' where PostgreSQL has no stemmer)."""
    return FTS_CONFIGS.get(primary_language(language or ""), "simple")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def runs(text: str) -> Iterable[tuple[bool, str]]:
    """(is_cjk, run) for each CJK run or word; internal apostrophes dropped."""
    for match in _RUN_RE.finditer(normalize(text)):
        if match.group(1):
            yield True, match.group(1)
        else:
            yield False, _APOS_RE.sub("", match.group(2))


def cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    out: list[str] = []
    for is_cjk, run in runs(text):
        if is_cjk:
            out.extend(cjk_bigrams(run))
        else:
            out.append(run)
    return out


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR_RE.search(text or ""))


def count_units(text: str) -> int:
    """Words, counting each CJK character as one unit."""
    return len(_UNITS_RE.findall(text or ""))


def split_units(text: str, max_units: int, overlap: int) -> list[str]:
    """Windows of at most `max_units` units (a word or a CJK character) with `overlap`."""
    units = _UNITS_RE.findall(text or "")
    if len(units) <= max_units:
        return [text.strip()] if text and text.strip() else []
    step = max(1, max_units - overlap)
    out = []
    for start in range(0, len(units), step):
        window = units[start : start + max_units]
        parts = [window[0]]
        for prev, cur in itertools.pairwise(window):
            # No space between two CJK characters, so bigrams survive re-tokenisation.
            parts.append(cur if (_CJK_CHAR_RE.fullmatch(prev[-1]) and _CJK_CHAR_RE.fullmatch(cur[0])) else " " + cur)
        out.append("".join(parts))
        if start + max_units >= len(units):
            break
    return out


def query_terms(query: str, language: str | None = None) -> list[str]:
    """Distinct query tokens minus the language's stop list (all tokens when nothing is left)."""
    tokens = tokenize(query)
    stop = stopwords_for(language or "en")
    kept = [token for token in tokens if token not in stop]
    return list(dict.fromkeys(kept or tokens))


def tsquery_literal(term: str) -> str:
    return "'" + term.replace("\\", "").replace("'", "''") + "'"


def or_tsquery(terms: Iterable[str]) -> str:
    """Argument for to_tsquery(config, …): OR of quoted literals (an AND of all terms misses paraphrases)."""
    return " | ".join(tsquery_literal(term) for term in terms if term)


_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|(?<=[。！？；])|\n+")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


def snippet(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
