"""`search`: a question's best passages in four steps, each a function of its own.

1. `search_plan`: the question's language and words, their statistics among the agency's live chunks,
   the vector space it is compared in, and which lists count (no list is read yet).
2. `search_gather`: the candidate lists (full text, dense, lexical), with the fallbacks when the dense
   model fails or its space holds nothing of the agency.
3. `search_fuse`: one score per candidate chunk.
4. `search_results`: the best candidates read back as passages, identical passages folded, confidence
   and crisis order applied.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import transaction

from core.language import detect as detect_language
from core.language import normalize as normalize_language
from core.sql import agency_cursor
from knowledge import indexes
from knowledge.embedders import EmbeddingError, dense_embedder_key, embedder_for, lexical_embedder, query_text_for
from knowledge.models import Audience, Chunk, Document, DocumentVersion
from knowledge.retrieval.confidence import DENSE_COSINE_SCALE, confidence_from, coverage
from knowledge.retrieval.config import SearchConfig, default_config, weights_for
from knowledge.retrieval.fulltext import fts_bm25_list, fts_list
from knowledge.retrieval.fusion import rrf, score_fusion
from knowledge.retrieval.sql import is_zero
from knowledge.retrieval.stats import bm25_idf, coverage_weights, language_counts, query_idf, term_stats_generation
from knowledge.retrieval.vectors import DensePairs, dense_pairs, lexical_list, lexical_scan
from knowledge.text import fts_config, query_terms
from knowledge.types import Passage

MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class SearchPlan:
    """Everything decided about a question before any candidate list is read."""

    query: str
    audience: str
    config: SearchConfig
    language: str  # detected from the question's own words; the caller's language is the default
    terms: list[str]  # distinct words minus the language's stop words
    dfs: dict[str, int]  # each word's document frequency among the agency's live chunks
    total: int  # the number of live chunks
    generation: int | None  # the live chunks' generation (`vector_cache`)
    embedder: Any  # the dense model of the question's vector space, or None
    embedder_key: str | None
    multilingual_space: bool  # the multilingual encoder's space (weaker: full text and lexical weigh more)
    cosine_scale: tuple[float, float]  # the space's confidence calibration
    weights: dict[str, float]  # list name → weight
    fts_mode: str  # "rank" or "bm25"
    exact: bool  # too few live chunks for a vector index: exact scans or the in-memory copy

    @property
    def needs_session(self) -> bool:
        """HNSW settings are per transaction: needed for index scans and for the lexical list."""
        return not self.exact or bool(self.weights.get("lexical"))


@dataclass
class Gathered:
    """The candidate lists (list name → chunk id → score) and the weights they are fused with (the plan's,
    or with the lexical list standing in where the dense one could not be read)."""

    lists: dict[str, dict[int, float]]
    weights: dict[str, float]
    pairs: DensePairs | None = None  # both dense cosines of every dense candidate


def search(
    *,
    agency,
    query: str,
    audience: str = Audience.PUBLIC,
    language: str | None = None,
    limit: int = 8,
    config: SearchConfig | None = None,
    query_language: str | None = None,
    query_vectors: dict | None = None,
) -> list[Passage]:
    """The agency's best passages for `query`, best first (crisis documents first in crisis mode).

    `language`: the caller's (the conversation's or the page's), a hint; `query_language`: the question's
    own language when the caller detected it already (a chat turn does, once); `query_vectors`: a dict shared
    by the searches of one question in several agencies (the front door), so the question is embedded once
    per model and text, not once per agency."""
    plan = search_plan(
        agency=agency, query=query, audience=audience, language=language, config=config, query_language=query_language
    )
    if plan is None:
        return []
    gathered = search_gather(agency=agency, plan=plan, query_vectors=query_vectors)
    fused = search_fuse(plan, gathered)
    if not fused:
        return []
    return search_results(agency=agency, plan=plan, gathered=gathered, fused=fused, limit=limit)


def search_plan(
    *,
    agency,
    query: str,
    audience: str = Audience.PUBLIC,
    language: str | None = None,
    config: SearchConfig | None = None,
    query_language: str | None = None,
) -> SearchPlan | None:
    """What to read for `query` (None for an empty question). One small query: the words' statistics."""
    config = config or default_config()
    query = (query or "").strip()[:MAX_QUERY_CHARS]
    if not query:
        return None
    # The caller's language (the conversation's or the page's) is a hint: the question's own words decide
    # which vector space it is compared in (a German question in an English conversation is German).
    language = (
        normalize_language(query_language) or detect_language(query, hint=language, fallback=language or "en").written
    )
    terms = query_terms(query, language)
    dfs, total, generation = term_stats_generation(agency=agency, terms=terms)
    embedder, embedder_key = embedder_for(language)
    weights = config.weights or weights_for(language, dense_available=embedder is not None)
    fts_mode = config.fts
    if fts_mode == "auto":
        # Measured: with the dense list, plain ts_rank fused best; without it, the IDF-weighted variant.
        fts_mode = "rank" if weights.get("dense") else "bm25"
    return SearchPlan(
        query=query,
        audience=audience,
        config=config,
        language=language,
        terms=terms,
        dfs=dfs,
        total=total,
        generation=generation,
        embedder=embedder,
        embedder_key=embedder_key,
        multilingual_space=embedder is not None and embedder_key != dense_embedder_key(),
        cosine_scale=getattr(embedder, "cosine_scale", DENSE_COSINE_SCALE),
        weights=weights,
        fts_mode=fts_mode,
        # Agencies too small for a vector index are searched exactly (no HNSW settings, so no transaction).
        exact=total < indexes.hnsw_threshold() // 2,
    )


