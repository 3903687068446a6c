"""Replay the LA MyLA311 file (10,000 requests) through Open311 POST with the routing tasks running.

    .venv/bin/python bench/requests/replay_open311.py [--web-workers 2] [--celery 1] [--concurrency 16]

Measures accepted requests per second at the HTTP level (first request sent → last answer received),
then waits until Celery has routed every accepted non-duplicate request, and checks that the number
of rows in the database equals the number accepted.
"""

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.requests.common import DATA, bench_env, django_setup, http_request, percentile, run_load, start_stack

SLUG = "bench-la"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def setup_agency(rows: list[dict]) -> tuple[str, dict[str, str]]:
    from django.db import connections

    from requests_app.models import ServiceCategory
    from requests_app.services import api_key_issue
    from tenants.context import agency_context
    from tenants.models import Agency, Department

    agency, _ = Agency.objects.get_or_create(
        slug=SLUG, defaults={"name": "Bench: City of Los Angeles", "timezone": "America/Los_Angeles"}
    )
    # Start from an empty agency: the replay must be measured on an empty table each run.
    with connections["owner"].cursor() as cursor:  # the owner: every row, and DDL
        for table in ("notification", "follower", "statusevent", "requestphoto", "servicerequest"):
            cursor.execute(f"DELETE FROM requests_app_{table} WHERE agency_id = %s", [agency.pk])  # noqa: S608
        cursor.execute(f"DROP SEQUENCE IF EXISTS refseq_requests_{agency.pk}_{time.gmtime().tm_year}")  # numbers from 1
    codes = {}
    with agency_context(agency):
        departments = {}
        for slug, name in [
            ("sanitation", "LA Sanitation"),
            ("streets", "Street Services"),
            ("lighting", "Street Lighting"),
        ]:
            departments[slug], _ = Department.objects.get_or_create(
                agency=agency, slug=slug, defaults={"name": name, "email": f"{slug}@la.bench.test"}
            )
        for kind in sorted({row["requesttype"] for row in rows}):
            department = departments[
                "lighting" if "Streetlight" in kind else "streets" if "Graffiti" in kind else "sanitation"
            ]
            category, _ = ServiceCategory.objects.get_or_create(
                agency=agency, code=slugify(kind), defaults={"name": kind, "department": department, "sla_hours": 72}
            )
            codes[kind] = category.code
        _key, raw = api_key_issue(agency=agency, name=f"bench {time.time()}")
    return raw, codes


def build_requests(rows: list[dict], key: str, codes: dict[str, str]) -> list[bytes]:
    requests = []
    for row in rows:
        fields = {
            "jurisdiction_id": SLUG,
            "api_key": key,
            "service_code": codes[row["requesttype"]],
            "description": f"{row['requesttype']}: {row['actiontaken']} ({row['requestsource']})",
            "address_string": row["address"],
            "zipcode": row["zipcode"],
            "device_id": row["mobileos"] and f"{row['mobileos']}-{row['srnumber']}",
        }
        if row["latitude"] and row["longitude"]:
            fields["lat"], fields["long"] = row["latitude"], row["longitude"]
        body = urlencode({k: v for k, v in fields.items() if v}).encode()
        requests.append(
            http_request(
                "POST",
                "/open311/v2/requests.json",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Idempotency-Key": row["srnumber"],
                },
            )
        )
    return requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--celery", type=int, default=1, help="Celery worker concurrency (routing tasks)")
    parser.add_argument("--celery-nice", type=int, default=0, help="run the Celery worker at this nice level")
    parser.add_argument("--concurrency", type=int, default=16, help="client connections")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()

    env = bench_env()
    django_setup(env)
    with open(DATA / "la_myla311_2020-01-01_03.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if args.limit:
        rows = rows[: args.limit]
    key, codes = setup_agency(rows)
    requests = build_requests(rows, key, codes)

    from django.db.models import Q

    from requests_app.models import ServiceRequest
    from tenants.context import set_current_agency
    from tenants.models import Agency

    agency = Agency.objects.get(slug=SLUG)
    set_current_agency(agency)  # this process's counts are the agency's (row-level security)
    stack = start_stack(env, web_workers=args.web_workers, celery_concurrency=args.celery, celery_nice=args.celery_nice)
    try:
        warm = run_load(stack.port, [http_request("GET", f"/open311/v2/services.json?jurisdiction_id={SLUG}")] * 20, 4)
        assert all(r.status == 200 for r in warm[0])
        cpu_before = stack.cpu_seconds()
        results, elapsed = run_load(stack.port, requests, args.concurrency)
        cpu_load = stack.cpu_seconds()
        accepted = [r for r in results if r.status == 200]
        refused = [r for r in results if r.status != 200]
        duplicates = sum(1 for r in accepted if json.loads(r.body)[0]["service_notice"])
        rate = len(accepted) / elapsed
        latencies = [r.seconds * 1000 for r in results]
        print(f"sent {len(results)} in {elapsed:.2f}s: accepted {len(accepted)} ({rate:.0f}/s), refused {len(refused)}")
        print(f"  of the accepted, linked as duplicates (service_notice): {duplicates}")
        print(
            f"  latency ms: p50 {percentile(latencies, 0.5):.1f}  p95 {percentile(latencies, 0.95):.1f}  p99 {percentile(latencies, 0.99):.1f}"
        )
        for r in refused[:5]:
            print("  refused:", r.status, r.body[:200])

        rows_in_db = ServiceRequest.objects.for_agency(agency).count()
        print(
            f"rows in the database: {rows_in_db} (accepted {len(accepted)}) -> {'OK' if rows_in_db == len(accepted) else 'MISMATCH'}"
        )
        to_route = ServiceRequest.objects.for_agency(agency).filter(duplicate_of__isnull=True)
        start = time.perf_counter()
        while True:
            pending = to_route.filter(Q(routed_at__isnull=True)).count()
            if pending == 0 or time.perf_counter() - start > 900:
                break
            time.sleep(1)
        routed = to_route.filter(routed_at__isnull=False).count()
        print(
            f"routing: {routed} routed, {pending} pending; drained {time.perf_counter() - start:.1f}s after the last answer "
            f"(routing throughput over the whole run ≈ {routed / (elapsed + time.perf_counter() - start):.0f}/s)"
        )
        unrouted_departments = to_route.filter(department__isnull=True).count()
        print(f"  without a department after routing: {unrouted_departments}")
        cpu_after = stack.cpu_seconds()
        n = len(accepted)
        web = (cpu_load["web"] - cpu_before["web"]) / n * 1000
        celery = (cpu_after.get("celery", 0) - cpu_before.get("celery", 0)) / max(routed, 1) * 1000
        postgres = (cpu_after["postgres"] - cpu_before["postgres"]) / n * 1000
        print(
            f"CPU per accepted request: web {web:.1f} ms, routing task {celery:.1f} ms, PostgreSQL {postgres:.1f} ms "
            f"-> on 2 dedicated cores: HTTP+DB alone ≈ {2000 / (web + postgres):.0f}/s, "
            f"with routing keeping pace ≈ {2000 / (web + postgres + celery):.0f}/s"
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
