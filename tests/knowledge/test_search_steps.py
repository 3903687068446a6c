"""The four steps of `retrieval.search` one at a time: plan, gather, fuse, build results."""

import dataclasses

import pytest

from knowledge import retrieval
from knowledge.embedders import EmbeddingError
from knowledge.retrieval import DensePairs, Gathered
from tenants.context import agency_context

PARKS = "Parks are open from dawn to dusk. Dogs must be on a leash."


class _ProviderDown:
    """A dense model whose provider fails (an API embedder during an outage)."""

    def embed_query(self, text):
        raise EmbeddingError("provider down")


def test_plan_of_an_empty_question_is_none(agency_a):
    with agency_context(agency_a):
        assert retrieval.search_plan(agency=agency_a, query="   ") is None
        assert retrieval.search(agency=agency_a, query="") == []


def test_plan_reads_the_questions_own_language_and_words(agency_a, publish):
    publish(agency_a, title="Parks", content=PARKS)
    with agency_context(agency_a):
        plan = retrieval.search_plan(agency=agency_a, query="Wann sind die Parks geöffnet?", language="en")
        assert plan.language == "de"  # the caller's language is only the default
        assert plan.terms == ["parks", "geöffnet"]  # German stop words dropped
        assert plan.dfs["parks"] == 1 and plan.dfs["geöffnet"] == 0 and plan.total >= 1
        # KNOWLEDGE_EMBEDDER=none in tests: no dense model, so lexical vectors + IDF-weighted full text
        assert plan.embedder is None and plan.weights == {"dense": 0.0, "fts": 1.0, "lexical": 1.0}
        assert plan.fts_mode == "bm25" and plan.exact and plan.needs_session  # the lexical list needs HNSW settings
        long = retrieval.search_plan(agency=agency_a, query="park " * 1000)
        assert len(long.query) == retrieval.pipeline.MAX_QUERY_CHARS


def test_gather_answers_from_the_other_lists_when_the_dense_provider_fails(agency_a, publish):
    publish(agency_a, title="Parks", content=PARKS)
    with agency_context(agency_a):
        plan = retrieval.search_plan(agency=agency_a, query="when are parks open?")
        plan = dataclasses.replace(
            plan, embedder=_ProviderDown(), embedder_key="minilm", weights={"dense": 1.0, "fts": 1.0, "lexical": 0.0}
        )
        gathered = retrieval.search_gather(agency=agency_a, plan=plan)
    assert gathered.pairs is None and "dense" not in gathered.lists
    assert gathered.weights["lexical"] == 1.0 and gathered.lists["lexical"] and gathered.lists["fts"]


def test_fuse_keeps_cosines_when_the_dense_list_carries_the_question(agency_a):
    with agency_context(agency_a):
        plan = retrieval.search_plan(agency=agency_a, query="pool hours")
    pairs = DensePairs({1: (0.70, 0.90), 2: (0.55, 0.60)}, floors=(0.55, 0.60))
    dense = Gathered(lists={"fts": {2: 1.0}, "dense": pairs.best()}, weights={"dense": 1, "fts": 1}, pairs=pairs)
    fused = retrieval.search_fuse(plan, dense)
    assert fused[1] == pytest.approx(0.80) and fused[2] == pytest.approx(0.575 + plan.config.fts_bonus)
    # With the lexical list standing in (no chunk in the question's space), rank fusion decides.
    stand_in = dataclasses.replace(dense, weights={"dense": 1, "fts": 1, "lexical": 1.0})
    assert retrieval.search_fuse(plan, stand_in) == retrieval.rrf(stand_in.lists, stand_in.weights, 60.0)


def test_results_follow_the_fused_order_and_skip_chunks_no_longer_live(agency_a, publish):
    _doc, parks = publish(agency_a, title="Parks", content=PARKS)
    _doc, pool = publish(agency_a, title="Pool", content="The pool opens at 9 a.m. daily.")
    with agency_context(agency_a):
        plan = retrieval.search_plan(agency=agency_a, query="when are parks open?")
        gathered = retrieval.search_gather(agency=agency_a, plan=plan)
        park_chunk, pool_chunk = parks.chunks.get(), pool.chunks.get()
        fused = {pool_chunk.pk: 0.9, park_chunk.pk: 0.5, 10**9: 0.95}  # 10**9: gone since it was found
        passages = retrieval.search_results(agency=agency_a, plan=plan, gathered=gathered, fused=fused, limit=8)
    assert [p.title for p in passages] == ["Pool", "Parks"]
    assert passages[0].score == 0.9 and passages[1].signals["coverage"] > passages[0].signals["coverage"]
