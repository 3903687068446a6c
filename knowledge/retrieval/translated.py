"""The cross-language search's second signal: the question's words through a bilingual dictionary
(`knowledge.translation`) meeting the first language's passages as written.

`translated_query` gives the question's English words when a dictionary serves its language; `translated_candidates`
adds the passages full text finds for them (the encoder's nearest may miss a passage whose words are the only
link: "坑洼" → "pothole"); `translated_match` scores a passage 0..1 (`translation.lexical.match`, the English
words weighed by their rarity among the agency's passages).
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.retrieval.fulltext import fts_list
from knowledge.retrieval.stats import coverage_weights
from knowledge.translation import Translation, translate
from knowledge.translation.lexical import match

TRANSLATED_DEPTH = 40


@dataclass
class TranslatedQuery:
    translation: Translation
    terms: list[str]


def translated_query(query: str, language: str) -> TranslatedQuery | None:
    """None when no dictionary serves `language` or none of the question's words is in it."""
    translation = translate(query, language)
    if translation is None or not translation.groups:
        return None
    return TranslatedQuery(translation, translation.terms())


def _variants(terms: list[str]) -> list[str]:
    """English passages are indexed unstemmed ('simple'): a word and its plain plural or singular."""
    out = []
    for term in terms:
        out.append(term)
        if term.isalpha():
            out.append(term[:-1] if term.endswith("s") and len(term) > 3 else term + "s")
    return list(dict.fromkeys(out))


def translated_candidates(*, agency, translated: TranslatedQuery | None, audience: str) -> list[int]:
    if translated is None:
        return []
    found = fts_list(
        agency=agency, terms=_variants(translated.terms), audience=audience, depth=TRANSLATED_DEPTH, ts_config="simple"
    )
    return list(found)


def translated_match(translated: TranslatedQuery | None, text: str, dfs: dict[str, int], total: int) -> float:
    if translated is None:
        return 0.0
    idf = coverage_weights({term: dfs.get(term, 0) for term in translated.terms}, total)
    return match(translated.translation, text, idf)
