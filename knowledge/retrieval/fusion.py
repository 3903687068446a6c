"""Fusing the candidate lists into one score per chunk: reciprocal rank fusion, or the dense cosines kept
as scores with bounded bonuses for full text (and lexical vectors in the multilingual space)."""

from __future__ import annotations

from knowledge.retrieval.vectors import DensePairs


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
