"""How much of a translated question a passage holds."""

from __future__ import annotations

from knowledge.retrieval.confidence import _passage_tokens
from knowledge.translation import Translation


def match(translation: Translation, text: str, idf: dict[str, float]) -> float:
    """0..1: each phrase of the question counts by its English words' (weighted) rarity, and scores its best
    translation the passage holds, times that translation's weight (inflections count, as in `coverage`)."""
    if not translation.groups:
        return 0.0
    tokens = _passage_tokens(text)
    total = hit = 0.0
    for group in translation.groups:
        weight_sum = sum(group.terms.values())
        rarity = sum(w * idf.get(term, 1.0) for term, w in group.terms.items()) / weight_sum
        total += rarity
        hit += rarity * max(w * tokens.match(term) for term, w in group.terms.items())
    return hit / total if total else 0.0
