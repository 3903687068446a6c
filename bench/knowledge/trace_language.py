"""Where a German search's time goes in language_filter.py's `lf-big` agency (issue 19), every SQL statement timed.

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/trace_language.py \
        [--passes 2] [--language de|en]

Runs in a tree that has `language_filter.py --keep`'s agencies. Asks faq_eval/<language>'s questions (public, that
language; de: 107, en: 113) `--passes` times after one warm-up, without prepared statements (as language_filter.py) and without the
query cache, and prints each pass's end-to-end p50 / p95 and per statement kind: count, total, mean and p95 (ms);
then EXPLAIN ANALYZE of the slowest statement of each of the two costliest kinds, under the `hnsw.ef_search` it
ran with.
"""

import argparse
import collections
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django
from django.conf import settings

django.setup()
settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from django.db import connection, transaction  # noqa: E402

from knowledge import retrieval  # noqa: E402
from knowledge.evaluation import EvalSet  # noqa: E402
from tenants.context import agency_context, cross_agency  # noqa: E402
from tenants.models import Agency  # noqa: E402

DATA = Path("/work/shared/data/faq_eval")


def statement_kind(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"\[[-0-9.e,]+\]", "[v]", sql)
    return re.sub(r"\b\d+\b", "N", sql)[:130]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--language", default="de", choices=("de", "en"))
    args = parser.parse_args()
    questions = [q["query"] for q in EvalSet.load(DATA / args.language).queries]
    with cross_agency(reason="bench: find language_filter.py's kept agency"):
        agency = Agency.objects.get(slug="lf-big")
    print("agency", agency.slug, agency.pk, "load", os.getloadavg())
    slowest, totals, beam = {}, collections.Counter(), ["40"]
    for number in range(args.passes):
        per, total = collections.defaultdict(list), []

        def timed(execute, sql, params, many, context, per=per):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                ms = 1000 * (time.perf_counter() - started)
                kind = statement_kind(sql)
                per[kind].append(ms)
                totals[kind] += ms
                if "set_config('hnsw.ef_search'" in sql:
                    beam[0] = str(params[0])
                elif ms > slowest.get(kind, (0.0,))[0]:
                    slowest[kind] = (ms, sql, params, beam[0])

        with agency_context(agency), connection.execute_wrapper(timed):
            retrieval.search(agency=agency, query="Wie beantrage ich das?", audience="public", language=args.language)
            per.clear()
            for query in questions:
                wall = time.perf_counter()
                retrieval.search(agency=agency, query=query, audience="public", language=args.language, limit=10)
                total.append(1000 * (time.perf_counter() - wall))
        total.sort()
        print(f"== pass {number + 1}: p50 {total[len(total) // 2]:.1f} p95 {total[int(len(total) * 0.95)]:.1f} ms")
        for kind, values in sorted(per.items(), key=lambda item: -sum(item[1])):
            ordered = sorted(values)
            print(
                f"   n={len(values):4d} sum={sum(values):7.0f} mean={sum(values) / len(values):6.2f} "
                f"p95={ordered[int(len(ordered) * 0.95)]:6.2f}  {kind}"
            )
    for kind, _ in totals.most_common(2):
        ms, sql, params, ef_search = slowest[kind]
        print(f"== slowest {ms:.1f} ms (hnsw.ef_search {ef_search}): {kind}")
        with agency_context(agency), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [ef_search])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            for (line,) in cursor.fetchall():
                print("   ", re.sub(r"\[[-0-9.e,]+\]", "[v]", line))


if __name__ == "__main__":
    main()
