"""Hybrid retrieval over one agency's live chunks: dense vectors + lexical vectors + full text, fused.

Every query is filtered by agency, liveness and audience in SQL (citizens never see staff-only text).
Vector lists use a per-agency partial HNSW index when one exists for the agency (see `indexes.py`),
otherwise an exact scan, so the agency filter never drops results after an approximate scan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from knowledge import indexes
from knowledge.embedders import EmbeddingError, dense_embedder, dense_embedder_key, lexical_embedder
from knowledge.models import Audience, LexicalTerm
from knowledge.text import detect_language, or_tsquery, query_terms, tokenize
from knowledge.types import Passage

TERM_COUNT_FEATURE = -1  # LexicalTerm row holding the number of live chunks (N for the IDF)


@dataclass
class SearchConfig:
    depth: int = 100
    rrf_k: float = 60.0
    weights: dict = field(default_factory=lambda: {"dense": 1.0, "lexical": 1.0, "fts": 1.0})
    use_dense: bool = True
    ef_search: int = 200


def default_config() -> SearchConfig:
    config = SearchConfig()
    overrides = getattr(settings, "KNOWLEDGE_SEARCH_WEIGHTS", None)
    if overrides:
        config.weights.update(overrides)
    return config


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


def _ranked(sql: str, params: list) -> list[tuple[int, float]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def dense_list(*, agency, vector, audience: str, depth: int, embedder_key: str) -> dict[int, float]:
    """chunk id → best cosine similarity over the chunk's body and heading vectors."""
    literal = _vector_literal(vector)
    dim = len(vector)
    audience_sql, audience_params = _audience_sql(audience)
    scores: dict[int, float] = {}
    for column in ("embedding", "heading_embedding"):
        expr = indexes.vector_expression(column, dim)
        sql = (
            f"SELECT id, 1 - ({expr} <=> %s::vector({dim})) FROM knowledge_chunk "  # noqa: S608 - only int() ids are formatted in; values are bound
            f"WHERE agency_id = {int(agency.pk)} AND is_live AND embedder = %s AND {column} IS NOT NULL"
            f"{audience_sql} ORDER BY {expr} <=> %s::vector({dim}) LIMIT %s"
        )
        for chunk_id, score in _ranked(sql, [literal, embedder_key, *audience_params, literal, depth]):
            if score > scores.get(chunk_id, -2.0):
                scores[chunk_id] = score
    return scores


def lexical_list(*, agency, vector, audience: str, depth: int) -> dict[int, float]:
    literal = _vector_literal(vector)
    audience_sql, audience_params = _audience_sql(audience)
    sql = (
        "SELECT id, -(lexical <#> %s::vector) FROM knowledge_chunk "  # noqa: S608 - only int() ids are formatted in; values are bound
        f"WHERE agency_id = {int(agency.pk)} AND is_live AND lexical IS NOT NULL{audience_sql} "
        "ORDER BY lexical <#> %s::vector LIMIT %s"
    )
    return dict(_ranked(sql, [literal, *audience_params, literal, depth]))


def fts_list(*, agency, terms: list[str], audience: str, depth: int) -> dict[int, float]:
    if not terms:
        return {}
    audience_sql, audience_params = _audience_sql(audience)
    sql = (
        "SELECT id, ts_rank(search, q) FROM knowledge_chunk, to_tsquery('simple', %s) q "  # noqa: S608 - only int() ids are formatted in; values are bound
        f"WHERE agency_id = {int(agency.pk)} AND is_live AND search @@ q{audience_sql} "
        "ORDER BY ts_rank(search, q) DESC, id LIMIT %s"
    )
    return dict(_ranked(sql, [or_tsquery(terms), *audience_params, depth]))


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


def _coverage(terms: list[str], idf_by_term: dict[str, float], text: str) -> float:
    """IDF-weighted share of the query's content terms that occur in the passage."""
    if not terms:
        return 0.0
    tokens = set(tokenize(text))
    total = sum(idf_by_term.get(term, 1.0) for term in terms)
    hit = sum(idf_by_term.get(term, 1.0) * _term_match(term, tokens) for term in terms)
    return hit / total if total else 0.0


