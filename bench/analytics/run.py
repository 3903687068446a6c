"""Analytics at scale: every dashboard view and the summary API, p95 ≤ 300 ms with 1,000,000 messages in
200,000 conversations, 200,000 requests and 50,000 registrations in one agency among ten; and the
numbers equal a direct count from the raw tables.

    nice -n 10 .venv/bin/python -m bench.analytics.run --build-only     # the data, niced
    flock /work/bench.lock .venv/bin/python -m bench.analytics.run --reuse  # the timings

Own database (`civicdesk_bench_analytics` on the embedded PostgreSQL), never the development or test one.
Views are timed in process through Django's test client (the whole middleware chain, session and
template rendering, no HTTP socket), as an analyst of the big agency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DB = "civicdesk_bench_analytics"
RUNS = 20


def env_setup() -> str:
    sys.path.insert(0, str(ROOT))
    from portal import embedded

    services = embedded.ensure_services(need_database=True, need_redis=True)
    import psycopg

    with psycopg.connect(services.database_owner_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f"CREATE DATABASE {DB}")
    # The owner migrates, generates and counts directly; the app (views, rollups) connects as civicdesk_app
    # under row-level security, as in production.
    url = urlunsplit(urlsplit(services.database_owner_url)._replace(path=f"/{DB}"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    os.environ.update({"DATABASE_URL": embedded.app_url(url), "DATABASE_OWNER_URL": url,
                       "REDIS_URL": services.redis_url, "DEBUG": "0",
                       "DJANGO_SETTINGS_MODULE": "portal.settings", "LOG_LEVEL": "WARNING"})  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages render with DEBUG off (manifest)
    return url


def world():
    from django.contrib.auth import get_user_model

    from analytics.feedback.services import topics_ensure
    from registrations.demo import install_form
    from requests_app.models import ServiceCategory
    from tenants.context import agency_context
    from tenants.models import Agency, Department, Membership

    agencies = []
    for number in range(10):
        slug = "big" if number == 0 else f"small-{number}"
        agency, created = Agency.objects.get_or_create(
            slug=slug, defaults={"name": f"Bench {slug}", "kind": "city", "languages": ["en", "es", "zh-hans"]}
        )
        agencies.append(agency)
        if not created:
            continue
        with agency_context(agency):
            departments = [
                Department.objects.create(agency=agency, slug=f"d{n}", name=f"Department {n}") for n in range(4)
            ]
            for n in range(10):
                ServiceCategory.objects.create(
                    agency=agency, code=f"c{n}", name=f"Category {n}", department=departments[n % 4],
                    sla_hours=[24, 48, 72, None][n % 4],
                )  # fmt: skip
            install_form(agency, "voter-registration")
            install_form(agency, "employment-assistance")
            topics_ensure(agency=agency)
    user, _ = get_user_model().objects.get_or_create(username="bench-analyst", defaults={"is_staff": True})
    with agency_context(agencies[0]):
        Membership.objects.get_or_create(agency=agencies[0], user=user, defaults={"role": "analyst"})
    return agencies, user


def backend_process():
    """The PostgreSQL backend serving this process's connection (its CPU clock is a load-robust measure)."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return psutil.Process(cursor.fetchone()[0])


def cpu_now(backend) -> float:
    """Seconds of CPU used so far by this process and its database backend (user + system)."""
    times = backend.cpu_times()
    return time.process_time() + times.user + times.system


def timed(client, url: str) -> tuple[list[float], float]:
    """Wall-clock ms of RUNS requests after a warm-up, and the CPU ms per request (this process plus its
    database backend, from their own clocks: what a request costs, whatever else the machine runs)."""
    client.get(url)  # warm-up
    backend = backend_process()
    samples = []
    cpu_start = cpu_now(backend)
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return samples, (cpu_now(backend) - cpu_start) * 1000 / RUNS


