"""Issue 19: English questions scored by two encoders at once, MiniLM (production) + the multilingual encoder
(USE-m3), whose vectors every chunk already has since the cross-language step (`Chunk.shared_embedding`,
`shared_heading_embedding`). Research helper; the official numbers are `manage.py eval_retrieval`.

    nice -n 10 .venv/bin/python bench/knowledge/ensemble_lab.py /work/shared/data/faq_eval/en --keep lab-en-ens

Loads the set once into a kept agency through the production pipeline (reused on the next run), fills the
shared-space vectors as the activation task does, then runs the production search (`knowledge.evaluation.
evaluate`) with its score fusion wrapped: each candidate's fused score (MiniLM heading/passage mean + 0.15 x
full text) gets `w x` the USE-m3 heading/passage mean of that chunk (exact cosines over the candidates
production already gathered; no new candidates). w = 0 is production. Per-document R@1 / R@5 / MRR@10 on the
whole set and on the halves by FAQ entry (stemming_lab.half); w is chosen on one half and reported on the other.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import stemming_lab

import knowledge.retrieval.pipeline as pipeline
from core.sql import agency_cursor
from knowledge.embedders import multilingual_embedder
from knowledge.evaluation import EvalSet, load_kb
from knowledge.retrieval import SearchConfig
from knowledge.shared_space import shared_vectors_fill
from tenants.context import agency_context


def shared_vectors(agency) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    with agency_context(agency):
        filled = shared_vectors_fill(agency=agency)
    if filled:
        print(f"filled shared-space vectors of {filled} chunks", flush=True)
    with agency_context(agency), agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT id, shared_embedding::text, COALESCE(shared_heading_embedding, shared_embedding)::text "
            "FROM knowledge_chunk WHERE agency_id = %s AND is_live",
            [agency.pk],
        )
        rows = cursor.fetchall()
    parse = lambda text: np.array(text.strip("[]").split(","), dtype=np.float32)  # noqa: E731
    return {row[0]: (parse(row[1]), parse(row[2])) for row in rows}


def wrapped(vectors: dict, weight: float, memo: dict):
    encoder = multilingual_embedder()
    original = pipeline.search_fuse

    def search_fuse(plan, gathered):
        fused = original(plan, gathered)
        if not weight or not fused:
            return fused
        if plan.query not in memo:
            memo[plan.query] = np.asarray(encoder.embed_query(plan.query), dtype=np.float32)
        q = memo[plan.query]
        out = {}
        for chunk_id, score in fused.items():
            body, head = vectors.get(chunk_id, (None, None))
            extra = 0.0 if body is None else float((body @ q + head @ q) / 2)
            out[chunk_id] = score + weight * extra
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
    parser.add_argument("--weights", default="0,0.25,0.5,0.75,1,1.5,2")
    args = parser.parse_args()
    evalset = EvalSet.load(Path(args.directory))
    loaded = stemming_lab.reuse(args.keep, evalset) or load_kb(evalset, slug=args.keep)
    print(f"{args.directory}: {loaded.chunks} live chunks, {len(evalset.queries)} queries", flush=True)
    vectors = shared_vectors(loaded.agency)
    memo: dict = {}
    print("| w (USE-m3 mean cosine added) | all R@1/R@5/MRR | half A | half B | refused |")
    results = {}
    for weight in (float(value) for value in args.weights.split(",")):
        with wrapped(vectors, weight, memo):
            result = stemming_lab.run(loaded, evalset.queries, SearchConfig())
        results[weight] = result
        print(stemming_lab.line(f"w = {weight}", result), flush=True)

    def best(half: str) -> float:
        return max(results, key=lambda w: (results[w][half]["mrr"], results[w][half]["r1"], -w))

    for tune, report in (("A", "B"), ("B", "A")):
        chosen = best(tune)
        print(
            f"tune {tune} -> w {chosen}: held-out {report} R@1 {results[chosen][report]['r1']:.3f} "
            f"MRR {results[chosen][report]['mrr']:.3f} (production {results[0.0][report]['r1']:.3f} / "
            f"{results[0.0][report]['mrr']:.3f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
