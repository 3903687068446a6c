"""Cross-validated choice of the fusion rule (research helper; the official number is eval_retrieval).

    KNOWLEDGE_EMBEDDER=minilm .venv/bin/python bench/knowledge/fusion_cv.py /work/shared/data/faq_eval/en qlab

Loads the KB once into a kept agency (or reuses it), reads every live chunk's passage and heading vectors
and each query's MiniLM vector and full-text list (production code), then simulates at chunk level, exactly
as `retrieval.search` ranks (dense lists of depth 100 per column, full text depth 100, documents by best
passage): RRF k=60 (the previous default) against score fusion
`(heading + w * passage cosine) / (1 + w) + bonus * fts / max fts` over a grid of w and bonus.

Cross-validation: the 113 queries ask about only 43 distinct FAQs, so queries are split by relevant FAQ
(not by query) into halves; the grid point with the best MRR@10 on one half is scored on the other half.
"""

import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as the process that searches would at start

from bench.knowledge.variants import reuse  # noqa: E402
from knowledge import retrieval  # noqa: E402
from knowledge.embedders import dense_embedder  # noqa: E402
from knowledge.evaluation import EvalSet, load_kb  # noqa: E402
from knowledge.models import Chunk  # noqa: E402
from knowledge.text import query_terms  # noqa: E402
from tenants.context import agency_context  # noqa: E402

DEPTH = 100


def collect(directory, slug):
    evalset = EvalSet.load(directory)
    loaded = reuse(slug, evalset) or load_kb(evalset, slug=slug)
    agency = loaded.agency
    with agency_context(agency):
        rows = list(
            Chunk.objects.for_agency(agency)
            .filter(is_live=True)
            .order_by("pk")
            .values_list("pk", "document_id", "embedding", "heading_embedding")
        )
        embedder = dense_embedder()
        vectors, fts = [], []
        for item in evalset.queries:
            terms = query_terms(item["query"], item.get("lang") or "en")
            dfs, _total = retrieval.term_stats(agency=agency, terms=terms)
            fts.append(
                retrieval.fts_list(agency=agency, terms=terms, audience="staff", depth=DEPTH, dfs=dfs, budget=1000)
            )
            vectors.append(embedder.embed_query(item["query"]))
    ids = np.array([row[0] for row in rows])
    entry = [loaded.doc_to_entry[row[1]] for row in rows]
    body = np.array([row[2] for row in rows], dtype=np.float32)
    head = np.array([row[3] for row in rows], dtype=np.float32)
    q = np.array(vectors, dtype=np.float32)
    position = {int(pk): n for n, pk in enumerate(ids)}
    fts = [{position[pk]: score for pk, score in found.items()} for found in fts]
    return evalset.queries, ids, entry, q @ body.T, q @ head.T, fts


def main():
    queries, ids, entry, body, head, fts = collect(sys.argv[1], sys.argv[2])
    n = len(queries)
    relevant = [set(item["relevant"]) for item in queries]

    def ordered(scores):
        return sorted(scores, key=lambda j: (-scores[j], ids[j]))

    def documents(scores):
        ranked = []
        for j in ordered(scores)[:60]:
            if entry[j] not in ranked:
                ranked.append(entry[j])
        return ranked[:10]

    def top(row):
        return {int(j): float(row[j]) for j in np.argsort(-row, kind="stable")[:DEPTH]}

    lists = [(top(body[i]), top(head[i]), fts[i]) for i in range(n)]

    def rrf_rank(i):
        b, h, t = lists[i]
        dense = {j: max(b.get(j, -2.0), h.get(j, -2.0)) for j in b.keys() | h.keys()}
        fused = {}
        for scores in (dense, t):
            for rank, j in enumerate(ordered(scores), 1):
                fused[j] = fused.get(j, 0.0) + 1 / (60 + rank)
        return documents(fused)

    def score_rank(i, w, bonus):
        b, h, t = lists[i]
        floor_b, floor_h = min(b.values()), min(h.values())
        best = max(t.values(), default=0.0)
        fused = {}
        for j in b.keys() | h.keys() | t.keys():
            known = j in b or j in h
            hb = float(head[i, j]) if known else floor_h
            bb = float(body[i, j]) if known else floor_b
            fused[j] = (hb + w * bb) / (1 + w) + bonus * (t.get(j, 0.0) / best if best > 0 else 0.0)
        return documents(fused)

    def metrics(rankings, selection):
        r1 = r5 = mrr = 0.0
        for i in selection:
            ranked = rankings[i]
            r1 += bool(ranked) and ranked[0] in relevant[i]
            r5 += any(d in relevant[i] for d in ranked[:5])
            mrr += next((1 / p for p, d in enumerate(ranked, 1) if d in relevant[i]), 0.0)
        return np.array([r1, r5, mrr]) / len(selection)

    everyone = range(n)
    baseline = [rrf_rank(i) for i in everyone]
    grid = [(w, bonus) for w in (0.5, 0.7, 1.0) for bonus in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)]
    rankings = {point: [score_rank(i, *point) for i in everyone] for point in grid}
    print("RRF k=60 (previous default):", metrics(baseline, everyone).round(3))
    for point in grid:
        print(
            f"score fusion passage weight {point[0]}, full-text bonus {point[1]}:",
            metrics(rankings[point], everyone).round(3),
        )
    groups = np.array([sorted(r)[0] for r in relevant])
    distinct = np.unique(groups)
    rng = np.random.default_rng(7)
    chosen, base, picks = [], [], {}
    for _ in range(300):
        train_groups = rng.permutation(distinct)[: len(distinct) // 2]
        train = np.nonzero(np.isin(groups, train_groups))[0]
        test = np.nonzero(~np.isin(groups, train_groups))[0]
        best = max(grid, key=lambda point: tuple(metrics(rankings[point], train)[[2, 0]]))
        picks[best] = picks.get(best, 0) + 1
        chosen.append(metrics(rankings[best], test))
        base.append(metrics(baseline, test))
    chosen, base = np.array(chosen), np.array(base)
    diff = chosen - base
    print(
        f"CV over {len(distinct)} FAQs, 300 half splits: chosen-on-train, on held-out half R@1/R@5/MRR {chosen.mean(0).round(3)}"
    )
    print(
        f"  RRF on the same halves {base.mean(0).round(3)}; gain R@1 {diff[:, 0].mean():+.3f} (>0 in {np.mean(diff[:, 0] > 0):.0%})"
        f", MRR {diff[:, 2].mean():+.3f} (>0 in {np.mean(diff[:, 2] > 0):.0%})"
    )
    print("  picks:", json.dumps({f"{w}/{b}": c for (w, b), c in sorted(picks.items(), key=lambda kv: -kv[1])[:6]}))


if __name__ == "__main__":
    main()
