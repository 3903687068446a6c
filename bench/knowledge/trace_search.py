"""Steady-state search latency by audience, with every SQL statement timed (issue 13's staff-search check).

    PYTHONPATH=. DEBUG=0 .venv/bin/python bench/knowledge/trace_search.py

Runs in a tree that has bench_search.py's kept agencies (`bench_search.py --generator distinct --agencies 1
--keep`). Asks the eval set's 113 questions four times (public, staff, public, staff), after one warm-up, and
prints each pass's end-to-end p50 / p95, the process's CPU per search, and per statement kind: count, total,
mean and p95 (ms). Works in the wave-1 tree too (42daec5, which has no `cross_agency`).
"""

import collections
import re
import sys
import time

sys.argv = [sys.argv[0]]
from django.db import connection  # noqa: E402

from bench.knowledge import bench_search as bs  # noqa: E402 - sets Django up
from knowledge import retrieval  # noqa: E402
from knowledge.evaluation import EvalSet  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

try:
    from tenants.context import cross_agency
except ImportError:  # the wave-1 tree: no row-level security, no cross-agency view
    import contextlib

    def cross_agency(reason=""):
        return contextlib.nullcontext()


def statement_kind(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"\[[-0-9.e,]+\]", "[v]", sql)
    return re.sub(r"\b\d+\b", "N", sql)[:110]


def main():
    queries = [q["query"] for q in EvalSet.load(bs.DATA).queries]
    with cross_agency(reason="bench: find bench_search.py's kept agency"):
        prefix = bs.GENERATORS["distinct"]["prefix"]
        agency = Agency.objects.filter(slug__startswith=prefix).order_by("slug").first()
    print("agency", agency.slug, agency.pk)
    for audience in ("public", "staff", "public", "staff"):
        per, total, cpu = collections.defaultdict(list), [], []

        def timed(execute, sql, params, many, context, per=per):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                per[statement_kind(sql)].append(1000 * (time.perf_counter() - started))

        with agency_context(agency), connection.execute_wrapper(timed):
            retrieval.search(agency=agency, query="warm up", audience=audience)
            per.clear()
            for query in queries:
                wall, clock = time.perf_counter(), time.process_time()
                retrieval.search(agency=agency, query=query, audience=audience)
                total.append(1000 * (time.perf_counter() - wall))
                cpu.append(1000 * (time.process_time() - clock))
        total.sort()
        print(
            f"== {audience}: p50 {total[len(total) // 2]:.1f} p95 {total[int(len(total) * 0.95)]:.1f} ms, "
            f"python CPU mean {sum(cpu) / len(cpu):.1f} ms"
        )
        for kind, values in sorted(per.items(), key=lambda item: -sum(item[1])):
            ordered = sorted(values)
            print(
                f"   n={len(values):4d} sum={sum(values):7.0f} mean={sum(values) / len(values):6.2f} "
                f"p95={ordered[int(len(ordered) * 0.95)]:6.2f}  {kind}"
            )


if __name__ == "__main__":
    main()
