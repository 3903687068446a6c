"""A question's content words in English, through a bilingual dictionary that ships in a package.

`translate(query, language)` reads the question's words left to right, takes the longest phrase the dictionary
holds ("nid de poule" before "nid"; for Chinese, the longest word of a run of characters), and gives each its
English translations, weighted by their order (the first sense 1, then 1/1.5, 1/2, …; the inverted dictionary's
at 0.8 of that). `lexical.match` scores a passage by how much of that it holds. Used by the cross-language search
(`knowledge.retrieval.crosslingual`) as a second signal next to the multilingual encoder's cosine.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from core.language import primary as primary_language
from knowledge.stopwords import stopwords_for
from knowledge.text import has_cjk
from knowledge.translation import sources
from knowledge.translation.normal import source_stopwords, stemmer, too_short, words

log = logging.getLogger(__name__)

INVERTED_WEIGHT = 0.8
MAX_TERMS = 8  # English words per source phrase
MAX_CJK_WORD = 8
_tables: dict[str, dict[str, str] | None] = {}
_lock = threading.Lock()


@dataclass
class Group:
    """One phrase of the question and its English words (word → weight, 0..1)."""

    source: str
    terms: dict[str, float] = field(default_factory=dict)


@dataclass
class Translation:
    groups: list[Group] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)

    def terms(self) -> list[str]:
        return list(dict.fromkeys(term for group in self.groups for term in group.terms))


def dictionary_language(language: str) -> str:
    code = primary_language(language or "")
    return "zh" if code.startswith("zh") else code


def available(language: str) -> bool:
    return _table(dictionary_language(language)) is not None


def _table(language: str) -> dict[str, str] | None:
    if language not in sources.languages():
        return None
    if language not in _tables:
        with _lock:
            if language not in _tables:
                _tables[language] = sources.load(language)
                if _tables[language] is not None:
                    log.info("%s-English dictionary, %d phrases", language, len(_tables[language]))
    return _tables[language]


def translate(query: str, language: str) -> Translation | None:
    """The question's phrases and their English words; None when no dictionary serves `language`."""
    code = dictionary_language(language)
    table = _table(code)
    if table is None:
        return None
    stop = source_stopwords(code) | stopwords_for("en")
    english_stop = stopwords_for("en")
    out = Translation()
    tokens = words(query, code)
    i = 0
    while i < len(tokens):
        if has_cjk(tokens[i]):
            _cjk_run(tokens[i], table, english_stop, out)
            i += 1
            continue
        for n in range(min(sources.MAX_PHRASE_WORDS, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + n])
            if n > 1 and phrase not in table:
                continue
            if n == 1 and (phrase in stop or too_short(phrase, code) or phrase.isdigit()):
                break
            value = table.get(phrase) if n > 1 else _lookup(phrase, code, table)
            group = _group(phrase, value, english_stop) if value is not None else None
            if group is not None:
                out.groups.append(group)
            elif n == 1:
                out.untranslated.append(phrase)
            i += n - 1
            break
        i += 1
    return out


def _cjk_run(run: str, table: dict[str, str], english_stop, out: Translation) -> None:
    start = 0
    while start < len(run):
        for end in range(min(len(run), start + MAX_CJK_WORD), start, -1):
            value = table.get(run[start:end])
            if value is not None and (end - start > 1 or run[start:end] not in stopwords_for("zh")):
                group = _group(run[start:end], value, english_stop)
                if group is not None:
                    out.groups.append(group)
                start = end
                break
        else:
            start += 1


def _lookup(word: str, language: str, table: dict[str, str]) -> str | None:
    """The entry of `word`, else of a form with a plural ending or (Arabic) an article, a clitic or a
    possessive ending taken off."""
    if word in table:
        return table[word]
    for form in _forms(word, language):
        if form in table:
            return table[form]
    stem = stemmer(language)
    return table.get(sources.STEM + stem(word)) if stem else None


_ENDINGS = {
    "fr": ("x", "s", "es"),
    "es": ("s", "es"),
    "de": ("n", "en", "e", "s", "er", "es"),
}
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_AR_SUFFIXES = ("ها", "هم", "كم", "نا", "ي", "ك", "ه")  # noqa: RUF001 - Arabic letters


def _forms(word: str, language: str) -> list[str]:
    if language == "ar":
        stems = [word]
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                stems.append(word[len(prefix) :])
        forms = []
        for stem in stems:
            forms += [stem, "ال" + stem]
            for suffix in _AR_SUFFIXES:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                    forms += [stem[: -len(suffix)], "ال" + stem[: -len(suffix)]]
        return list(dict.fromkeys(forms[1:]))
    return [word[: -len(end)] for end in _ENDINGS.get(language, ()) if word.endswith(end) and len(word) > len(end) + 2]


def _group(source: str, value: str, english_stop) -> Group | None:
    forward, _sep, inverted = value.partition(sources.FORWARD_END)
    terms: dict[str, float] = {}
    for side, weight in ((forward, 1.0), (inverted, INVERTED_WEIGHT)):
        for rank, phrase in enumerate(p for p in side.split("\t") if p):
            for word in phrase.split():
                if word in english_stop or len(word) < 2:
                    continue
                w = weight / (1 + 0.5 * rank)
                if terms.get(word, 0.0) < w:
                    terms[word] = w
    if not terms:
        return None
    best = sorted(terms.items(), key=lambda item: -item[1])[:MAX_TERMS]
    return Group(source=source, terms=dict(best))
