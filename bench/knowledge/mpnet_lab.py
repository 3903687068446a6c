"""Issue 19: all-mpnet-base-v2 (ONNX, from the five PyPI part packages; mpnet_onnx.py build) measured through the
production search on English (research helper; the official numbers are `manage.py eval_retrieval`).

    DEBUG=0 flock /work/bench.lock nice -n 10 .venv/bin/python bench/knowledge/mpnet_lab.py \
        /work/shared/data/faq_eval/en --keep lab-en-mpnet --onnx /tmp/mpnetonnx --variant fp32

Loads the set once into a kept agency through the production pipeline (reused on the next run), embeds every live
chunk's passage (the text the production index embeds) and heading with mpnet, caches those vectors in the --onnx
directory per variant, then runs `knowledge.evaluation.evaluate` (the production search) in these variants:

- `production`: untouched (MiniLM + full text 0.15);
- `mpnet dense only`: mpnet's exact cosines in place of MiniLM's dense lists (e5_lab.patched), no full text;
- `mpnet + full text b`: the same in production's English score fusion, full-text bonus b (a grid);
- `production + w x mpnet`: production's fused score of each candidate it gathered plus w x that chunk's mpnet
  heading/passage mean cosine (ensemble_lab's form; no new candidates; large w ≈ mpnet re-ranking production's
  candidates).

Per-document R@1 / R@5 / MRR@10 on the whole set and on halves by FAQ entry (stemming_lab.half); every grid
point is chosen on one half (MRR, then R@1) and reported on the other, and the two held-out halves are pooled
(weighted by their sizes) into one estimate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import stemming_lab
from e5_lab import E5Query, patched
from mpnet_onnx import MPNetOnnx

import knowledge.retrieval.pipeline as pipeline
from core.sql import agency_cursor
from knowledge.evaluation import EvalSet, evaluate, load_kb
from knowledge.indexing import embedding_text
from knowledge.retrieval import SearchConfig
from tenants.context import agency_context


def chunk_vectors(agency, model, cache: Path) -> dict:
    """Passage and heading vectors of every live chunk (identical texts embedded once), cached by chunk ids."""
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
    bodies = [embedding_text(row[1], row[2]) for row in rows]
    headings = [row[1] or row[2] for row in rows]
    unique = sorted(set(bodies) | set(headings))
    started = time.process_time()
    vectors = dict(zip(unique, model.passage(unique), strict=True))
    print(f"embedded {len(unique)} distinct texts of {len(rows)} chunks in {time.process_time() - started:.0f} s CPU")
    head = np.stack([vectors[text] for text in headings])
    data = {
        "ids": ids,
        "body": np.stack([vectors[text] for text in bodies]),
        "head_p": head,
        "head_q": head,  # mpnet takes no query/passage prefix
        "has_head": np.array([bool(row[1]) for row in rows]),
    }
    np.savez(cache, **data)
    return data


def ensemble(data: dict, shim: E5Query, weight: float):
    """Production's fusion + weight x the mpnet heading/passage mean cosine of each gathered candidate."""
    index = {int(chunk_id): i for i, chunk_id in enumerate(data["ids"])}
    body, head = data["body"], np.where(data["has_head"][:, None], data["head_p"], data["body"])
    original = pipeline.search_fuse

    def search_fuse(plan, gathered):
        fused = original(plan, gathered)
        if not weight or not fused:
            return fused
        q = np.asarray(shim.embed_query(plan.query), dtype=np.float32)
        out = {}
        for chunk_id, score in fused.items():
            i = index.get(chunk_id)
            out[chunk_id] = score if i is None else score + weight * float((body[i] @ q + head[i] @ q) / 2)
        return out

    class Patch:
        def __enter__(self):
            pipeline.search_fuse = search_fuse

        def __exit__(self, *exc):
            pipeline.search_fuse = original

    return Patch()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--keep", required=True)
    parser.add_argument("--onnx", required=True, help="the mpnet_onnx.py build directory")
    parser.add_argument("--variant", default="fp32", help="fp32, int8, int8x, int8xg (mpnet_onnx.py build)")
    parser.add_argument("--fts", default="0.05,0.1,0.15,0.2,0.3", help="full-text bonuses with mpnet's dense lists")
    parser.add_argument("--weights", default="0.25,0.5,1,2,4", help="ensemble weights of the mpnet cosine")
    args = parser.parse_args()
    model = MPNetOnnx(Path(args.onnx), args.variant, threads=1)
    evalset = EvalSet.load(Path(args.directory))
    loaded = stemming_lab.reuse(args.keep, evalset) or load_kb(evalset, slug=args.keep)
    print(f"{args.directory}: {loaded.chunks} live chunks, {len(evalset.queries)} queries", flush=True)
    data = chunk_vectors(loaded.agency, model, Path(args.onnx) / f"mpnet-{args.variant}-{args.keep}.npz")
    shim = E5Query(model)
    print("| variant | all R@1/R@5/MRR | half A | half B | refused |")
    results = {}

    def run(name, config, patch=None):
        rows: list = []
        if patch is None:
            evaluate(loaded=loaded, queries=evalset.queries, config=config, per_query=rows)
        else:
            with patch:
                evaluate(loaded=loaded, queries=evalset.queries, config=config, per_query=rows)
        result = {key: stemming_lab.metrics([r for r in rows if key == "all" or stemming_lab.half(r) == key])
                  for key in ("all", "A", "B")}  # fmt: skip
        results[name] = result
        print(stemming_lab.line(name, result), flush=True)

    dense_only = SearchConfig(fts_bonus=0.0)
    run("production", SearchConfig())
    run("production dense only", dense_only)
    run("mpnet dense only", dense_only, patched(data, shim, key="minilm", head="head_p"))
    fusion, mixed = [], []
    for bonus in (float(value) for value in args.fts.split(",")):
        name = f"mpnet + full text {bonus}"
        run(name, SearchConfig(fts_bonus=bonus), patched(data, shim, key="minilm", head="head_p"))
        fusion.append(name)
    for weight in (float(value) for value in args.weights.split(",")):
        name = f"production + {weight} x mpnet"
        run(name, SearchConfig(), ensemble(data, shim, weight))
        mixed.append(name)
    for family, names in (("mpnet fusion", fusion), ("ensemble", mixed), ("either", fusion + mixed)):
        held = {}
        for tune_on, report_on in (("A", "B"), ("B", "A")):
            best = max(names, key=lambda name: (results[name][tune_on]["mrr"], results[name][tune_on]["r1"]))
            held[report_on] = results[best][report_on]
            print(f"{family}: tuned on {tune_on} -> {best}; held out {report_on} {results[best][report_on]}")
        n = held["A"]["n"] + held["B"]["n"]
        pooled = {
            k: round((held["A"][k] * held["A"]["n"] + held["B"][k] * held["B"]["n"]) / n, 3) for k in ("r1", "mrr")
        }
        base = results["production"]
        print(
            f"{family}: held-out estimate R@1 {pooled['r1']:.3f} / MRR {pooled['mrr']:.3f} "
            f"(production {base['all']['r1']:.3f} / {base['all']['mrr']:.3f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