def confidence_from(signals: dict) -> float:
    """A calibrated-enough 0..1 confidence from the raw signals of one passage.

    Fused RRF scores only order results; the floor needs absolute evidence: how much of the question's
    (IDF-weighted) vocabulary the passage covers, and how close it is in the dense space.
    """
    coverage = signals.get("coverage", 0.0)
    lexical = signals.get("lexical", 0.0)
    lexical_part = min(1.0, 0.6 * coverage + 0.4 * min(1.0, lexical / 0.45))
    dense = signals.get("dense")
    if dense is None:
        return round(lexical_part, 3)
    dense_part = max(0.0, min(1.0, (dense - 0.25) / 0.45))
    return round(max(dense_part, 0.5 * dense_part + 0.5 * lexical_part), 3)


def search(
    *,
    agency,
    query: str,
    audience: str = Audience.PUBLIC,
    language: str | None = None,
    limit: int = 8,
    config: SearchConfig | None = None,
) -> list[Passage]:
    """The agency's best passages for `query`, best first (crisis documents first in crisis mode)."""
    from knowledge.models import Chunk

    config = config or default_config()
    query = (query or "").strip()[:2000]
    if not query:
        return []
    language = (language or detect_language(query))[:2]
    terms = query_terms(query, language)
    lexical = lexical_embedder()
    features = lexical.feature_set(query)
    word_features = {term: lexical.features(term)[0] for term in terms}
    idf, unseen = query_idf(agency=agency, features=features)

    lists: dict[str, dict[int, float]] = {}
    with transaction.atomic():
        indexes.prepare_session(config.ef_search)
        lists["fts"] = fts_list(agency=agency, terms=terms, audience=audience, depth=config.depth)
        if config.weights.get("lexical", 0):
            qvec = lexical.embed(query, idf=idf, unseen_idf=unseen)
            lists["lexical"] = lexical_list(agency=agency, vector=qvec, audience=audience, depth=config.depth)
        embedder = dense_embedder() if config.use_dense else None
        if embedder is not None and config.weights.get("dense", 0):
            try:
                dvec = embedder.embed_query(query)
            except EmbeddingError:
                dvec = None  # the provider is down: answer from the other signals
            if dvec is not None:
                lists["dense"] = dense_list(
                    agency=agency, vector=dvec, audience=audience, depth=config.depth, embedder_key=dense_embedder_key()
                )
    fused = rrf(lists, config.weights, config.rrf_k)
    if not fused:
        return []
    ranked_ids = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], chunk_id))
    candidate_ids = ranked_ids[: max(limit * 4, 40)]
    chunks = {
        chunk.pk: chunk
        for chunk in Chunk.objects.for_agency(agency)
        .filter(pk__in=candidate_ids, is_live=True)
        .select_related("document", "version")
        .only(
            "id",
            "heading_path",
            "text",
            "language",
            "audience",
            "version__id",
            "version__number",
            "document__id",
            "document__title",
            "document__source_url",
            "document__is_crisis",
        )
    }
    idf_by_term = {
        term: max((idf.get(f, unseen) for f in feats), default=unseen) for term, feats in word_features.items()
    }
    passages = []
    for chunk_id in candidate_ids:
        chunk = chunks.get(chunk_id)
        if chunk is None:
            continue
        signals = {name: scores[chunk_id] for name, scores in lists.items() if chunk_id in scores}
        signals["coverage"] = _coverage(terms, idf_by_term, f"{chunk.heading_path} {chunk.text}")
        passages.append(
            Passage(
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
                confidence=confidence_from(signals),
            )
        )
    if agency.crisis_mode:
        # Stable partition: crisis passages first, each group keeps its relevance order.
        passages.sort(key=lambda passage: not passage.is_crisis)
    return passages[:limit]