def direct_counts(url: str, agency_id: int, since, until) -> dict:
    """The summary's numbers counted straight from the tables, in SQL written apart from the app."""
    import psycopg

    q = {
        "conversations": "SELECT count(*) FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s",
        "contained": "SELECT count(*) FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s AND state='closed' AND outcome='contained'",
        "handoffs": "SELECT count(*) FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s AND handed_off",
        "csat_responses": "SELECT count(*) FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s AND csat_score IS NOT NULL",
        "unanswered": "SELECT count(*) FROM knowledge_unansweredquestion WHERE agency_id=%(a)s AND created_at>=%(s)s AND created_at<%(u)s",
        "filed": "SELECT count(*) FROM requests_app_servicerequest WHERE agency_id=%(a)s AND created_at>=%(s)s AND created_at<%(u)s",
        "closed": "SELECT count(*) FROM requests_app_servicerequest WHERE agency_id=%(a)s AND closed_at>=%(s)s AND closed_at<%(u)s",
        "submitted": "SELECT count(*) FROM registrations_registration WHERE agency_id=%(a)s AND status<>'draft' AND submitted_at>=%(s)s AND submitted_at<%(u)s",
        "feedback": "SELECT count(*) FROM analytics_feedback WHERE agency_id=%(a)s AND created_at>=%(s)s AND created_at<%(u)s",
        "resolved": "SELECT count(*) FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s AND state='closed' AND closed_at>=created_at",
        "resolution_median": "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY round(extract(epoch FROM closed_at-created_at))) FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s AND state='closed' AND closed_at>=created_at",
        "close_durations": "SELECT count(*) FROM requests_app_servicerequest WHERE agency_id=%(a)s AND closed_at>=%(s)s AND closed_at<%(u)s AND closed_at>=created_at",
        "close_median": "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY round(extract(epoch FROM closed_at-created_at))) FROM requests_app_servicerequest WHERE agency_id=%(a)s AND closed_at>=%(s)s AND closed_at<%(u)s AND closed_at>=created_at",
        "messages_total": "SELECT count(*) FROM chat_message WHERE agency_id=%(a)s",
    }  # fmt: skip
    with psycopg.connect(url) as conn:
        return {k: conn.execute(sql, {"a": agency_id, "s": since, "u": until}).fetchone()[0] for k, sql in q.items()}


def direct_charts(url: str, agency_id: int, since, until, zone: str) -> dict[str, dict]:
    """The rolled-up charts' bars counted straight from the tables ({chart: {bar key: value}})."""
    import psycopg

    conversations = (
        "FROM chat_conversation WHERE agency_id=%(a)s AND last_seq>0 AND created_at>=%(s)s AND created_at<%(u)s"
    )
    filed = "FROM requests_app_servicerequest WHERE agency_id=%(a)s AND created_at>=%(s)s AND created_at<%(u)s"
    q = {
        "conversations_by_channel": f"SELECT channel, count(*) {conversations} GROUP BY 1",
        "conversations_by_day": f"SELECT to_char((created_at AT TIME ZONE %(z)s)::date, 'YYYY-MM-DD'), count(*) {conversations} GROUP BY 1",
        "conversation_languages": f"SELECT language, count(*) {conversations} GROUP BY 1",
        "requests_by_status": f"SELECT status, count(*) {filed} GROUP BY 1",
        "requests_by_category": f"SELECT category_id::text, count(*) {filed} GROUP BY 1",
        "requests_by_month": f"SELECT to_char(created_at AT TIME ZONE %(z)s, 'YYYY-MM'), count(*) {filed} GROUP BY 1",
        "sla_by_category": "SELECT category_id::text, (count(*) FILTER (WHERE closed_at <= sla_due_at))::text || '/' || count(*)"
        " FROM requests_app_servicerequest WHERE agency_id=%(a)s AND closed_at>=%(s)s AND closed_at<%(u)s"
        " AND status IN ('resolved', 'closed') AND sla_due_at IS NOT NULL GROUP BY 1",
    }  # fmt: skip
    with psycopg.connect(url) as conn:
        params = {"a": agency_id, "s": since, "u": until, "z": zone}
        return {chart: dict(conn.execute(sql, params).fetchall()) for chart, sql in q.items()}


