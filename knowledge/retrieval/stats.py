"""What the agency's live chunks say about a question's words: document frequencies (one small query),
the live-chunk generation, and the IDF weights derived from them; and how many live chunks each language has
(kept per generation: the cross-language step and the lexical list choose their scans by it)."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict

from core.sql import agency_cursor
from knowledge import vector_cache
from knowledge.embedders import lexical_embedder
from knowledge.models import LexicalTerm

TERM_COUNT_FEATURE = -1  # LexicalTerm row holding the number of live chunks (N for the IDF)
COUNTS_CACHED = 1024  # agencies whose language counts a process keeps


def query_idf(*, agency, features: set[int]) -> tuple[dict[int, float], float]:
    """Smoothed IDF log((N+1)/(df+1)) + 1 for the query's features among the agency's live chunks."""
    rows = dict(
        LexicalTerm.objects.for_agency(agency)
        .filter(feature__in=[*features, TERM_COUNT_FEATURE])
        .values_list("feature", "df")
    )
    total = max(rows.pop(TERM_COUNT_FEATURE, 0), 0)
    unseen = math.log(total + 1) + 1.0
    return {feature: math.log((total + 1) / (df + 1)) + 1.0 for feature, df in rows.items()}, unseen


def term_stats(*, agency, terms: list[str]) -> tuple[dict[str, int], int]:
    """Document frequency of each query word among the agency's live chunks, and their number."""
    dfs, total, _generation = term_stats_generation(agency=agency, terms=terms)
    return dfs, total


def term_stats_generation(*, agency, terms: list[str]) -> tuple[dict[str, int], int, int | None]:
    """`term_stats` and, read in the same statement, the agency's live-chunk generation (`vector_cache`)."""
    lexical = lexical_embedder()
    feature_of = {term: next(iter(lexical.features(term)[0]), None) for term in terms}
    special = [TERM_COUNT_FEATURE, vector_cache.GENERATION_FEATURE]
    # Plain SQL (once per question): the ORM's statement compilation cost more than the lookup.
    with agency_cursor(agency) as cursor:
        cursor.execute(
            f"SELECT feature, df FROM {LexicalTerm._meta.db_table} WHERE agency_id = %s AND feature = ANY(%s)",  # noqa: S608 - our table
            [agency.pk, [f for f in feature_of.values() if f is not None] + special],
        )
        rows = dict(cursor.fetchall())
    total = max(rows.get(TERM_COUNT_FEATURE, 0), 1)
    generation = rows.get(vector_cache.GENERATION_FEATURE)
    return {term: rows.get(feature, 0) for term, feature in feature_of.items()}, total, generation


def bm25_idf(dfs: dict[str, int], total: int) -> dict[str, float]:
    """ln(1 + (N - df + 0.5) / (df + 0.5))."""
    return {term: math.log(1 + (total - df + 0.5) / (df + 0.5)) for term, df in dfs.items()}


def coverage_weights(dfs: dict[str, int], total: int) -> dict[str, float]:
    """Smoothed IDF with unseen words weighed like the rarest seen ones: a word the knowledge base never
    uses ("soon") should not outweigh the words it does use."""
    return {term: math.log((total + 1) / (max(df, 1) + 1)) + 1.0 for term, df in dfs.items()}


_counts: OrderedDict[int, tuple[int, dict[str, int]]] = OrderedDict()
_counts_lock = threading.Lock()


def language_counts(agency, generation: int | None) -> dict[str, int]:
    """language → the agency's live chunks (an index-only count), kept per process for the live-chunk
    `generation` (a trigger renews it whenever a statement changes the agency's live chunks); counted afresh
    without one. Chunks still waiting for their shared-space vectors count too: a moment's overestimate."""
    if generation is not None:
        with _counts_lock:
            kept = _counts.get(agency.pk)
            if kept is not None and kept[0] == generation:
                _counts.move_to_end(agency.pk)
                return kept[1]
    with agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT language, count(*) FROM knowledge_chunk WHERE agency_id = %s AND is_live GROUP BY language",
            [int(agency.pk)],
        )
        counts = dict(cursor.fetchall())
    if generation is not None:
        with _counts_lock:
            _counts[agency.pk] = (generation, counts)
            _counts.move_to_end(agency.pk)
            while len(_counts) > COUNTS_CACHED:
                _counts.popitem(last=False)
    return counts
