"""Candidate lists by vector similarity: the dense model's (passage and heading vectors, both cosines of
every chunk found) and the lexical vectors'. Each list filters by agency, liveness and audience in SQL;
it uses the agency's partial HNSW index when one exists (`indexes.py`), otherwise an exact scan or the
process's copy of the agency's vectors (`vector_cache.py`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection

from core.sql import agency_cursor, platform_cursor
from knowledge import indexes, vector_cache
from knowledge.models import Audience
from knowledge.retrieval.sql import audience_filter, finite, is_zero, ranked, vector_literal


@dataclass
class DensePairs:
    """Both cosines of every chunk found by either dense list: chunk id → (passage, heading or None).

    `floors` holds the lowest cosine each list returned: a chunk outside a list scores at most that."""

    pairs: dict[int, tuple[float, float | None]]
    floors: tuple[float, float]

    def best(self) -> dict[int, float]:
        """chunk id → best cosine over the passage and heading vectors."""
        return {chunk_id: max(body, body if head is None else head) for chunk_id, (body, head) in self.pairs.items()}


def dense_pairs(
    *, agency, vector, audience: str, depth: int, embedder_key: str, exact: bool = False, generation: int | None = None
) -> DensePairs:
    """The nearest chunks by passage vector and by heading (question) vector, each with both cosines.

    The second cosine is computed only for the rows a list returns (no extra round trip), so fusion sees
    exact values for every dense candidate instead of a gap where a chunk missed one list's top `depth`.

    `exact`: the agency has no vector index (fewer live chunks than half the HNSW threshold): one scan."""
    if exact:
        return exact_dense_pairs(
            agency=agency,
            vector=vector,
            audience=audience,
            depth=depth,
            embedder_key=embedder_key,
            generation=generation,
        )
    literal = vector_literal(vector)
    dim = len(vector)
    audience_sql, audience_params = audience_filter(audience)
    body = indexes.vector_expression("embedding", dim)
    head = indexes.vector_expression("heading_embedding", dim)
    pairs: dict[int, tuple[float, float | None]] = {}
    floors = []
    for column, expr, other_column in (
        ("embedding", body, "heading_embedding"),
        ("heading_embedding", head, "embedding"),
    ):
        # The other cosine is computed outside the LIMIT, only for the rows returned (an exact scan would
        # otherwise compute it for every row of the agency).
        sql = (
            f"SELECT id, 1 - d, 1 - (o::vector({dim}) <=> %s::vector({dim})) FROM ("  # noqa: S608 - ints only
            f"SELECT id, {expr} <=> %s::vector({dim}) AS d, {other_column} AS o FROM knowledge_chunk "
            f"WHERE agency_id = {int(agency.pk)} AND is_live AND embedder = %s AND {column} IS NOT NULL"
            f"{audience_sql} ORDER BY {expr} <=> %s::vector({dim}) LIMIT %s) nearest"
        )
        with agency_cursor(agency) as cursor:
            cursor.execute(sql, [literal, literal, embedder_key, *audience_params, literal, depth])
            rows = [(row[0], row[1], row[2]) if column == "embedding" else (row[0], row[2], row[1]) for row in cursor]
        rows = [(chunk_id, finite(body_score), finite(head_score)) for chunk_id, body_score, head_score in rows]
        for chunk_id, body_score, head_score in rows:
            if body_score is None:
                continue
            pairs[chunk_id] = (body_score, head_score)
        found = [row[1] if column == "embedding" else row[2] for row in rows]
        floors.append(_floor([value for value in found if value is not None], depth))
    return DensePairs(pairs, (floors[0], floors[1]))


def _floor(found: list[float], depth: int) -> float:
    """What a chunk missing from a dense list may score at most: the list's lowest cosine; or nothing when
    the list holds every chunk of that vector space (a chunk missing from it is in another language's
    space, or has no vector: no dense evidence at all)."""
    if len(found) < depth:
        return 0.0
    return min(found, default=0.0)


def exact_dense_pairs(
    *, agency, vector, audience: str, depth: int, embedder_key: str, generation: int | None = None
) -> DensePairs:
    """`dense_pairs` for agencies without a vector index.

    With the agency's live-chunk `generation` (from `term_stats`), from the process's copy of its vectors
    (`vector_cache`); otherwise in one statement: the query vector is parsed once, the columns are compared
    uncast (the typed cast the index scans need copies every vector: ~30% of an exact scan), and the
    other cosine is computed only for the rows each list keeps."""
    cached = vector_cache.vector_cache().get(
        agency_id=agency.pk, embedder_key=embedder_key, generation=generation, dim=len(vector)
    )
    if cached is not None:
        rows = vector_cache.nearest_pairs(
            cached, vector=vector, audience_public=audience != Audience.STAFF, depth=depth
        )
    else:
        rows = _exact_dense_rows(
            agency=agency, vector=vector, audience=audience, depth=depth, embedder_key=embedder_key
        )
    pairs: dict[int, tuple[float, float | None]] = {}
    found: tuple[list[float], list[float]] = ([], [])
    for chunk_id, which, score, other in rows:
        score, other = finite(score), finite(other)
        body, head = (score, other) if which == 0 else (other, score)
        if body is None or score is None:
            continue
        pairs[chunk_id] = (body, head)
        found[which].append(score)
    return DensePairs(pairs, (_floor(found[0], depth), _floor(found[1], depth)))


def _exact_dense_rows(*, agency, vector, audience: str, depth: int, embedder_key: str) -> list[tuple]:
    literal = vector_literal(vector)
    audience_sql, audience_params = audience_filter(audience)
    where = f"agency_id = {int(agency.pk)} AND is_live AND embedder = %s{audience_sql}"
    sql = (
        f"WITH q AS (SELECT %s::vector({len(vector)}) v), n AS ("  # noqa: S608 - ints only
        f"(SELECT id, embedding <=> q.v d, 0 w FROM knowledge_chunk, q WHERE {where} AND embedding IS NOT NULL "
        "ORDER BY d LIMIT %s) UNION ALL "
        f"(SELECT id, heading_embedding <=> q.v d, 1 w FROM knowledge_chunk, q WHERE {where} "
        "AND heading_embedding IS NOT NULL ORDER BY d LIMIT %s)) "
        "SELECT n.id, n.w, 1 - n.d, 1 - (CASE WHEN n.w = 0 THEN c.heading_embedding ELSE c.embedding END <=> q.v) "
        "FROM n JOIN knowledge_chunk c ON c.id = n.id, q"
    )
    params = [literal, embedder_key, *audience_params, depth, embedder_key, *audience_params, depth]
    with agency_cursor(agency) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


LEXICAL_EF_SEARCH = 800  # hashed sparse vectors need a wider HNSW beam for recall >= 0.95 against exact
# The lexical list limited to some languages' rows (`lexical_scan`; pgvector 0.6 filters after the HNSW scan, as
# in the cross-language step): at most this many of those rows, an exact scan of just them (644 German rows of a
# 20,644-row agency: ~6 ms quiet against 16-19 ms for the beam of 800 over every row; bench/knowledge/RESULTS.md) …
LEXICAL_EXACT_MAX = 2500
HNSW_EF_MAX = 1000  # … else the agency's index with a beam widened by total / wanted, up to pgvector's largest


def lexical_scan(counts: dict[str, int], languages: list[str] | None, *, indexed: bool) -> tuple[str, int]:
    """How to read the lexical list of the rows in `languages` (None: every row) of an agency with `counts`
    (language → live chunks; `indexed`: large enough for its HNSW indexes): ("all", beam) no filter, as
    before; ("exact", 0) just those rows, exactly; ("hnsw", beam) the index, filtered after a widened beam;
    ("none", 0) no such row."""
    total = sum(counts.values())
    wanted = total if languages is None else sum(counts.get(language, 0) for language in languages)
    if not wanted:
        return "none", 0
    if wanted >= total:
        return "all", LEXICAL_EF_SEARCH
    if wanted <= LEXICAL_EXACT_MAX or not indexed:
        return "exact", 0
    beam = math.ceil(LEXICAL_EF_SEARCH * total / wanted)
    return ("hnsw", beam) if beam <= HNSW_EF_MAX else ("exact", 0)


def lexical_list(
    *,
    agency,
    vector,
    audience: str,
    depth: int,
    languages: list[str] | None = None,
    scan: tuple[str, int] | None = None,
) -> dict[int, float]:
    """chunk id → lexical cosine of the `depth` nearest live chunks (of `languages` only, when given, read as
    `scan` from `lexical_scan` says; by default every language through the agency's index at `LEXICAL_EF_SEARCH`)."""
    if is_zero(vector):
        return {}  # the question has no lexical features (only symbols): no cosine to rank by
    how, beam = scan or ("all", LEXICAL_EF_SEARCH)
    if how == "none":
        return {}
    literal = vector_literal(vector)
    audience_sql, audience_params = audience_filter(audience)
    where = f"agency_id = {int(agency.pk)} AND is_live AND lexical IS NOT NULL{audience_sql}"
    params = [*audience_params]
    if how != "all":
        where += " AND language = ANY(%s)"  # sargable: `knowledge_chunk_language`
        params.append(list(languages or []))
    if how == "exact":
        # Materialized: the rows are filtered first, so no index can order them (the HNSW one would filter after
        # its beam).
        sql = (
            f"WITH wanted AS MATERIALIZED (SELECT id, lexical FROM knowledge_chunk WHERE {where}) "  # noqa: S608 - only int() ids are formatted in; values are bound
            "SELECT id, 1 - (lexical <=> %s::vector) FROM wanted ORDER BY lexical <=> %s::vector LIMIT %s"
        )
        return dict(ranked(agency, sql, [*params, literal, literal, depth]))
    sql = (
        "SELECT id, 1 - (lexical <=> %s::vector) FROM knowledge_chunk "  # noqa: S608 - only int() ids are formatted in; values are bound
        f"WHERE {where} ORDER BY lexical <=> %s::vector LIMIT %s"
    )
    params = [literal, *params, literal, depth]
    if not connection.in_atomic_block:
        return dict(ranked(agency, sql, params))
    with platform_cursor("the session's HNSW search setting") as cursor:
        cursor.execute("SELECT current_setting('hnsw.ef_search', true)")
        previous = cursor.fetchone()[0]
    indexes.prepare_session(beam)
    try:
        return dict(ranked(agency, sql, params))
    finally:
        if previous:
            indexes.prepare_session(int(previous))