def direct_heat(url: str, agency, period) -> dict[str, int]:
    """The heat map's cells ("row:col") counted straight from the requests on the grid box the rollups
    used (rollups.heat: 32 x 20 over the box, clamped to the edges), in SQL written apart from the app."""
    import psycopg

    from analytics.rollups.heat import agency_box
    from tenants.context import agency_context

    with agency_context(agency):
        box = agency_box(agency)
    sql = (
        "SELECT greatest(0, least(19, floor((%(lat1)s - lat) * (20 / %(dlat)s))))::int || ':' ||"
        " greatest(0, least(31, floor((long - %(long0)s) * (32 / %(dlong)s))))::int, count(*)"
        " FROM requests_app_servicerequest WHERE agency_id=%(a)s AND created_at>=%(s)s AND created_at<%(u)s"
        " AND lat IS NOT NULL AND long IS NOT NULL GROUP BY 1"
    )
    params = {"a": agency.pk, "s": period.since, "u": period.until, "lat1": box["lat1"], "long0": box["long0"],
              "dlat": (box["lat1"] - box["lat0"]) or 1e-6, "dlong": (box["long1"] - box["long0"]) or 1e-6}  # fmt: skip
    with psycopg.connect(url) as conn:
        return dict(conn.execute(sql, params).fetchall())


def check_charts(agency, period, url: str) -> None:
    """Print each rolled-up chart against the direct count: equal or not, and how many bars."""
    from analytics.dashboard.sections import section_charts
    from tenants.context import agency_context

    with agency_context(agency):
        shown = {
            chart.id: {bar.key: (bar.series if chart.id.startswith("sla_") else bar.value) for bar in chart.bars}
            for section in ("conversations", "requests")
            for chart in section_charts(section, agency=agency, period=period)
        }
    direct = direct_charts(url, agency.pk, period.since, period.until, str(period.zone))
    direct["request_heatmap"] = direct_heat(url, agency, period)
    print("\n| chart | bars | equal to direct SQL |\n|---|---|---|")
    for chart, counted in direct.items():
        mine = {key: value for key, value in shown[chart].items() if value}  # days without any: zero bars
        print(f"| {chart} | {len(counted)} | {'yes' if mine == counted else '**NO**'} |")


