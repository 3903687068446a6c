"""Ranking rules of hybrid retrieval (pure functions; the end-to-end MiniLM path is in test_commands)."""

import json

import pytest
from auditlog.context import disable_auditlog

from knowledge import retrieval, services
from knowledge.models import Chunk
from knowledge.retrieval import DensePairs, rrf, score_fusion
from tenants.context import agency_context


def _order(scores):
    return sorted(scores, key=lambda chunk_id: (-scores[chunk_id], chunk_id))


def test_score_fusion_keeps_a_clear_dense_winner_that_rank_fusion_loses():
    # Chunk 1 is the paraphrased question (cosine 0.80) but shares no word with the query; chunks 2 and 3
    # are mediocre dense matches that share words. Rank fusion only sees ranks and puts 2 first.
    dense = DensePairs({1: (0.70, 0.90), 2: (0.55, 0.60), 3: (0.50, 0.58), 4: (0.45, 0.50)}, floors=(0.45, 0.50))
    fts = {2: 0.30, 3: 0.25, 5: 0.20}
    assert _order(rrf({"dense": dense.best(), "fts": fts}, {"dense": 1, "fts": 1}, 60))[0] == 2
    fused = score_fusion(dense, fts, body_weight=1.0, fts_bonus=0.15)
    assert _order(fused)[:3] == [1, 2, 3]
    assert fused[1] == pytest.approx(0.80)  # mean of the heading and passage cosines, no full-text bonus
    assert fused[2] == pytest.approx(0.575 + 0.15)  # the best full-text score earns the whole bonus


def test_score_fusion_full_text_decides_between_near_equal_cosines():
    dense = DensePairs({1: (0.70, 0.80), 2: (0.70, 0.79)}, floors=(0.70, 0.79))
    fused = score_fusion(dense, {2: 1.2, 1: 0.1}, body_weight=1.0, fts_bonus=0.15)
    assert _order(fused) == [2, 1]


def test_score_fusion_lexical_bonus_in_the_multilingual_space():
    # Relative to the best lexical cosine of the query, like full text; a chunk only the lexical list found
    # joins with the dense floors. Without a bonus (MiniLM's space) the lexical list changes nothing.
    dense = DensePairs({1: (0.50, 0.60), 2: (0.50, 0.59)}, floors=(0.50, 0.59))
    lexical = {2: 0.40, 1: 0.10, 3: 0.20}
    fused = score_fusion(dense, {}, body_weight=1.0, fts_bonus=0.25, lexical=lexical, lexical_bonus=0.1)
    assert _order(fused) == [2, 3, 1]
    assert fused[2] == pytest.approx(0.545 + 0.1)
    assert fused[1] == pytest.approx(0.55 + 0.1 * 0.25)
    assert fused[3] == pytest.approx(0.545 + 0.1 * 0.5)
    assert score_fusion(dense, {}, body_weight=1.0, fts_bonus=0.25, lexical=lexical) == score_fusion(
        dense, {}, body_weight=1.0, fts_bonus=0.25
    )


def test_score_fusion_missing_values_and_headless_chunks():
    # Chunk 7 has no heading vector: its passage cosine stands for both. Chunk 9 was found by full text
    # only: it gets each dense list's lowest returned cosine (an upper bound), never more.
    dense = DensePairs({7: (0.60, None), 8: (0.40, 0.50)}, floors=(0.40, 0.50))
    fused = score_fusion(dense, {9: 2.0}, body_weight=1.0, fts_bonus=0.15)
    assert fused[7] == pytest.approx(0.60)
    assert fused[9] == pytest.approx(0.45 + 0.15)
    assert score_fusion(dense, {}, body_weight=1.0, fts_bonus=0.15)[8] == pytest.approx(0.45)


def test_score_fusion_only_where_a_dense_model_is_used(settings):
    # The lexical path (languages no dense model knows, or KNOWLEDGE_EMBEDDER=none) keeps rank fusion.
    assert retrieval.SearchConfig().fusion == "auto"
    assert retrieval.weights_for("de", dense_available=True)["dense"] == 0  # KNOWLEDGE_EMBEDDER=none here
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    assert retrieval.weights_for("de", dense_available=True)["dense"] == 1  # the multilingual encoder
    assert retrieval.weights_for("sw", dense_available=True)["dense"] == 0  # a language neither model knows
    settings.KNOWLEDGE_MULTILINGUAL_EMBEDDER = "none"
    assert retrieval.weights_for("de", dense_available=True)["dense"] == 0
    assert retrieval.weights_for("en", dense_available=True)["dense"] == 1


def test_lexical_path_keeps_rank_fusion(agency_a, publish):
    publish(agency_a, title="Parks", content="Parks are open from dawn to dusk. Dogs must be on a leash.")
    passages = retrieval.search(agency=agency_a, query="when are parks open?")
    assert passages[0].title == "Parks" and "dense" not in passages[0].signals
    assert passages[0].score == pytest.approx(2 / 61, abs=1e-6)  # first in both lists of the RRF, k = 60


def test_identical_documents_tie_break_by_upload_order(agency_a):
    """Documents with the same question and answer score exactly the same; the older one leads.
    (Bulk indexing orders versions by key: on a big table the database may return them in heap order, which
    made chunk ids, and so this tie-break, differ between loads of faq_eval.)"""
    payload = json.dumps([{"question": "When is the pool open?", "answer": "The pool opens at 9 a.m. daily."}])
    with agency_context(agency_a), disable_auditlog():
        documents = [
            services.document_create(
                agency=agency_a, actor=None, title=f"Pool {n}", content=payload, format="faq_json", queue=False
            )
            for n in range(3)
        ]
        versions = [document.versions.get() for document in documents]
        services.versions_index(agency=agency_a, version_ids=[v.pk for v in reversed(versions)])
        chunk_ids = [Chunk.objects.for_agency(agency_a).get(version=v).pk for v in versions]
        assert chunk_ids == sorted(chunk_ids)
        passages = retrieval.search(agency=agency_a, query="pool opening hours")
        # one result (identical passages are folded), led by the oldest, the others in upload order
        assert len(passages) == 1
        copies = [passages[0], *passages[0].also]
        assert len({tuple(sorted(p.signals.items())) for p in copies}) == 1  # exact ties on every signal
        assert passages[0].document_ids == [d.pk for d in documents]
