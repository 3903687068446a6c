"""Front-door routing latency with many agencies: 20 agencies of 5,000 public passages each next to the demo.

    nice -n 10 .venv/bin/python bench/frontdoor/route_latency.py --build-only   # once: the data, niced
    flock /work/bench.lock .venv/bin/python bench/frontdoor/route_latency.py --keep [--agencies 20] [--chunks 5000]

The bench agencies are generated as in bench/knowledge/bench_search.py (the faq_eval/en knowledge base
loaded through the production pipeline, then 5,000 chunks per agency made in SQL from pairs of its chunks,
each agency with its partial HNSW indexes), made active for the run, and deleted afterwards. Every question
of bench/frontdoor/questions.jsonl and 60 of faq_eval/en's is routed with the production
`routing.route_question` (all agencies active: the demo's and the bench's); reported: p50/p95/max end to
end, including the question's embedding (the query cache is off).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from django.db import connection  # noqa: E402

from bench.knowledge.bench_search import DATA, build, ensure_indexes, pct  # noqa: E402
from frontdoor import routing  # noqa: E402
from tenants.models import Agency  # noqa: E402
from tenants.services import delete_agency  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--chunks", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the bench agencies for the next run")
    parser.add_argument(
        "--build-only", action="store_true", help="make the bench agencies and their indexes (niced), measure nothing"
    )
    parser.add_argument(
        "--answer-search",
        action="store_true",
        help="search as for an answer (no routing.SEARCH_OVERRIDES): the baseline",
    )
    args = parser.parse_args()
    if args.answer_search:
        routing.SEARCH_OVERRIDES = {}
    args.data, args.all_indexes = DATA, True
    evalset, agencies = build(args)
    if args.build_only:
        ensure_indexes(agencies, True)
        return
    try:
        ensure_indexes(agencies, True)
        Agency.objects.filter(pk__in=[a.pk for a in agencies]).update(is_active=True)
        active = Agency.objects.filter(is_active=True).count()
        questions = [json.loads(line)["q"] for line in (HERE / "questions.jsonl").read_text().splitlines() if line]
        questions += [q["query"] for q in evalset.queries[:60]]
        routing.route_question(question="warm up the models")  # loads the encoders once, as a server at start
        times, searched = [], []
        for question in questions:
            started = time.perf_counter()
            route = routing.route_question(question=question)
            times.append((time.perf_counter() - started) * 1000)
            searched.append(len(route.agencies))
        print(
            json.dumps(
                {
                    "active_agencies": active,
                    "search_overrides": routing.SEARCH_OVERRIDES,
                    "search_threads": routing._search_threads(),
                    "questions": len(questions),
                    "p50_ms": pct(times, 0.5),
                    "p95_ms": pct(times, 0.95),
                    "max_ms": round(max(times), 1),
                    "agencies_searched_mean": round(sum(searched) / len(searched), 2),
                }
            ),
            flush=True,
        )
    finally:
        Agency.objects.filter(pk__in=[a.pk for a in agencies]).update(is_active=False)
        if not args.keep:
            for agency in [*agencies, Agency.objects.filter(slug="bench-base").first()]:
                if agency is not None:
                    delete_agency(agency, reason="bench/frontdoor/route_latency.py's agencies", audit_trail="purge")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) knowledge_chunk")


if __name__ == "__main__":
    main()
