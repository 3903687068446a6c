"""What the (agency, closed_at) index on service requests buys, on the analytics bench's data.

    flock /work/bench.lock .venv/bin/python -m bench.analytics.closed_index

Needs the data of `bench.analytics.run` (its own database). Times, with the index and with it dropped
inside a transaction that is rolled back (so nothing changes), alternating with / without twice:
- today's live count of requests closed (what every dashboard and summary request does for today),
- one day's rollup rebuild of requests closed (what the beat refresh does per changed day),
- the SLA drill-down of the last 30 days (requests closed with an SLA in one category).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

RUNS = 15


class _Rollback(Exception):
    pass


def _timed(work) -> float:
    samples = []
    work()  # warm-up
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def main() -> None:
    from bench.analytics.run import env_setup

    env_setup()
    from django.db import connection, transaction

    from analytics.periods import period_parse
    from analytics.rollups.build import requests_closed_build
    from analytics.selectors.base import requests_with_sla_closed_in
    from tenants.context import agency_context
    from tenants.models import Agency

    big = Agency.objects.get(slug="big")
    with agency_context(big):
        period = period_parse(agency=big, params={})
        zone = period.zone
        today = dt.datetime.now(zone).date()
        midnight = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
        week_ago = midnight - dt.timedelta(days=7)
        category = requests_with_sla_closed_in(agency=big, period=period).values_list("category_id", flat=True)[0]
        work = {
            "today's requests closed, counted live": lambda: requests_closed_build(
                agency=big, zone=zone, since=midnight, until=midnight + dt.timedelta(days=1)
            ),
            "one day's rollup of requests closed (a week ago)": lambda: requests_closed_build(
                agency=big, zone=zone, since=week_ago, until=week_ago + dt.timedelta(days=1)
            ),
            "SLA drill-down, last 30 days, one category (count)": lambda: (
                requests_with_sla_closed_in(agency=big, period=period).filter(category_id=category).count()
            ),
        }
        results: dict[str, dict[str, list]] = {name: {"with": [], "without": []} for name in work}
        for _round in range(2):
            for name, job in work.items():
                results[name]["with"].append(_timed(job))
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute('DROP INDEX "request_agency_closed"')
                    for name, job in work.items():
                        results[name]["without"].append(_timed(job))
                    raise _Rollback
            except _Rollback:
                pass
    print("| query | with the index p50 / p95 ms | without p50 / p95 ms |\n|---|---|---|")
    for name, both in results.items():
        cells = [" · ".join(f"{p50:.1f} / {p95:.1f}" for p50, p95 in both[key]) for key in ("with", "without")]
        print(f"| {name} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
