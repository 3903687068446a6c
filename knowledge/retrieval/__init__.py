"""Hybrid retrieval over one agency's live chunks: dense vectors + lexical vectors + full text, fused.

Every query is filtered by agency, liveness and audience in SQL (citizens never see staff-only text).
Vector lists use a per-agency partial HNSW index when one exists for the agency (see `indexes.py`),
otherwise an exact scan, so the agency filter never drops results after an approximate scan.

`search` (pipeline.py) plans, gathers the candidate lists (vectors.py, fulltext.py), fuses them
(fusion.py) and builds the results (confidence.py); config.py holds the measured settings, stats.py the
words' statistics. Import from here: `from knowledge import retrieval`.
"""

from knowledge.retrieval.confidence import DENSE_COSINE_SCALE, confidence_from
from knowledge.retrieval.config import SearchConfig, default_config, weights_for
from knowledge.retrieval.crosslingual import crosslingual_contest, crosslingual_floor, crosslingual_search
from knowledge.retrieval.fulltext import candidate_terms, fts_bm25_list, fts_list
from knowledge.retrieval.fusion import rrf, score_fusion
from knowledge.retrieval.pipeline import (
    Gathered,
    SearchPlan,
    identical_groups,
    search,
    search_fuse,
    search_gather,
    search_plan,
    search_results,
)
from knowledge.retrieval.stats import (
    TERM_COUNT_FEATURE,
    bm25_idf,
    coverage_weights,
    query_idf,
    term_stats,
    term_stats_generation,
)
from knowledge.retrieval.vectors import (
    LEXICAL_EF_SEARCH,
    DensePairs,
    dense_pairs,
    exact_dense_pairs,
    lexical_list,
)

__all__ = [
    "DENSE_COSINE_SCALE",
    "LEXICAL_EF_SEARCH",
    "TERM_COUNT_FEATURE",
    "DensePairs",
    "Gathered",
    "SearchConfig",
    "SearchPlan",
    "bm25_idf",
    "candidate_terms",
    "confidence_from",
    "coverage_weights",
    "crosslingual_contest",
    "crosslingual_floor",
    "crosslingual_search",
    "default_config",
    "dense_pairs",
    "exact_dense_pairs",
    "fts_bm25_list",
    "fts_list",
    "identical_groups",
    "lexical_list",
    "query_idf",
    "rrf",
    "score_fusion",
    "search",
    "search_fuse",
    "search_gather",
    "search_plan",
    "search_results",
    "term_stats",
    "term_stats_generation",
    "weights_for",
]
