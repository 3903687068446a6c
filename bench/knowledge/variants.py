"""Compare retrieval variants on one loaded KB (research helper; the official number is eval_retrieval).

    KNOWLEDGE_EMBEDDER=minilm .venv/bin/python bench/knowledge/variants.py /work/shared/data/faq_eval/en [--keep SLUG]

With --keep the throwaway agency is kept (or reused if it exists) so repeated runs skip loading.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as the process that searches would at start

from knowledge.evaluation import EvalSet, LoadedKB, drop_kb, evaluate, load_kb  # noqa: E402
from knowledge.models import Chunk, Document  # noqa: E402
from knowledge.retrieval import SearchConfig  # noqa: E402
from tenants.models import Agency  # noqa: E402


def reuse(slug: str, evalset: EvalSet) -> LoadedKB | None:
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        return None
    by_title = {}
    for entry in evalset.kb:
        by_title.setdefault(((entry.get("title") or "").strip() or entry["text"][:80])[:300], entry["id"])
    docs = Document.objects.for_agency(agency).values_list("pk", "title")
    doc_to_entry = {}
    # Documents were created in KB order: map by creation order (titles can repeat).
    ordered = sorted(docs)
    for (pk, _title), entry in zip(ordered, evalset.kb, strict=False):
        doc_to_entry[pk] = entry["id"]
    chunks = Chunk.objects.for_agency(agency).filter(is_live=True).count()
    return LoadedKB(agency, doc_to_entry, 0.0, chunks)


VARIANTS = {
    "default (language-gated)": SearchConfig(),
    "dense+fts RRF k=60 (default before score fusion)": SearchConfig(fusion="rrf"),
    "score fusion, full-text bonus 0.10": SearchConfig(fts_bonus=0.10),
    "score fusion, full-text bonus 0.20": SearchConfig(fts_bonus=0.20),
    "score fusion, passage weight 0.7": SearchConfig(body_weight=0.7),
    "score fusion, IDF full text": SearchConfig(fts="bm25"),
    "dense only (mean of heading and passage cosines)": SearchConfig(fts_bonus=0.0),
    "dense+fts, IDF full text": SearchConfig(weights={"dense": 1, "lexical": 0, "fts": 1}, fts="bm25"),
    "dense+fts, ts_rank full text": SearchConfig(weights={"dense": 1, "lexical": 0, "fts": 1}, fts="rank"),
    "default, no candidate pruning": SearchConfig(fts_candidate_budget=0),
    "default, candidate budget 500 rows": SearchConfig(fts_candidate_budget=500),
    "default, candidate budget 1000 rows": SearchConfig(fts_candidate_budget=1000),
    "lexical+fts IDF, no pruning": SearchConfig(
        weights={"dense": 0, "lexical": 1, "fts": 1}, fts="bm25", fts_candidate_budget=0
    ),
    "lexical+fts IDF, budget 500": SearchConfig(
        weights={"dense": 0, "lexical": 1, "fts": 1}, fts="bm25", fts_candidate_budget=500
    ),
    "lexical+fts IDF, budget 1000": SearchConfig(
        weights={"dense": 0, "lexical": 1, "fts": 1}, fts="bm25", fts_candidate_budget=1000
    ),
    "dense+fts+lexical": SearchConfig(weights={"dense": 1, "lexical": 1, "fts": 1}),
    "dense+fts+lexical/2": SearchConfig(weights={"dense": 1, "lexical": 0.5, "fts": 1}),
    "lexical+fts IDF (non-English path)": SearchConfig(weights={"dense": 0, "lexical": 1, "fts": 1}, fts="bm25"),
    "lexical+fts ts_rank": SearchConfig(weights={"dense": 0, "lexical": 1, "fts": 1}, fts="rank"),
    "dense only": SearchConfig(weights={"dense": 1, "lexical": 0, "fts": 0}),
    "lexical only": SearchConfig(weights={"dense": 0, "lexical": 1, "fts": 0}),
    "fts only (IDF)": SearchConfig(weights={"dense": 0, "lexical": 0, "fts": 1}, fts="bm25"),
    "fts only (ts_rank)": SearchConfig(weights={"dense": 0, "lexical": 0, "fts": 1}, fts="rank"),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--keep", default=None)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    evalset = EvalSet.load(args.directory)
    loaded = reuse(args.keep, evalset) if args.keep else None
    if loaded is None:
        loaded = load_kb(evalset, slug=args.keep)
        print(f"loaded in {loaded.seconds:.1f}s {loaded.timings}, {loaded.chunks} chunks", flush=True)
    try:
        for name, config in VARIANTS.items():
            if args.only and name not in args.only:
                continue
            started = time.monotonic()
            result = evaluate(loaded=loaded, queries=evalset.queries, config=config)
            print(f"{name:40s} {json.dumps(result)} {time.monotonic() - started:.1f}s", flush=True)
    finally:
        if not args.keep:
            drop_kb(loaded)


if __name__ == "__main__":
    main()
