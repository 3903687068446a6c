"""How a search is tuned: list depths, fusion mode and bonuses (measured in bench/knowledge/RESULTS.md),
and which lists count for a question's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from knowledge.embedders import embedder_for


@dataclass
class SearchConfig:
    depth: int = 100
    rrf_k: float = 60.0
    weights: dict | None = None  # None: chosen by language (see `weights_for`)
    # "bm25": IDF-weighted ts_rank per term; "rank": plain ts_rank of the OR query; "auto": by measurement
    fts: str = "auto"
    # Full-text candidates: chosen by the rarest query words covering at most this many rows (speed).
    fts_candidate_budget: int = 1000
    # The question's words stemmed by its language's text search configuration (as the passages are when
    # indexed); False: surface forms ('simple'), which then only match passages in unstemmed languages.
    stemming: bool = True
    ef_search: int = 200
    # "score": dense cosine + a bonus for full-text strength (see `score_fusion`); "rrf": reciprocal rank
    # fusion of the lists; "auto": "score" when the dense list is used, otherwise "rrf" (by measurement).
    fusion: str = "auto"
    body_weight: float = 1.0  # weight of the passage vector next to the heading (question) vector
    fts_bonus: float = 0.15  # weight of the full-text score (relative to the best candidate's) in "score"
    # In the multilingual encoder's space (languages MiniLM does not know) full text weighs more, and the
    # lexical vectors (character n-grams: compound parts; CJK bigrams) add a bonus of their own: the
    # encoder is weaker than MiniLM. Session 11: cross-validated on faq_eval/de (halves by FAQ entry, 68 grid
    # points; before, on faq_eval/en routed through that space, which chose 0.25 / 0.1): less full text, more
    # lexical vectors (bench/knowledge/RESULTS.md).
    multilingual_fts_bonus: float = 0.15
    multilingual_lexical_bonus: float = 0.2


def default_config() -> SearchConfig:
    return SearchConfig(weights=getattr(settings, "KNOWLEDGE_SEARCH_WEIGHTS", None))


def weights_for(language: str, *, dense_available: bool) -> dict[str, float]:
    """Measured on faq_eval/en (bench/knowledge/RESULTS.md): dense + full text is best where a dense model
    knows the language (`embedders.embedder_for`: MiniLM for English, the multilingual encoder for the
    others it knows); elsewhere the multilingual lexical vectors (char n-grams: German compounds, CJK
    bigrams) take its place. Adding the lexical list to dense + full text lowered English results."""
    if dense_available and embedder_for(language)[0] is not None:
        return {"dense": 1.0, "fts": 1.0, "lexical": 0.0}
    return {"dense": 0.0, "fts": 1.0, "lexical": 1.0}
