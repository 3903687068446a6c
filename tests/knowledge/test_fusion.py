"""Ranking rules of hybrid retrieval (pure functions; the end-to-end MiniLM path is in test_commands)."""

import pytest

from knowledge import retrieval
from knowledge.retrieval import DensePairs, rrf, score_fusion


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


def test_score_fusion_missing_values_and_headless_chunks():
    # Chunk 7 has no heading vector: its passage cosine stands for both. Chunk 9 was found by full text
    # only: it gets each dense list's lowest returned cosine (an upper bound), never more.
    dense = DensePairs({7: (0.60, None), 8: (0.40, 0.50)}, floors=(0.40, 0.50))
    fused = score_fusion(dense, {9: 2.0}, body_weight=1.0, fts_bonus=0.15)
    assert fused[7] == pytest.approx(0.60)
    assert fused[9] == pytest.approx(0.45 + 0.15)
    assert score_fusion(dense, {}, body_weight=1.0, fts_bonus=0.15)[8] == pytest.approx(0.45)


def test_score_fusion_only_where_the_dense_model_is_used():
    # The lexical path (languages MiniLM does not know, or KNOWLEDGE_EMBEDDER=none) keeps rank fusion.
    assert retrieval.SearchConfig().fusion == "auto"
    assert retrieval.weights_for("de", dense_available=True)["dense"] == 0


def test_lexical_path_keeps_rank_fusion(agency_a, publish):
    publish(agency_a, title="Parks", content="Parks are open from dawn to dusk. Dogs must be on a leash.")
    passages = retrieval.search(agency=agency_a, query="when are parks open?")
    assert passages[0].title == "Parks" and "dense" not in passages[0].signals
    assert passages[0].score == pytest.approx(2 / 61, abs=1e-6)  # first in both lists of the RRF, k = 60
