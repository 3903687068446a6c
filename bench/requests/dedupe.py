"""Duplicate check with 100,000 open requests in one agency.

    .venv/bin/python bench/requests/dedupe.py [--requests 100000] [--checks 3000]

Seeds one agency with open requests built from the Syracuse pothole file and the LA MyLA311 file
(their points repeated with a few metres of jitter until the count is reached, created over the
last 60 days, categories as in the files), then times `selectors.duplicates_nearby` — the exact
call `service_request_create` makes — for points drawn from the same data, and prints p50/p95/p99
and the query plan.

Seeding uses COPY (the rows are benchmark fixtures, not audited domain changes).
"""

import argparse
import csv
import io
import random
import re
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.requests.common import DATA, bench_env, django_setup, percentile

SLUG = "bench-dedupe"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def points() -> list[tuple[str, float, float]]:
    found = []
    with open(DATA / "syracuse_potholes_2016.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Latitude"] and row["Longitude"]:
                found.append(("Pothole", float(row["Latitude"]), float(row["Longitude"])))
    with open(DATA / "la_myla311_2020-01-01_03.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["latitude"] and row["longitude"]:
                found.append((row["requesttype"], float(row["latitude"]), float(row["longitude"])))
    return found


def seed(total: int, source: list[tuple[str, float, float]]):
    from django.db import connection

    from requests_app.models import ServiceCategory, ServiceRequest
    from tenants.context import agency_context
    from tenants.models import Agency

    agency, _ = Agency.objects.get_or_create(slug=SLUG, defaults={"name": "Bench: dedupe"})
    with agency_context(agency):
        categories = {}
        for kind in sorted({kind for kind, _lat, _long in source}):
            categories[kind], _ = ServiceCategory.objects.get_or_create(
                agency=agency, code=slugify(kind), defaults={"name": kind}
            )
        existing = ServiceRequest.objects.for_agency(agency).count()
    if existing == total:
        print(f"reusing {existing} seeded requests")
        return agency, categories
    with connection.cursor() as cursor:
        for table in ("notification", "follower", "statusevent", "requestphoto", "servicerequest"):
            cursor.execute(f"DELETE FROM requests_app_{table} WHERE agency_id = %s", [agency.pk])  # noqa: S608
    rng = random.Random(311)
    now = datetime.now(UTC)
    buffer = io.StringIO()
    for i in range(total):
        kind, lat, long = source[i % len(source)]
        if i >= len(source):  # repeated points: move them by up to ~200 m so the data is not stacked
            lat += rng.uniform(-0.0018, 0.0018)
            long += rng.uniform(-0.0022, 0.0022)
        created = now - timedelta(seconds=rng.uniform(0, 60 * 86400))
        buffer.write(
            "\t".join(
                [
                    str(agency.pk),
                    f"DDP-2026-{i + 1:06d}",
                    str(uuid.uuid4()),
                    str(categories[kind].pk),
                    f"{kind} (bench)",
                    f"{lat:.7f}",
                    f"{long:.7f}",
                    "submitted",
                    "web",
                    created.isoformat(),
                    created.isoformat(),
                ]
            )
            + "\n"
        )
    buffer.seek(0)
    start = time.perf_counter()
    columns = (
        "agency_id, reference, token, category_id, description, lat, long, status, source, created_at, updated_at, "
        "address, address_id, zipcode, attributes, media_url, status_notes, language, reporter_email, reporter_phone, "
        "reporter_first_name, reporter_last_name, account_id, device_id, idempotency_key"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE seed (agency_id bigint, reference text, token uuid, category_id bigint, "
            "description text, lat float8, long float8, status text, source text, created_at timestamptz, "
            "updated_at timestamptz)"
        )
        with cursor.copy(
            "COPY seed (agency_id, reference, token, category_id, description, lat, long, status, source, created_at, updated_at) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute(
            f"INSERT INTO requests_app_servicerequest ({columns}) "  # noqa: S608
            "SELECT agency_id, reference, token, category_id, description, lat, long, status, source, created_at, "
            "updated_at, '', '', '', '{}'::jsonb, '', '', '', '', '', '', '', '', '', '' FROM seed"
        )
        cursor.execute("DROP TABLE seed")
        cursor.execute("ANALYZE requests_app_servicerequest")
    print(f"seeded {total} open requests in {time.perf_counter() - start:.1f}s")
    return agency, categories


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=3000)
    args = parser.parse_args()
    env = bench_env()
    django_setup(env)
    from django.db import connection

    from requests_app import geo, selectors

    source = points()
    agency, categories = seed(args.requests, source)
    rng = random.Random(7)
    by_kind = categories
    # warm up the connection and caches
    for kind, lat, long in rng.sample(source, 50):
        selectors.duplicates_nearby(agency=agency, category=by_kind[kind], lat=lat, long=long)
    timings, hits = [], 0
    for _ in range(args.checks):
        kind, lat, long = rng.choice(source)
        lat += rng.uniform(-0.0003, 0.0003)
        long += rng.uniform(-0.0003, 0.0003)
        start = time.perf_counter()
        found = selectors.duplicates_nearby(agency=agency, category=by_kind[kind], lat=lat, long=long)
        timings.append((time.perf_counter() - start) * 1000)
        hits += bool(found)
    print(
        f"{args.checks} duplicate checks against {args.requests} open requests: "
        f"p50 {percentile(timings, 0.5):.2f} ms, p95 {percentile(timings, 0.95):.2f} ms, "
        f"p99 {percentile(timings, 0.99):.2f} ms, max {max(timings):.2f} ms; {hits} found a duplicate"
    )
    kind, lat, long = source[0]
    min_lat, max_lat, min_long, max_long = geo.bounding_box(lat, long, 50)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT id, reference, lat, long, status, created_at FROM requests_app_servicerequest "
            "WHERE agency_id = %s AND category_id = %s AND status IN ('submitted','acknowledged','in_progress') "
            "AND lat BETWEEN %s AND %s AND long BETWEEN %s AND %s AND created_at >= now() - interval '30 days' "
            "ORDER BY created_at DESC LIMIT 200",
            [agency.pk, by_kind[kind].pk, min_lat, max_lat, min_long, max_long],
        )
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
