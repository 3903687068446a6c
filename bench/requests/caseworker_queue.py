"""What deciding case visibility through django-guardian costs a caseworker's queue (issue 14).

    flock /work/bench.lock .venv/bin/python bench/requests/caseworker_queue.py [--requests 10000] [--rounds 7]

In the benchmark database, agency `bench-cases` gets `--requests` open requests in the caseworker's
department, as many in another department, and `--shared` of the latter shared with the caseworker. The
staff queue page (`/a/bench-cases/staff/requests/`, first page: count + 50 rows + render) is requested
in-process through Django's test client, alternating between two selectors in the same run:

- `before`: the rule that was here until issue 14 (`department_id IN (the caseworker's departments)`);
- `after`: `tenants.cases` (the same rule OR guardian's `get_objects_for_user` over the shares, plus the
  per-page grant prefetch for the "Shared with you" badge).

Each round times `--pages` requests of each; the median per round and the median of rounds are printed,
with EXPLAIN ANALYZE of both list queries. Page 1 and page 100 (deep offset) are both measured.
"""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.requests.common import bench_env, django_setup

SLUG = "bench-cases"


def seed(n: int, shared: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from requests_app.models import ServiceCategory, ServiceRequest
    from tenants.cases import case_share
    from tenants.context import agency_context
    from tenants.models import Agency, Department, Membership

    agency, _ = Agency.objects.get_or_create(slug=SLUG, defaults={"name": "Bench Cases"})
    User = get_user_model()
    with agency_context(agency):
        mine, _ = Department.objects.get_or_create(agency=agency, slug="mine", defaults={"name": "Mine"})
        other, _ = Department.objects.get_or_create(agency=agency, slug="other", defaults={"name": "Other"})
        category, _ = ServiceCategory.objects.get_or_create(agency=agency, code="pothole", defaults={"name": "Pothole"})
        worker, _ = User.objects.get_or_create(username="bench-cases-caseworker", defaults={"is_staff": True})
        boss, _ = User.objects.get_or_create(username="bench-cases-supervisor", defaults={"is_staff": True})
        membership, _ = Membership.objects.get_or_create(agency=agency, user=worker, defaults={"role": "caseworker"})
        membership.departments.set([mine])
        Membership.objects.get_or_create(agency=agency, user=boss, defaults={"role": "supervisor"})
        have = ServiceRequest.objects.for_agency(agency).count()
        if have < 2 * n:
            now = timezone.now()
            rows = [
                ServiceRequest(
                    agency=agency,
                    category=category,
                    reference=f"BEN-{i:07d}",
                    description=f"Pothole number {i}",
                    lat=41.0 + i * 1e-5,
                    long=-87.0,
                    department=mine if i % 2 == 0 else other,
                    created_at=now - dt.timedelta(minutes=i),
                )
                for i in range(have, 2 * n)
            ]
            ServiceRequest.objects.bulk_create(rows, batch_size=2000)
        grants = ServiceRequest.objects.for_agency(agency).filter(department=other).order_by("-created_at")[:shared]
        for request in grants:
            case_share(agency=agency, actor=boss, case=request, user=worker, act=False)
    return agency, worker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000, help="requests per department")
    parser.add_argument("--shared", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    env = bench_env()
    env["DEBUG"] = "0"
    django_setup(env)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from requests_app import selectors
    from requests_app.models import ServiceRequest
    from tenants.cases import case_access
    from tenants.context import agency_context

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    agency, worker = seed(args.requests, args.shared)
    after = selectors.service_requests_for_staff
    checker_after = selectors.case_checker

    class NoChecker:  # before issue 14 the queue had no per-row grant check
        def __init__(self, **kwargs):
            pass

        def prefetch(self, cases):
            pass

        def shared(self, case):
            return False

    def before(*, agency, user):
        departments = case_access(agency=agency, user=user).department_ids
        queryset = ServiceRequest.objects.for_agency(agency)
        if departments is not None:
            queryset = queryset.filter(department_id__in=departments)
        return queryset.select_related("category", "department", "assignee", "duplicate_of")

    with agency_context(agency):
        for name, selector in (("before", before), ("after", after)):
            query = selector(agency=agency, user=worker).order_by("-created_at")[:50]
            print(f"--- {name}: rows visible {selector(agency=agency, user=worker).count()}")
            sql, params = query.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + sql, params)
                plan = [row[0] for row in cursor.fetchall()]
            print("\n".join(plan[-3:]))

    client = Client()
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")
    results = {(name, page): [] for name in ("before", "after") for page in (1, 100)}
    cpu = {(name, page): [] for name in ("before", "after") for page in (1, 100)}
    for round_number in range(args.rounds):
        # ABBA: the order flips every round, so a load that rises or falls during a round favours neither.
        order = (("before", before), ("after", after))
        if round_number % 2:
            order = order[::-1]
        for name, selector in order:
            selectors.service_requests_for_staff = selector
            selectors.case_checker = checker_after if name == "after" else NoChecker
            for page in (1, 100):
                url = f"/a/{SLUG}/staff/requests/?page={page}"
                assert client.get(url).status_code == 200
                times, cpu_times = [], []
                for _ in range(args.pages):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    cpu_times.append((time.process_time() - start_cpu) * 1000)
                    assert response.status_code == 200
                results[(name, page)].append(statistics.median(times))
                cpu[(name, page)].append(statistics.median(cpu_times))
        selectors.service_requests_for_staff = after
        selectors.case_checker = checker_after
        print(
            f"round {round_number + 1}: "
            + ", ".join(f"{k[0]} p{k[1]} {v[-1]:.1f} ms (cpu {cpu[k][-1]:.1f})" for k, v in results.items())
        )
    print("median of round medians (ms): wall, and CPU of this process (Django + the client; not PostgreSQL's)")
    for (name, page), values in results.items():
        print(
            f"  {name:6} page {page:3}: wall {statistics.median(values):.1f} (rounds {min(values):.1f}-{max(values):.1f})"
            f", cpu {statistics.median(cpu[(name, page)]):.1f}"
        )


if __name__ == "__main__":
    main()
