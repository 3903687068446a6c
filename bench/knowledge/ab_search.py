"""A/B of `retrieval.search`: another version of the code (a copy of an earlier retrieval module, e.g.
`git show <rev>:knowledge/retrieval.py > /tmp/before.py`) against the working tree's, in one process on
the same data. Checks that both give identical passages (every field, every score) over faq_eval/en in
several configurations, both audiences, other languages and crisis mode; reports eval_retrieval's metrics
at full precision for both, and the latency of both, each question timed with both versions back to back.

    .venv/bin/python bench/knowledge/ab_search.py /tmp/before.py [--eval-only] [--agencies 3] [--chunks 20000]
        [--rounds 2] [--keep]

1. Loads faq_eval/en into a throwaway agency (as eval_retrieval does): exact search / in-memory vectors.
2. Unless --eval-only: bench_search.py's generated agencies; agency 0 (20k chunks) is searched by HNSW.
"""

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
sys.path.insert(0, ROOT)
sys.path.insert(0, f"{ROOT}/bench/knowledge")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")
import bench_search as B  # noqa: E402  (django.setup)
from django.db import transaction  # noqa: E402

from knowledge import evaluation  # noqa: E402
from knowledge import retrieval as new  # noqa: E402
from knowledge.models import Document  # noqa: E402
from tenants.context import agency_context  # noqa: E402

BEFORE = next((arg for arg in sys.argv[1:] if arg.endswith(".py")), None)
if BEFORE is None:
    sys.exit(__doc__)
spec = importlib.util.spec_from_file_location("knowledge._retrieval_before", BEFORE)
old = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = old
spec.loader.exec_module(old)
MODULES = (("before", old), ("after", new))

EXTRA = [
    "Wann wird der Müll abgeholt?",
    "¿Cuándo recogen la basura?",
    "垃圾哪天收？",  # noqa: RUF001
    "Как получить паспорт?",
    "",
    "   ",
    "the the the",
    "x" * 3000,
]
CONFIGS = [
    None,
    new.SearchConfig(fusion="rrf"),
    new.SearchConfig(fts="bm25"),
    new.SearchConfig(fts="rank", fusion="score"),
    new.SearchConfig(weights={"dense": 1.0, "fts": 1.0, "lexical": 1.0}),
    new.SearchConfig(weights={"dense": 0.0, "fts": 1.0, "lexical": 1.0}),
]


def pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 2)


def identical(agency, queries, audience, config=None, limit=8, language=None):
    mismatches = 0
    for query in queries:
        kwargs = {"agency": agency, "query": query, "audience": audience, "config": config, "limit": limit}
        kwargs["language"] = language
        if old.search(**kwargs) != new.search(**kwargs):
            mismatches += 1
            print("MISMATCH", agency.slug, audience, config, limit, repr(query[:60]), flush=True)
    return mismatches


def identity_suite(agency, queries):
    count = checked = 0
    with agency_context(agency):
        for audience in ("public", "staff"):
            for config in CONFIGS:
                count += identical(agency, queries + EXTRA, audience, config)
                checked += len(queries) + len(EXTRA)
            count += identical(agency, queries, audience, limit=3)
            count += identical(agency, queries, audience, limit=60, language="es")
            checked += 2 * len(queries)
        with transaction.atomic():  # crisis mode: a tenth of the documents flagged, rolled back afterwards
            ids = list(Document.objects.for_agency(agency).order_by("pk").values_list("pk", flat=True))[::10]
            Document.objects.for_agency(agency).filter(pk__in=ids).update(is_crisis=True)
            agency.crisis_mode = True
            try:
                for audience in ("public", "staff"):
                    count += identical(agency, queries + EXTRA, audience)
                    checked += len(queries) + len(EXTRA)
            finally:
                agency.crisis_mode = False
                transaction.set_rollback(True)
    return count, checked


