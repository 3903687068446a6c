"""Hybrid retrieval over one agency's live chunks: dense vectors + lexical vectors + full text, fused.

Every query is filtered by agency, liveness and audience in SQL (citizens never see staff-only text).
Vector lists use a per-agency partial HNSW index when one exists for the agency (see `indexes.py`),
otherwise an exact scan, so the agency filter never drops results after an approximate scan.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import math
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction

from core.language import detect as detect_language
from core.language import normalize as normalize_language
from core.sql import agency_cursor, platform_cursor
from knowledge import indexes, vector_cache
from knowledge.embedders import EmbeddingError, dense_embedder_key, embedder_for, lexical_embedder
from knowledge.models import Audience, LexicalTerm
from knowledge.text import or_tsquery, query_terms, tokenize, tsquery_literal
from knowledge.types import Passage

TERM_COUNT_FEATURE = -1  # LexicalTerm row holding the number of live chunks (N for the IDF)


@dataclass
class SearchConfig:
    depth: int = 100
    rrf_k: float = 60.0
    weights: dict | None = None  # None: chosen by language (see `weights_for`)
    # "bm25": IDF-weighted ts_rank per term; "rank": plain ts_rank of the OR query; "auto": by measurement
    fts: str = "auto"
    # Full-text candidates: chosen by the rarest query words covering at most this many rows (speed).
    fts_candidate_budget: int = 1000
    ef_search: int = 200
    # "score": dense cosine + a bonus for full-text strength (see `score_fusion`); "rrf": reciprocal rank
    # fusion of the lists; "auto": "score" when the dense list is used, otherwise "rrf" (by measurement).
    fusion: str = "auto"
    body_weight: float = 1.0  # weight of the passage vector next to the heading (question) vector
    fts_bonus: float = 0.15  # weight of the full-text score (relative to the best candidate's) in "score"
    # In the multilingual encoder's space (languages MiniLM does not know) full text weighs more, and the
    # lexical vectors (character n-grams: compound parts; CJK bigrams) add a bonus of their own: the
    # encoder is weaker than MiniLM. Cross-validated on faq_eval/en routed through that space
    # (bench/knowledge/RESULTS.md).
    multilingual_fts_bonus: float = 0.25
    multilingual_lexical_bonus: float = 0.1


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


def _vector_literal(vector) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def _audience_sql(audience: str) -> tuple[str, list]:
    if audience == Audience.STAFF:
        return "", []
    return " AND audience = %s", [Audience.PUBLIC]


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


def _ranked(agency, sql: str, params: list) -> list[tuple[int, float]]:
    with agency_cursor(agency) as cursor:
        cursor.execute(sql, params)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


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
    literal = _vector_literal(vector)
    dim = len(vector)
    audience_sql, audience_params = _audience_sql(audience)
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
        for chunk_id, body_score, head_score in rows:
            if body_score is None:
                continue
            pairs[chunk_id] = (float(body_score), None if head_score is None else float(head_score))
        found = [row[1] if column == "embedding" else row[2] for row in rows]
        floors.append(_floor([float(value) for value in found if value is not None], depth))
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
        body, head = (score, other) if which == 0 else (other, score)
        if body is None:
            continue
        pairs[chunk_id] = (float(body), None if head is None else float(head))
        found[which].append(float(score))
    return DensePairs(pairs, (_floor(found[0], depth), _floor(found[1], depth)))


def _exact_dense_rows(*, agency, vector, audience: str, depth: int, embedder_key: str) -> list[tuple]:
    literal = _vector_literal(vector)
    audience_sql, audience_params = _audience_sql(audience)
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


def lexical_list(*, agency, vector, audience: str, depth: int) -> dict[int, float]:
    literal = _vector_literal(vector)
    audience_sql, audience_params = _audience_sql(audience)
    sql = (
        "SELECT id, 1 - (lexical <=> %s::vector) FROM knowledge_chunk "  # noqa: S608 - only int() ids are formatted in; values are bound
        f"WHERE agency_id = {int(agency.pk)} AND is_live AND lexical IS NOT NULL{audience_sql} "
        "ORDER BY lexical <=> %s::vector LIMIT %s"
    )
    if not connection.in_atomic_block:
        return dict(_ranked(agency, sql, [literal, *audience_params, literal, depth]))
    with platform_cursor("the session's HNSW search setting") as cursor:
        cursor.execute("SELECT current_setting('hnsw.ef_search', true)")
        previous = cursor.fetchone()[0]
    indexes.prepare_session(LEXICAL_EF_SEARCH)
    try:
        return dict(_ranked(agency, sql, [literal, *audience_params, literal, depth]))
    finally:
        if previous:
            indexes.prepare_session(int(previous))


def candidate_terms(terms: list[str], dfs: dict[str, int] | None, budget: int) -> list[str]:
    """The rarest query words whose passages add up to at most `budget` rows (always at least one word).

    They select the candidates the full-text list ranks; every query word still counts in the score. Common
    words ("covid" in a COVID FAQ, "trash" at a sanitation department) would otherwise make PostgreSQL rank
    most of the agency's chunks for little information (the MaxScore idea of search engines). Below the
    budget nothing is pruned, so small knowledge bases rank exactly as before."""
    if not dfs or budget <= 0:
        return terms
    chosen, rows = [], 0
    for term in sorted(terms, key=lambda term: (dfs.get(term, 0), term)):
        df = dfs.get(term, 0)
        if chosen and rows + df > budget:
            break
        chosen.append(term)
        rows += df
    return chosen


FTS_ROW_CAP = 5000  # without a budget: at most this many candidates are ranked


def _row_cap(budget: int) -> int:
    # A query made only of very common words selects more rows than the budget; ranking them all costs
    # much for little information (the dense list carries such queries), so at most 2.5 x budget rows
    # (the newest, so the choice is deterministic) are ranked. Small knowledge bases are never capped.
    return int(budget * 2.5) if budget > 0 else FTS_ROW_CAP


def fts_list(
    *, agency, terms: list[str], audience: str, depth: int, dfs: dict | None = None, budget: int = 0
) -> dict[int, float]:
    """Plain ts_rank of the OR query (title weight A, body D), over candidates chosen by the rarer words."""
    if not terms:
        return {}
    selecting = candidate_terms(terms, dfs, budget)
    audience_sql, audience_params = _audience_sql(audience)
    sql = (
        "SELECT id, ts_rank(search, q) AS s FROM (SELECT id, search FROM knowledge_chunk, "  # noqa: S608 - ints only
        f"to_tsquery('simple', %s) c WHERE agency_id = {int(agency.pk)} AND is_live AND search @@ c{audience_sql} "
        f"ORDER BY id DESC LIMIT {_row_cap(budget)}) candidates, to_tsquery('simple', %s) q ORDER BY s DESC, id LIMIT %s"
    )
    return dict(_ranked(agency, sql, [or_tsquery(selecting), *audience_params, or_tsquery(terms), depth]))


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


def fts_bm25_list(
    *,
    agency,
    terms: list[str],
    idf: dict[str, float],
    audience: str,
    depth: int,
    normalization: int = 0,
    weights: str = "{0.1, 0.2, 0.4, 1.0}",
    dfs: dict | None = None,
    budget: int = 0,
) -> dict[int, float]:
    """Full text with IDF: sum of idf(term) * ts_rank(chunk, term). ts_rank alone has no IDF, so common words
    would weigh as much as the rare word that decides the question."""
    terms = [term for term in terms if idf.get(term, 0) > 0]
    if not terms:
        return {}
    selecting = candidate_terms(terms, dfs, budget)
    audience_sql, audience_params = _audience_sql(audience)
    parts, params = [], []
    for term in terms:
        parts.append(f"%s * ts_rank('{weights}'::float4[], search, to_tsquery('simple', %s), {int(normalization)})")
        params += [idf[term], tsquery_literal(term)]
    score = " + ".join(parts)
    sql = (
        f"SELECT id, {score} AS s FROM (SELECT id, search FROM knowledge_chunk, "  # noqa: S608 - ints only
        f"to_tsquery('simple', %s) c WHERE agency_id = {int(agency.pk)} AND is_live AND search @@ c{audience_sql} "
        f"ORDER BY id DESC LIMIT {_row_cap(budget)}) candidates ORDER BY s DESC, id LIMIT %s"
    )
    return dict(_ranked(agency, sql, [*params, or_tsquery(selecting), *audience_params, depth]))


def rrf(lists: dict[str, dict[int, float]], weights: dict[str, float], k: float) -> dict[int, float]:
    fused: dict[int, float] = {}
    for name, scores in lists.items():
        weight = weights.get(name, 1.0)
        if not weight:
            continue
        ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        for rank, (chunk_id, _score) in enumerate(ordered, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (k + rank)
    return fused


def score_fusion(
    dense: DensePairs,
    fts: dict[int, float],
    *,
    body_weight: float,
    fts_bonus: float,
    lexical: dict[int, float] | None = None,
    lexical_bonus: float = 0.0,
) -> dict[int, float]:
    """Mean of the heading and passage cosines (heading = the FAQ question or section title), plus
    `fts_bonus` x the chunk's full-text score relative to the best full-text score of this query (and
    `lexical_bonus` x its lexical-vector cosine relative to the best one, in the multilingual space).

    Rank fusion throws the cosine away: a passage the dense model ranks first but whose words the
    question does not share fell behind passages that were mediocre on both lists. Cosines are comparable
    across passages, so the dense evidence is kept as a score and full text adds a bounded bonus. A chunk
    missing from a dense list gets that list's lowest returned cosine (an upper bound); a chunk without a
    heading vector uses its passage cosine for both. Measured and cross-validated in
    bench/knowledge/RESULTS.md."""
    body_floor, head_floor = dense.floors
    best_fts = max(fts.values(), default=0.0)
    fused: dict[int, float] = {}
    lexical = lexical if lexical_bonus else {}
    best_lexical = max(lexical.values(), default=0.0)
    for chunk_id in dense.pairs.keys() | fts.keys() | lexical.keys():
        body, head = dense.pairs.get(chunk_id, (body_floor, head_floor))
        if head is None:
            head = body
        words = fts.get(chunk_id, 0.0) / best_fts if best_fts > 0 else 0.0
        fused[chunk_id] = (head + body_weight * body) / (1.0 + body_weight) + fts_bonus * words
        if best_lexical > 0:
            fused[chunk_id] += lexical_bonus * max(0.0, lexical.get(chunk_id, 0.0)) / best_lexical
    return fused


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
    every token for every query term (the loop was most of the cost of `_coverage`)."""

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