def main() -> None:
    global RUNS
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run")
    parser.add_argument("--build-only", action="store_true", help="write the data and stop (run it niced)")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed requests of each view")
    parser.add_argument("--no-rebuild", action="store_true", help="read the rollups as they are (old vs new runs)")
    args = parser.parse_args()
    RUNS = args.runs
    url = env_setup()
    from django.test import Client

    from analytics.periods import period_parse
    from bench.analytics.generate import generate
    from chat.models import Conversation

    agencies, user = world()
    big = agencies[0]
    from tenants.context import agency_context, cross_agency

    with agency_context(big):
        have_data = Conversation.objects.for_agency(big).exists()
    if not (args.reuse and have_data):
        started = time.perf_counter()
        with cross_agency(reason="bench/analytics: the generator writes every bench agency's rows"):
            written = generate(url, agencies)
        print(f"generated in {time.perf_counter() - started:.0f} s: {written['big']}")
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    if args.build_only:
        return
    from analytics.rollups.services import rollups_refresh

    print(f"load average before the rollups: {os.getloadavg()}")
    for agency in [] if args.no_rebuild else agencies:
        started = time.perf_counter()
        with agency_context(agency):
            done = rollups_refresh(agency=agency, full=True)
        print(f"rollups of {agency.slug} rebuilt in {time.perf_counter() - started:.1f} s: {done}")
    # The incremental refresh beat runs every 10 minutes, with nothing changed since the full one.
    started = time.perf_counter()
    with agency_context(big):
        done = rollups_refresh(agency=big)
    print(f"incremental refresh of {big.slug}: {time.perf_counter() - started:.2f} s, {done}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    base = f"/a/{big.slug}/staff/analytics/"
    ranges = {"last 30 days": "", "a full year (366 days)": None}
    import datetime as dt

    today = dt.date.today()
    year = f"from={(today - dt.timedelta(days=365)).isoformat()}&to={today.isoformat()}"
    ranges["a full year (366 days)"] = year
    print(f"load average before: {os.getloadavg()}")
    for label, query in ranges.items():
        print(f"\n## {label}")
        print("| view | p50 ms | p95 ms | CPU ms a request (app + database) |\n|---|---|---|---|")
        views = {
            "summary API": f"/api/v1/a/{big.slug}/analytics/summary/?{query}",
            **{f"dashboard: {s}": f"{base}?{query}&view={s}" for s in
               ("conversations", "knowledge", "requests", "registrations", "feedback")},
            "drill-down: conversations of one channel": f"{base}rows/?{query}&chart=conversations_by_channel&key=web",
            "drill-down: requests of one category (CSV not timed)": f"{base}rows/?{query}&chart=requests_by_status&key=resolved",
        }  # fmt: skip
        for name, view_url in views.items():
            samples, cpu = timed(client, view_url)
            samples.sort()
            p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
            print(f"| {name} | {statistics.median(samples):.0f} | {p95:.0f} | {cpu:.0f} |", flush=True)
        params = dict(part.split("=") for part in query.split("&")) if query else {}
        period = period_parse(agency=big, params=params)
        api = client.get(f"/api/v1/a/{big.slug}/analytics/summary/?{query}").json()
        direct = direct_counts(url, big.pk, period.since, period.until)
        pairs = {
            "conversations": (api["conversations"], direct["conversations"]),
            "contained": (api["contained"], direct["contained"]),
            "handoffs": (api["handoffs"], direct["handoffs"]),
            "csat responses": (api["csat"]["responses"], direct["csat_responses"]),
            "unanswered": (api["unanswered"], direct["unanswered"]),
            "requests filed": (api["requests"]["filed"], direct["filed"]),
            "requests closed": (api["requests"]["closed"], direct["closed"]),
            "registrations submitted": (api["registrations"]["submitted"], direct["submitted"]),
            "feedback": (api["feedback"]["received"], direct["feedback"]),
        }
        print("\n| number | API | direct SQL | equal |\n|---|---|---|---|")
        for name, (mine, theirs) in pairs.items():
            print(f"| {name} | {mine} | {theirs} | {'yes' if mine == theirs else '**NO**'} |")
        # The durations behind the medians (rolled up as histograms since the first year run: the counts
        # exact, a median within 1 % of the exact one).
        from analytics.dashboard import times

        with agency_context(big):
            resolution = times.resolution(big, period_parse(agency=big, params=params))
            close_time = times.request_close_time(big, period_parse(agency=big, params=params))
        print("\n| duration | dashboard | direct SQL | within 1 % |\n|---|---|---|---|")
        for name, read, count, median in (
            ("time to resolution", resolution, direct["resolved"], direct["resolution_median"]),
            ("time to close a request", close_time, direct["close_durations"], direct["close_median"]),
        ):
            shown = read["wall"]["median"]
            exact = float(median or 0) / 3600
            near = shown is not None and abs(shown - exact) <= 0.01 * exact + 0.005
            print(f"| {name}: count | {read['count']} | {count} | {'equal' if read['count'] == count else '**NO**'} |")
            print(f"| {name}: median h | {shown} | {exact:.2f} | {'yes' if near else '**NO**'} |")
        print(f"(messages in the big agency: {direct['messages_total']})")
        check_charts(big, period_parse(agency=big, params=params), url)
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
