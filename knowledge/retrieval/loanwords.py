"""Suggestions for a question in a language the multilingual encoder does not know (Vietnamese, among the UI's):
through the words it writes as the agency's first language does.

Such a question is never compared across languages (`retrieval.crosslingual`: the encoder's vectors of it found
only wrong passages) and no dictionary for it ships in a package, so a Vietnamese citizen refused in their own
language was offered nothing. What a Vietnamese message shares with an English page as written: numbers, names and
loanwords ("picnic", "Social Security", "online", "Independence Day"). Its whole words in ASCII letters or digits
(three characters or more, or digits; not English stop words) that the agency's passages use are matched against
its first language's passages, each by its IDF (`coverage_weights`): a passage's weight is the sum over the words
it holds. Only "did you mean" material (`related.near_misses`, from `KNOWLEDGE_LOANWORD_SUGGEST_FLOOR`), never an
answer: one shared word is not enough to answer from (bench/knowledge/suggest_lab.py, session 26).
"""

from __future__ import annotations

import re

from core.language import primary as primary_language
from knowledge.models import Audience
from knowledge.retrieval.confidence import _passage_tokens
from knowledge.retrieval.fulltext import fts_list
from knowledge.retrieval.pipeline import MAX_QUERY_CHARS, chunks_read, passage_of
from knowledge.retrieval.stats import coverage_weights, term_stats
from knowledge.stopwords import stopwords_for
from knowledge.types import Passage

MIN_LENGTH = 3
DEPTH = 40
_WORD = re.compile(r"\w+")


def loanword_terms(query: str) -> list[str]:
    """The question's whole words written in ASCII letters or digits, lower-cased, once each, without English
    stop words and words under three letters ("Đã đặt chỗ picnic mà giờ muốn hủy" → picnic; Vietnamese syllables
    without marks, "bao", "tui", simply match no English passage)."""
    stop = stopwords_for("en")
    words = [w.lower() for w in _WORD.findall(query or "") if w.isascii() and (w.isdigit() or len(w) >= MIN_LENGTH)]
    return [w for w in dict.fromkeys(words) if w not in stop]


def loanword_candidates(
    *, agency, query: str, language: str, audience: str = Audience.PUBLIC, limit: int = 3
) -> list[Passage]:
    """The agency's first-language passages holding the question's loanwords, most weight first (`score`: the
    summed IDF of the words a passage holds; `confidence` 0: never an answer). [] for a question in that language
    or without such words."""
    first = primary_language((agency.languages or ["en"])[0])
    own = primary_language(language)
    terms = loanword_terms((query or "")[:MAX_QUERY_CHARS])
    if not terms or own == first:
        return []
    dfs, total = term_stats(agency=agency, terms=terms)
    known = {term: df for term, df in dfs.items() if df}
    if not known:
        return []
    found = fts_list(agency=agency, terms=list(known), audience=audience, depth=DEPTH, ts_config="simple")
    weights = coverage_weights(known, total)
    out = []
    for chunk in chunks_read(agency=agency, ids=list(found)).values():
        if primary_language(chunk.language) != first:
            continue
        tokens = _passage_tokens(f"{chunk.heading_path} {chunk.text}")
        weight = sum(w * tokens.match(term) for term, w in weights.items())
        if weight > 0:
            out.append(passage_of(chunk, score=weight, signals={"loanword": round(weight, 4)}, confidence=0.0))
    out.sort(key=lambda p: (-p.score, p.chunk_id))
    return out[:limit]