def _coverage(terms: list[str], idf_by_term: dict[str, float], text: str) -> float:
    """IDF-weighted share of the query's content terms that occur in the passage."""
    if not terms:
        return 0.0
    tokens = _passage_tokens(text)
    total = sum(idf_by_term.get(term, 1.0) for term in terms)
    hit = sum(idf_by_term.get(term, 1.0) * tokens.match(term) for term in terms)
    return hit / total if total else 0.0


def identical_groups(chunks: list) -> list[list]:
    """`chunks` (best first) grouped by identical heading and text, each group in order and led by its best
    chunk, groups in the order of their leaders."""
    groups: dict[tuple[str, str], list] = {}
    for chunk in chunks:
        groups.setdefault((chunk.heading_path, chunk.text), []).append(chunk)
    return list(groups.values())


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


def search(
    *,
    agency,
    query: str,
    audience: str = Audience.PUBLIC,
    language: str | None = None,
    limit: int = 8,
    config: SearchConfig | None = None,
    query_language: str | None = None,
) -> list[Passage]:
    """The agency's best passages for `query`, best first (crisis documents first in crisis mode).

    `language`: the caller's (the conversation's or the page's), a hint; `query_language`: the question's
    own language when the caller detected it already (a chat turn does, once)."""
    from knowledge.models import Chunk, Document, DocumentVersion

    config = config or default_config()
    query = (query or "").strip()[:2000]
    if not query:
        return []
    # The caller's language (the conversation's or the page's) is a hint: the question's own words decide
    # which vector space it is compared in (a German question in an English conversation is German).
    language = (
        normalize_language(query_language) or detect_language(query, hint=language, fallback=language or "en").written
    )
    terms = query_terms(query, language)
    lexical = lexical_embedder()
    dfs, total, generation = term_stats_generation(agency=agency, terms=terms)
    idf_by_term = bm25_idf(dfs, total)
    embedder, embedder_key = embedder_for(language)
    multilingual_space = embedder is not None and embedder_key != dense_embedder_key()
    cosine_scale = getattr(embedder, "cosine_scale", DENSE_COSINE_SCALE)
    weights = config.weights or weights_for(language, dense_available=embedder is not None)
    fts_mode = config.fts
    if fts_mode == "auto":
        # Measured: with the dense list, plain ts_rank fused best; without it, the IDF-weighted variant.
        fts_mode = "rank" if weights.get("dense") else "bm25"

    def lexical_query_vector():
        idf, unseen = query_idf(agency=agency, features=lexical.feature_set(query))
        return lexical.embed(query, idf=idf, unseen_idf=unseen)

    lists: dict[str, dict[int, float]] = {}
    pairs: DensePairs | None = None
    # Agencies too small for a vector index are searched exactly (no HNSW settings, so no transaction).
    exact = total < indexes.hnsw_threshold() // 2
    needs_session = not exact or bool(weights.get("lexical"))
    with transaction.atomic() if needs_session else contextlib.nullcontext():
        if needs_session:
            indexes.prepare_session(config.ef_search)
        selection = {"dfs": dfs, "budget": config.fts_candidate_budget}
        if fts_mode == "rank":
            lists["fts"] = fts_list(agency=agency, terms=terms, audience=audience, depth=config.depth, **selection)
        else:
            lists["fts"] = fts_bm25_list(
                agency=agency, terms=terms, idf=idf_by_term, audience=audience, depth=config.depth, **selection
            )
        if weights.get("lexical", 0):
            lists["lexical"] = lexical_list(
                agency=agency, vector=lexical_query_vector(), audience=audience, depth=config.depth
            )
        if embedder is not None and weights.get("dense", 0):
            try:
                dvec = embedder.embed_query(query)
            except EmbeddingError:
                dvec = None  # the provider is down: answer from the other signals
                weights = {**weights, "lexical": 1.0}
                lists["lexical"] = lexical_list(
                    agency=agency, vector=lexical_query_vector(), audience=audience, depth=config.depth
                )
            if dvec is not None:
                pairs = dense_pairs(
                    agency=agency,
                    vector=dvec,
                    audience=audience,
                    depth=config.depth,
                    embedder_key=embedder_key,
                    exact=exact,  # no HNSW index can exist (indexes.py)
                    generation=generation,
                )
                lists["dense"] = pairs.best()
                if pairs.pairs and multilingual_space and not weights.get("lexical"):
                    # The multilingual encoder is weaker than MiniLM: the lexical vectors add a bonus to the
                    # score fusion, and their evidence counts for confidence (its cosines say little about
                    # whether a prose passage answers).
                    lists["lexical"] = lexical_list(
                        agency=agency, vector=lexical_query_vector(), audience=audience, depth=config.depth
                    )
                if not pairs.pairs and not weights.get("lexical"):
                    # No chunk in this language's vector space (e.g. a Spanish question to an English-only
                    # knowledge base): the language-neutral lexical vectors stand in, as without a model.
                    weights = {**weights, "lexical": 1.0}
                    lists["lexical"] = lexical_list(
                        agency=agency, vector=lexical_query_vector(), audience=audience, depth=config.depth
                    )
    fusion = config.fusion
    if fusion == "auto":
        fusion = "score" if lists.get("dense") and not weights.get("lexical") else "rrf"
    if fusion == "score" and pairs is not None and pairs.pairs:
        fused = score_fusion(
            pairs,
            lists.get("fts", {}),
            body_weight=config.body_weight,
            fts_bonus=(config.multilingual_fts_bonus if multilingual_space else config.fts_bonus)
            * weights.get("fts", 1),
            lexical=lists.get("lexical"),
            lexical_bonus=config.multilingual_lexical_bonus if multilingual_space else 0.0,
        )
    else:
        fused = rrf(lists, weights, config.rrf_k)
    if not fused:
        return []
    ranked_ids = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], chunk_id))
    candidate_ids = ranked_ids[: max(limit * 4, 40)]

    def fetch(ids) -> dict:
        # Plain SQL: building model instances through the ORM was the largest Python cost of a search.
        sql = (
            "SELECT c.id, c.heading_path, c.text, c.language, c.audience, v.id, v.number, d.id, d.title, "  # noqa: S608 - table names are ours
            f"d.source_url, d.is_crisis FROM {Chunk._meta.db_table} c "
            f"JOIN {DocumentVersion._meta.db_table} v ON v.id = c.version_id "
            f"JOIN {Document._meta.db_table} d ON d.id = c.document_id "
            "WHERE c.agency_id = %s AND c.is_live AND c.id = ANY(%s)"
        )
        with agency_cursor(agency) as cursor:
            cursor.execute(sql, [agency.pk, list(ids)])
            rows = cursor.fetchall()
        return {
            row[0]: SimpleNamespace(
                pk=row[0],
                heading_path=row[1],
                text=row[2],
                language=row[3],
                audience=row[4],
                version=SimpleNamespace(pk=row[5], number=row[6]),
                document=SimpleNamespace(pk=row[7], title=row[8], source_url=row[9], is_crisis=row[10]),
            )
            for row in rows
        }

    coverage_by_term = coverage_weights(dfs, total)

    def passage(chunk, also=()) -> Passage:
        chunk_id = chunk.pk
        signals = {name: scores[chunk_id] for name, scores in lists.items() if chunk_id in scores}
        signals["coverage"] = _coverage(terms, coverage_by_term, f"{chunk.heading_path} {chunk.text}")
        return Passage(
            chunk_id=chunk.pk,
            version_id=chunk.version.pk,
            version_number=chunk.version.number,
            document_id=chunk.document.pk,
            title=chunk.document.title,
            url=chunk.document.source_url,
            heading_path=chunk.heading_path,
            text=chunk.text,
            language=chunk.language,
            audience=chunk.audience,
            is_crisis=chunk.document.is_crisis,
            score=round(fused[chunk_id], 6),
            signals={name: round(value, 4) for name, value in signals.items()},
            confidence=confidence_from(signals, cosine_scale),
            also=tuple(also),
        )

    def distinct(chunks: dict) -> list[list]:
        return identical_groups([chunks[chunk_id] for chunk_id in candidate_ids if chunk_id in chunks])

    # Crisis mode looks at every candidate (a crisis passage may rank low); otherwise the first `limit` are the
    # answer unless one of them stopped being live meanwhile or identical passages were folded together (then
    # the rest are read too).
    first = candidate_ids if agency.crisis_mode else candidate_ids[:limit]
    chunks = fetch(first)
    groups = distinct(chunks)
    if len(groups) < limit and len(first) < len(candidate_ids):
        chunks.update(fetch(candidate_ids[len(first) :]))
        groups = distinct(chunks)
    if agency.crisis_mode:
        return _crisis_first(groups, limit=limit, build=lambda lead, twins: passage(lead, [passage(t) for t in twins]))
    # coverage (the costly signal) only for the passages returned
    passages = [passage(lead, [passage(twin) for twin in twins]) for lead, *twins in groups[:limit]]
    return passages


def _crisis_first(groups: list[list], *, limit: int, build) -> list[Passage]:
    """In crisis mode, crisis passages that answer the question lead; the rest keep their relevance order.

    A crisis passage that does not answer (below the confidence floor) is not promoted: crisis documents come
    first, not alone, so a question about anything else during a flood is still answered.
    """
    floor = float(getattr(settings, "KNOWLEDGE_CONFIDENCE_FLOOR", 0.55))
    built = {lead.pk: build(lead, twins) for lead, *twins in groups if lead.document.is_crisis}
    relevant = [p for p in built.values() if p.confidence >= floor][:limit]
    promoted = {p.chunk_id for p in relevant}
    rest = []
    for lead, *twins in groups:
        if len(relevant) + len(rest) >= limit:
            break
        if lead.pk not in promoted:
            rest.append(built.get(lead.pk) or build(lead, twins))
    return relevant + rest
