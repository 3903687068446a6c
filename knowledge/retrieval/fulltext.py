"""Candidate lists by full text (over our own tokens, stemmed by PostgreSQL's configuration of each passage's
language; the question's words by its language's, `text.fts_config`): plain ts_rank of the OR query, or
IDF-weighted per term, over candidates chosen by the question's rarer words."""

from __future__ import annotations

from knowledge.retrieval.sql import audience_filter, ranked
from knowledge.text import or_tsquery, tsquery_literal


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
    *,
    agency,
    terms: list[str],
    audience: str,
    depth: int,
    dfs: dict | None = None,
    budget: int = 0,
    ts_config: str = "simple",
) -> dict[int, float]:
    """Plain ts_rank of the OR query (title weight A, body D), over candidates chosen by the rarer words."""
    if not terms:
        return {}
    selecting = candidate_terms(terms, dfs, budget)
    audience_sql, audience_params = audience_filter(audience)
    sql = (
        "SELECT id, ts_rank(search, q) AS s FROM (SELECT id, search FROM knowledge_chunk, "  # noqa: S608 - ints only
        f"to_tsquery(%s::regconfig, %s) c WHERE agency_id = {int(agency.pk)} AND is_live AND search @@ c{audience_sql} "
        f"ORDER BY id DESC LIMIT {_row_cap(budget)}) candidates, to_tsquery(%s::regconfig, %s) q "
        "ORDER BY s DESC, id LIMIT %s"
    )
    params = [ts_config, or_tsquery(selecting), *audience_params, ts_config, or_tsquery(terms), depth]
    return dict(ranked(agency, sql, params))


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
    ts_config: str = "simple",
) -> dict[int, float]:
    """Full text with IDF: sum of idf(term) * ts_rank(chunk, term). ts_rank alone has no IDF, so common words
    would weigh as much as the rare word that decides the question."""
    terms = [term for term in terms if idf.get(term, 0) > 0]
    if not terms:
        return {}
    selecting = candidate_terms(terms, dfs, budget)
    audience_sql, audience_params = audience_filter(audience)
    parts, params = [], []
    for term in terms:
        parts.append(
            f"%s * ts_rank('{weights}'::float4[], search, to_tsquery(%s::regconfig, %s), {int(normalization)})"
        )
        params += [idf[term], ts_config, tsquery_literal(term)]
    score = " + ".join(parts)
    sql = (
        f"SELECT id, {score} AS s FROM (SELECT id, search FROM knowledge_chunk, "  # noqa: S608 - ints only
        f"to_tsquery(%s::regconfig, %s) c WHERE agency_id = {int(agency.pk)} AND is_live AND search @@ c{audience_sql} "
        f"ORDER BY id DESC LIMIT {_row_cap(budget)}) candidates ORDER BY s DESC, id LIMIT %s"
    )
    return dict(ranked(agency, sql, [*params, ts_config, or_tsquery(selecting), *audience_params, depth]))
