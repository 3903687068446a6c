"""Search latency with and without row-level security, on the `chatbench` agency (bench/chat/seed_kb.py).

    .venv/bin/python bench/knowledge/search_rls.py [--queries 300] [--rls on|off]

A smaller variant of bench_search.py: the production `retrieval.search` (public audience, query embedding
included) over the FAQ set's varied questions, p50/p95 in ms. `--rls off` runs as before row-level security:
connected as the tables' owner (the embedded superuser, exempt from the policies) without tenants.rls's
per-transaction `set_config`. Run both modes alternately in one session to compare (bench/README.md).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "chat"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")  # every query embedded and searched afresh
RLS_OFF = "--rls=off" in sys.argv or "--rls off" in " ".join(sys.argv)
if RLS_OFF and not os.environ.get("DATABASE_URL"):
    from portal import embedded

    os.environ["DATABASE_URL"] = embedded.ensure_services(need_database=True, need_redis=False).database_owner_url

import django  # noqa: E402

django.setup()
if RLS_OFF:
    from django.db.backends.signals import connection_created

    connection_created.disconnect(dispatch_uid="tenants.rls.install")

from core.process import tune  # noqa: E402

tune(serves_sockets=False)

import load  # noqa: E402  (bench/chat/load.py)

from knowledge import retrieval  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rls", choices=["on", "off"], default="on")
    args = parser.parse_args()
    agency = Agency.objects.get(slug="chatbench")
    rng = random.Random(args.seed)
    pool = load.faq_questions()
    queries = [load.vary(rng.choice(pool), rng) for _ in range(args.queries)]
    with agency_context(agency):
        for query in queries[:20]:
            retrieval.search(agency=agency, query=query, audience="public")
        times, found = [], 0
        for query in queries:
            started = time.perf_counter()
            found += bool(retrieval.search(agency=agency, query=query, audience="public"))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"search (rls {args.rls}): {len(times)} queries, p50 {times[len(times) // 2]:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms, mean {sum(times) / len(times):.1f} ms, with results {found}"
    )


if __name__ == "__main__":
    main()