def search_gather(*, agency, plan: SearchPlan, query_vectors: dict | None = None) -> Gathered:
    """Read the candidate lists the plan asks for, in one transaction when HNSW settings are needed.

    `query_vectors`: (model, text) → vector, shared by the searches of one question (see `search`)."""
    config = plan.config
    gathered = Gathered(lists={}, weights=plan.weights)
    lists = gathered.lists

    def lexical(languages: list[str] | None = None) -> dict[int, float]:
        """The lexical list: of every row where it stands in for the dense one, of the `languages` given where
        it adds a bonus to the dense candidates."""
        scan = None
        if languages is not None:
            counts = language_counts(agency, plan.generation)
            scan = lexical_scan(counts, languages, indexed=not plan.exact)
            if scan[0] == "none":
                return {}
        embedder = lexical_embedder()
        idf, unseen = query_idf(agency=agency, features=embedder.feature_set(plan.query))
        vector = embedder.embed(plan.query, idf=idf, unseen_idf=unseen)
        return lexical_list(
            agency=agency, vector=vector, audience=plan.audience, depth=config.depth, languages=languages, scan=scan
        )

    with transaction.atomic() if plan.needs_session else contextlib.nullcontext():
        if plan.needs_session:
            indexes.prepare_session(config.ef_search)
        lists["fts"] = _fulltext_list(agency=agency, plan=plan)
        if gathered.weights.get("lexical", 0):
            lists["lexical"] = lexical()
        if plan.embedder is None or not gathered.weights.get("dense", 0):
            return gathered
        try:
            vector = _query_vector(plan, query_text_for(plan.embedder, agency=agency, text=plan.query), query_vectors)
        except EmbeddingError:
            # the provider is down: answer from the other signals
            gathered.weights = {**gathered.weights, "lexical": 1.0}
            lists["lexical"] = lexical()
            return gathered
        if is_zero(vector):
            return gathered  # a vector with no direction compares with nothing
        pairs = gathered.pairs = dense_pairs(
            agency=agency,
            vector=vector,
            audience=plan.audience,
            depth=config.depth,
            embedder_key=plan.embedder_key,
            exact=plan.exact,  # no HNSW index can exist (indexes.py)
            generation=plan.generation,
        )
        lists["dense"] = pairs.best()
        if pairs.pairs and plan.multilingual_space and not gathered.weights.get("lexical"):
            # The multilingual encoder is weaker than MiniLM: the lexical vectors add a bonus to the score
            # fusion, and their evidence counts for confidence (its cosines say little about whether a prose
            # passage answers). Only for the rows of the question's vector space (those the dense lists rank):
            # a row of another space (an English chunk for a German question) would enter the fusion at the
            # dense lists' floor plus its bonus; reading the space's rows alone is also the cheaper scan when
            # they are a minority (bench/knowledge/lexical_mixed.py: quality and time).
            lists["lexical"] = lexical(space_languages(agency, plan))
        if not pairs.pairs and not gathered.weights.get("lexical"):
            # No chunk in this language's vector space (e.g. a Spanish question to an English-only knowledge
            # base): the language-neutral lexical vectors stand in, as without a model.
            gathered.weights = {**gathered.weights, "lexical": 1.0}
            lists["lexical"] = lexical()
    return gathered


def space_languages(agency, plan: SearchPlan) -> list[str]:
    """The languages of the agency's live chunks that are embedded in the question's vector space."""
    counts = language_counts(agency, plan.generation)
    return sorted(language for language in counts if language and embedder_for(language)[1] == plan.embedder_key)


def _query_vector(plan: SearchPlan, text: str, memo: dict | None) -> list[float]:
    if memo is None:
        return plan.embedder.embed_query(text)
    key = (plan.embedder_key, text)
    if key not in memo:
        memo[key] = plan.embedder.embed_query(text)
    return memo[key]


def _fulltext_list(*, agency, plan: SearchPlan) -> dict[int, float]:
    config = plan.config
    selection = {"dfs": plan.dfs, "budget": config.fts_candidate_budget, "ts_config": _ts_config(config, plan)}
    if plan.fts_mode == "rank":
        return fts_list(agency=agency, terms=plan.terms, audience=plan.audience, depth=config.depth, **selection)
    return fts_bm25_list(
        agency=agency,
        terms=plan.terms,
        idf=bm25_idf(plan.dfs, plan.total),
        audience=plan.audience,
        depth=config.depth,
        **selection,
    )


