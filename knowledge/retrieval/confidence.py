"""How sure a result is: the share of the question's words a passage covers, and a 0..1 confidence from
the raw signals, calibrated so one floor means about the same in every vector space."""

from __future__ import annotations

import bisect
import functools

from knowledge.text import tokenize


def _term_match(term: str, tokens: set[str]) -> float:
    """1 for the word itself, partial credit for inflections and compound parts (potholes, Müllabfuhr)."""
    if term in tokens:
        return 1.0
    if len(term) < 4 or not term.isalnum() or (not term.isascii() and not term.isalpha()):
        return 0.0
    stem = term[: max(4, len(term) - 2)]
    best = 0.0
    for token in tokens:
        if len(token) >= 4 and (token.startswith(stem) or term.startswith(token[: max(4, len(token) - 2)])):
            return 0.8
        if len(term) >= 5 and term in token:
            best = 0.6
    return best


class _PassageTokens:
    """A passage's tokens indexed so `match(term)` equals `_term_match(term, tokens)` without a loop over
    every token for every query term (the loop was most of the cost of `coverage`)."""

    __slots__ = ("joined", "long", "stems", "tokens")

    def __init__(self, text: str):
        self.tokens = set(tokenize(text))
        self.long = sorted(token for token in self.tokens if len(token) >= 4)
        self.stems = {token[: max(4, len(token) - 2)] for token in self.long}
        self.joined = " ".join(self.tokens)  # a term (alphanumeric) never spans the separator

    def match(self, term: str) -> float:
        if term in self.tokens:
            return 1.0
        if len(term) < 4 or not term.isalnum() or (not term.isascii() and not term.isalpha()):
            return 0.0
        stem = term[: max(4, len(term) - 2)]
        at = bisect.bisect_left(self.long, stem)
        if at < len(self.long) and self.long[at].startswith(stem):  # a token starting with the term's stem
            return 0.8
        if any(term[:end] in self.stems for end in range(4, len(term) + 1)):  # the term starts with a token's stem
            return 0.8
        return 0.6 if len(term) >= 5 and term in self.joined else 0.0


@functools.lru_cache(maxsize=2048)
def _passage_tokens(text: str) -> _PassageTokens:
    """Passages recur across questions (a chat asks the same knowledge base all day): index each once
    per process. Keyed by the text itself, so an edited passage is a new entry."""
    return _PassageTokens(text)


def coverage(terms: list[str], idf_by_term: dict[str, float], text: str) -> float:
    """IDF-weighted share of the query's content terms that occur in the passage."""
    if not terms:
        return 0.0
    tokens = _passage_tokens(text)
    total = sum(idf_by_term.get(term, 1.0) for term in terms)
    hit = sum(idf_by_term.get(term, 1.0) * tokens.match(term) for term in terms)
    return hit / total if total else 0.0


DENSE_COSINE_SCALE = (0.25, 0.45)  # MiniLM cosines: (none below, span to full confidence)


def confidence_from(signals: dict, cosine_scale: tuple[float, float] = DENSE_COSINE_SCALE) -> float:
    """A 0..1 confidence from the raw signals of one passage, calibrated so one floor (0.55) means about
    the same in every mode: it answers ~98% (MiniLM) / ~95% (multilingual encoder) / ~91% (lexical only)
    of in-domain questions and refuses ~73% / ~60% / ~63% of out-of-domain ones
    (bench/knowledge/calibrate.py, RESULTS.md). Each dense space has its own `cosine_scale`: the
    multilingual encoder's cosines run higher between unrelated questions, and lower between a question
    and the prose passage that answers it, so in its space the lexical evidence counts too.

    Fused RRF scores only order results; the floor needs absolute evidence: how much of the question's
    (IDF-weighted) vocabulary the passage covers, and how close it is in the dense space.
    """
    coverage = signals.get("coverage", 0.0)
    dense = signals.get("dense")
    lexical = signals.get("lexical")
    from_words = min(1.0, (0.6 * coverage + 0.4 * min(1.0, (lexical or 0.0) / 0.45)) / 0.82)
    if dense is None:
        return round(from_words, 3)
    low, span = cosine_scale
    dense_part = max(0.0, min(1.0, (dense - low) / span))
    confidence = max(dense_part, 0.5 * dense_part + 0.5 * min(1.0, coverage))
    if lexical is not None:  # the multilingual space also reads the lexical list (see `search`)
        confidence = max(confidence, from_words)
    return round(confidence, 3)