def metrics(loaded, queries, module):
    evaluation.retrieval = module
    try:
        r1 = r5 = mrr = 0.0
        latencies = []
        with agency_context(loaded.agency):
            for item in queries:
                relevant = set(item.get("relevant") or [])
                started = time.perf_counter()
                ranked = evaluation.rank_documents(loaded=loaded, query=item["query"], language=item.get("lang"))
                latencies.append(1000 * (time.perf_counter() - started))
                r1 += bool(ranked) and bool(ranked[0] & relevant)
                r5 += any(entries & relevant for entries in ranked[:5])
                mrr += next((1 / rank for rank, entries in enumerate(ranked[:10], 1) if entries & relevant), 0.0)
        n = len(queries)
        return {"recall@1": r1 / n, "recall@5": r5 / n, "mrr@10": mrr / n, "n": n}, latencies
    finally:
        evaluation.retrieval = new


def timing(agency, queries, audience, rounds):
    times = {"before": [], "after": []}
    with agency_context(agency):
        for _label, module in MODULES:
            module.search(agency=agency, query="warm up", audience=audience)
        for round_ in range(rounds):
            # per question, both versions back to back (order alternating): load changes hit both alike
            for index, query in enumerate(queries):
                pair = MODULES if (index + round_) % 2 == 0 else MODULES[::-1]
                for label, module in pair:
                    started = time.perf_counter()
                    module.search(agency=agency, query=query, audience=audience)
                    times[label].append(1000 * (time.perf_counter() - started))
    return {
        k: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "mean": round(statistics.mean(v), 2)} for k, v in times.items()
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("before", help="the other version's retrieval module (a .py file)")
    parser.add_argument("--eval-only", action="store_true")
    parser.add_argument("--agencies", type=int, default=3)
    parser.add_argument("--chunks", type=int, default=20000)
    parser.add_argument("--data", default=B.DATA)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--all-indexes", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    evalset = evaluation.EvalSet.load(args.data)
    queries = [q["query"] for q in evalset.queries]
    print("env KNOWLEDGE_DENSE_LANGUAGES =", os.environ.get("KNOWLEDGE_DENSE_LANGUAGES"), flush=True)
    # 1. eval_retrieval's own KB (a throwaway agency loaded through the pipeline): metrics and identity.
    loaded = evaluation.load_kb(evalset)
    try:
        print(f"eval KB: {loaded.chunks} live chunks", flush=True)
        lat = {"before": [], "after": []}
        for _ in range(2):
            for label, module in MODULES:
                result, latencies = metrics(loaded, evalset.queries, module)
                lat[label] += latencies
                print(json.dumps({"eval": label, **result}), flush=True)
        for label, values in lat.items():
            print(json.dumps({"eval_latency_ms": label, "p50": pct(values, 0.5), "p95": pct(values, 0.95)}), flush=True)
        mismatches, checked = identity_suite(loaded.agency, queries)
        print(json.dumps({"identity": "eval KB", "searches": checked, "mismatches": mismatches}), flush=True)
        for audience in ("public", "staff"):
            print(
                json.dumps(
                    {"agency": "eval KB", "audience": audience, **timing(loaded.agency, queries, audience, args.rounds)}
                ),
                flush=True,
            )
    finally:
        evaluation.drop_kb(loaded)
    if args.eval_only:
        return
    # 2. bench_search's data: agency 0 has 20k chunks among the bench agencies, searched by HNSW.
    _evalset, agencies = B.build(args)
    B.ensure_indexes(agencies, args.all_indexes)
    mismatches, checked = identity_suite(agencies[0], queries)
    print(json.dumps({"identity": agencies[0].slug, "searches": checked, "mismatches": mismatches}), flush=True)
    for audience in ("public", "staff"):
        print(
            json.dumps(
                {
                    "agency": agencies[0].slug,
                    "audience": audience,
                    **timing(agencies[0], queries, audience, args.rounds),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