def _ts_config(config: SearchConfig, plan: SearchPlan) -> str:
    return fts_config(plan.language) if config.stemming else "simple"


def search_fuse(plan: SearchPlan, gathered: Gathered) -> dict[int, float]:
    """chunk id → fused score: score fusion when the dense list carries the question, otherwise RRF."""
    config = plan.config
    fusion = config.fusion
    if fusion == "auto":
        fusion = "score" if gathered.lists.get("dense") and not gathered.weights.get("lexical") else "rrf"
    if fusion == "score" and gathered.pairs is not None and gathered.pairs.pairs:
        return score_fusion(
            gathered.pairs,
            gathered.lists.get("fts", {}),
            body_weight=config.body_weight,
            fts_bonus=(config.multilingual_fts_bonus if plan.multilingual_space else config.fts_bonus)
            * gathered.weights.get("fts", 1),
            lexical=gathered.lists.get("lexical"),
            lexical_bonus=config.multilingual_lexical_bonus if plan.multilingual_space else 0.0,
        )
    return rrf(gathered.lists, gathered.weights, config.rrf_k)


def search_results(
    *, agency, plan: SearchPlan, gathered: Gathered, fused: dict[int, float], limit: int
) -> list[Passage]:
    """The best fused candidates as passages, identical passages folded into one result."""
    ranked_ids = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], chunk_id))
    candidate_ids = ranked_ids[: max(limit * 4, 40)]
    coverage_by_term = coverage_weights(plan.dfs, plan.total)

    def passage(chunk, also=()) -> Passage:
        chunk_id = chunk.pk
        signals = {name: scores[chunk_id] for name, scores in gathered.lists.items() if chunk_id in scores}
        # The document's "also asked as" phrasings (the agency's synonyms) count as the passage's own words.
        signals["coverage"] = coverage(
            plan.terms, coverage_by_term, f"{chunk.heading_path} {chunk.text} {chunk.document.also_asked}"
        )
        return passage_of(
            chunk,
            score=fused[chunk_id],
            signals={name: round(value, 4) for name, value in signals.items()},
            confidence=confidence_from(signals, plan.cosine_scale),
            also=also,
        )

    def distinct(chunks: dict) -> list[list]:
        return identical_groups([chunks[chunk_id] for chunk_id in candidate_ids if chunk_id in chunks])

    # Crisis mode looks at every candidate (a crisis passage may rank low); otherwise the first `limit` are the
    # answer unless one of them stopped being live meanwhile or identical passages were folded together (then
    # the rest are read too).
    first = candidate_ids if agency.crisis_mode else candidate_ids[:limit]
    chunks = chunks_read(agency=agency, ids=first)
    groups = distinct(chunks)
    if len(groups) < limit and len(first) < len(candidate_ids):
        chunks.update(chunks_read(agency=agency, ids=candidate_ids[len(first) :]))
        groups = distinct(chunks)
    if agency.crisis_mode:
        return _crisis_first(groups, limit=limit, build=lambda lead, twins: passage(lead, [passage(t) for t in twins]))
    # coverage (the costly signal) only for the passages returned
    return [passage(lead, [passage(twin) for twin in twins]) for lead, *twins in groups[:limit]]


def chunks_read(*, agency, ids) -> dict[int, SimpleNamespace]:
    """The live chunks among `ids` with their version and document, by id."""
    # Plain SQL: building model instances through the ORM was the largest Python cost of a search.
    sql = (
        "SELECT c.id, c.heading_path, c.text, c.language, c.audience, v.id, v.number, d.id, d.title, "  # noqa: S608 - table names are ours
        f"d.source_url, d.is_crisis, d.also_asked, d.translations FROM {Chunk._meta.db_table} c "
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
            document=SimpleNamespace(
                pk=row[7],
                title=row[8],
                source_url=row[9],
                is_crisis=row[10],
                also_asked=row[11],
                translations=row[12] or {},
            ),
        )
        for row in rows
    }


def identical_groups(chunks: list) -> list[list]:
    """`chunks` (best first) grouped by identical heading and text, each group in order and led by its best
    chunk, groups in the order of their leaders."""
    groups: dict[tuple[str, str], list] = {}
    for chunk in chunks:
        groups.setdefault((chunk.heading_path, chunk.text), []).append(chunk)
    return list(groups.values())


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


def passage_of(chunk, *, score: float, signals: dict[str, float], confidence: float, also=()) -> Passage:
    """A read chunk (with its version and document) as a retrieved passage."""
    return Passage(
        chunk_id=chunk.pk,
        version_id=chunk.version.pk,
        version_number=chunk.version.number,
        document_id=chunk.document.pk,
        title=chunk.document.title,
        title_translations=getattr(chunk.document, "translations", None) or {},
        url=chunk.document.source_url,
        heading_path=chunk.heading_path,
        text=chunk.text,
        language=chunk.language,
        audience=chunk.audience,
        is_crisis=chunk.document.is_crisis,
        score=round(score, 6),
        signals=signals,
        confidence=confidence,
        also=tuple(also),
    )
