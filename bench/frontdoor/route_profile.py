"""Where a routed question's time goes, stage by stage, on the data `route_latency.py --build-only` made.

    flock /work/bench.lock .venv/bin/python bench/frontdoor/route_profile.py [--threads 1]

The production functions are wrapped with timers (nothing else changes): the question's language, the pick of
the agencies searched in full (vocabulary pass + directory), the directory search, the question's embedding,
and inside each agency's search its statistics query, full-text list, dense list (HNSW or exact), lexical list
and the passages read back. With one search thread (the default here) the stages add up to the question's
time; reported per stage: mean and p95 ms per question, and the share of the total.
"""

import argparse
import collections
import functools
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from django.conf import settings  # noqa: E402

from bench.knowledge.bench_search import DATA, pct  # noqa: E402
from frontdoor import routing  # noqa: E402
from knowledge.evaluation import EvalSet  # noqa: E402
from knowledge.retrieval import pipeline  # noqa: E402
from tenants.models import Agency  # noqa: E402

HERE = Path(__file__).resolve().parent
_spent = threading.local()


def timed(module, name: str, label: str) -> None:
    original = getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            stages = getattr(_spent, "stages", None)
            if stages is not None:
                stages[label] += (time.perf_counter() - started) * 1000

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    settings.FRONTDOOR_SEARCH_THREADS = args.threads
    for module, name, label in [
        (routing, "detect_language", "language"),
        (routing, "_candidates", "pick agencies"),
        (routing, "directory_search", "directory"),
        (routing, "_question_vectors", "embed question"),
        (pipeline, "term_stats_generation", "search: word statistics"),
        (pipeline, "_fulltext_list", "search: full text"),
        (pipeline, "dense_pairs", "search: dense"),
        (pipeline, "lexical_list", "search: lexical"),
        (pipeline, "query_idf", "search: lexical"),
        (pipeline, "chunks_read", "search: read passages"),
        (routing.retrieval, "search", "search (whole)"),
    ]:
        timed(module, name, label)
    bench = Agency.objects.filter(slug__startswith="bench-").exclude(slug="bench-base")
    bench.update(is_active=True)
    try:
        questions = [json.loads(line)["q"] for line in (HERE / "questions.jsonl").read_text().splitlines() if line]
        questions += [q["query"] for q in EvalSet.load(DATA).queries[:60]]
        routing.route_question(question="warm up the models")
        per_stage: dict[str, list[float]] = collections.defaultdict(list)
        totals, searched = [], []
        for question in questions:
            _spent.stages = collections.defaultdict(float)
            started = time.perf_counter()
            route = routing.route_question(question=question)
            totals.append((time.perf_counter() - started) * 1000)
            searched.append(len(route.agencies))
            for label, ms in _spent.stages.items():
                per_stage[label].append(ms)
            _spent.stages = None
        total_mean = sum(totals) / len(totals)
        print(
            json.dumps(
                {
                    "active_agencies": Agency.objects.filter(is_active=True).count(),
                    "questions": len(questions),
                    "threads": args.threads,
                    "p50_ms": pct(totals, 0.5),
                    "p95_ms": pct(totals, 0.95),
                    "agencies_searched_mean": round(sum(searched) / len(searched), 2),
                }
            )
        )
        for label, values in sorted(per_stage.items(), key=lambda item: -sum(item[1])):
            values += [0.0] * (len(questions) - len(values))
            mean = sum(values) / len(values)
            print(f"{label:28} mean {mean:7.1f} ms  p95 {pct(values, 0.95):7.1f} ms  {100 * mean / total_mean:5.1f} %")
    finally:
        bench.update(is_active=False)


if __name__ == "__main__":
    main()
