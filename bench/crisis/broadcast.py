"""Broadcast an alert to many subscribers, SIGKILL the Celery worker mid-run, and count what arrived (issue 16).

    flock /work/bench.lock .venv/bin/python bench/crisis/broadcast.py [--subscribers 100000] [--sms-share 0.3]
        [--kill-at 0.3] [--rate email=1000,sms=1000] [--concurrency 2] [--email-provider postmark|smtp] [--output FILE]

Unattended, 100,000 at the providers' real limits (≥ 21 minutes at 80 messages/s; see RESULTS.md):

    flock /work/bench.lock .venv/bin/python bench/crisis/broadcast.py --subscribers 100000 --kill-at 0.3 \
        --rate email=50,sms=30 --provider-limits email=50,sms=30 --timeout 3600 \
        --output bench/crisis/results/broadcast-100k-real-limits.json

This process holds the clone's embedded PostgreSQL/Redis, runs a local Postmark (its e-mail API and outbound
message search, messaging/fakes/postmark.py; `--email-provider smtp`: a local SMTP sink instead, where an in-doubt
e-mail cannot be looked up) and a local SMS gateway speaking Twilio's Messages API (tests/sms_server.py), and starts
a real Celery worker (own process group) with the mail and SMS settings pointing at them. A throwaway agency gets `--subscribers` confirmed subscriptions
(e-mail, and SMS for `--sms-share`); an alert is sent through `alert_create` as the staff page does. It measures:
the time from "send" until every delivery row is queued (the fan-out), the time until all are sent; at
`--kill-at` of the sent share the worker's whole group gets SIGKILL and a new worker starts, while this process
plays beat (`deliveries_sweep` every 5 s, leases of `CRISIS_LEASE_SECONDS`=20 s here). At the end it counts
receipts at the sink and the gateway (messages per recipient: duplicates and missing), and times the delivery
report (the service and the staff page's JSON) over the 100,000 rows. One JSON line; the agency is deleted.
"""

import argparse
import asyncore
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from bench.crisis.harness import Sink, agency_remove, cpu_phases, email_provider_counts  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--sms-share", type=float, default=0.3)
    parser.add_argument("--kill-at", type=float, default=0.3)
    parser.add_argument("--rate", default="email=1000,sms=1000")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--senders", type=int, default=4, help="sender tasks per channel (CRISIS_SENDERS_PER_CHANNEL)")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--queues",
        default="bulk",
        help="the worker's queues (-Q): bulk (default; the worker nices itself to CELERY_BULK_NICE), or all (no -Q: "
        "the code before the bulk queue)",
    )
    parser.add_argument(
        "--harness-nice",
        type=int,
        default=0,
        help="run this process's threads at this niceness once PostgreSQL and Redis are up: the local providers "
        "(stand-ins for remote services) and the bench's own progress counts and sweep",
    )
    parser.add_argument(
        "--cpu-window",
        type=float,
        default=0,
        help="also measure CPU seconds by role (bench/crisis/cpu_roles.py) for the fan-out, the worker's restart "
        "(15 s after the kill) and this many seconds of sending after it; --kill-at above 1: no kill, the window "
        "starts when every row is queued",
    )
    parser.add_argument(
        "--stop-after-window",
        action="store_true",
        help="end the run when the CPU window is measured (the broadcast is not finished: no receipts counted)",
    )
    parser.add_argument(
        "--email-provider",
        choices=["postmark", "smtp"],
        default="postmark",
        help="postmark: a local Postmark, in-doubt e-mails looked up before a resend (exactly once); smtp: a local "
        "SMTP sink, in-doubt e-mails resent with the same Message-ID (at least once)",
    )
    parser.add_argument(
        "--output",
        default="",
        help="also write the result (one JSON object) to this file, rewritten after each stage, so an unattended "
        "run leaves what it measured even if it is stopped",
    )
    parser.add_argument(
        "--provider-limits",
        default="",
        help="messages per second the local Postmark (or SMTP sink) and SMS gateway accept, e.g. email=50,sms=30 "
        "(past it: 429, or the sink's 451, as a provider's throughput limit); empty: unlimited",
    )
    args = parser.parse_args()

    from messaging.fakes.postmark import FakePostmark
    from tests.sms_server import SMSGateway

    provider_limits = {k: int(v) for k, _s, v in (i.partition("=") for i in args.provider_limits.split(",") if i)}
    if args.email_provider == "postmark":
        mailer = FakePostmark(keep_calls=False).start()
        email_env = {
            "CRISIS_EMAIL_PROVIDER": "postmark",
            "POSTMARK_BASE_URL": mailer.url,
            "POSTMARK_SERVER_TOKEN": mailer.server_token,
        }
    else:
        mailer = Sink()
        threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.5}, daemon=True).start()
        email_env = {
            "CRISIS_EMAIL_PROVIDER": "smtp",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailer.port),
        }
    gateway = SMSGateway()
    mailer.rate_limit, gateway.rate_limit = provider_limits.get("email"), provider_limits.get("sms")
    bench_env = {
        **email_env,
        "SMS_BASE_URL": gateway.url,
        "SMS_ACCOUNT_SID": gateway.sid,
        "SMS_AUTH_TOKEN": gateway.token,
        "SMS_FROM": "+15550100",
        "CRISIS_RATE_LIMITS": args.rate,
        "CRISIS_LEASE_SECONDS": "20",
        "CRISIS_SENDERS_PER_CHANNEL": str(args.senders),
    }
    os.environ.update(bench_env)

    import django

    django.setup()
    from portal.management.commands.runstack import static_manifest_build

    static_manifest_build()  # the staff report page renders with DEBUG off (a fresh clone has no manifest yet)
    if args.harness_nice:
        import psutil

        for thread in psutil.Process().threads():  # Linux: the niceness is per thread; new ones inherit it
            os.setpriority(os.PRIO_PROCESS, thread.id, args.harness_nice)
    from auditlog.context import disable_auditlog
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from crisis.models import Alert, Delivery, Subscription
    from crisis.services import alert_create, deliveries_sweep, delivery_report
    from tenants.context import agency_context
    from tenants.models import Agency, Membership

    def start_worker(tag: str) -> subprocess.Popen:
        env = {**os.environ, **bench_env, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
        env["PYTHONUNBUFFERED"] = "1"
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING"]
        command += ["--concurrency", str(args.concurrency), "--without-gossip", "--without-mingle"]
        command += ["--hostname", f"crisis-bench-{tag}@%h"]
        if args.queues != "all":  # the bulk queue alone: the worker lowers its priority to CELERY_BULK_NICE
            command += ["-Q", args.queues]
        log = open(ROOT / "var" / f"crisis-bench-worker-{tag}.log", "w")  # noqa: SIM115
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    agency = Agency.objects.create(slug=f"bench-crisis-{uuid.uuid4().hex[:6]}", name="Crisis bench", languages=["en"])
    user = get_user_model().objects.create_user(username=f"{agency.slug}-em", password=uuid.uuid4().hex)
    result: dict = {
        "subscribers": args.subscribers,
        "rate_limits": settings.CRISIS_RATE_LIMITS,
        "email_provider": args.email_provider,
        "worker_concurrency": args.concurrency,
        "senders_per_channel": args.senders,
        "load_at_start": os.getloadavg(),
    }
    worker = None
    output = Path(args.output) if args.output else None

    def save() -> None:
        if output is not None:
            output.parent.mkdir(parents=True, exist_ok=True)
            partial = output.with_suffix(output.suffix + ".part")
            partial.write_text(json.dumps(result) + "\n")
            partial.replace(output)

    def stop(signum, frame):  # SIGTERM (a stopped unattended run): clean up and keep what was measured
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    result["command"] = " ".join(sys.argv)
    result["started_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result["finished"] = False
    try:
        with agency_context(agency):
            Membership.objects.create(agency=agency, user=user, role="supervisor")
            from crisis.services import crisis_settings_update

            crisis_settings_update(agency=agency, actor=user, approval_threshold=10_000_000)
            n_sms = int(args.subscribers * args.sms_share)
            now = timezone.now()
            with disable_auditlog():
                rows = [
                    Subscription(
                        agency=agency,
                        channel="sms" if i < n_sms else "email",
                        address=f"+1555{i:07d}" if i < n_sms else f"bench-{i}@example.org",
                        consent_at=now,
                        consent_channel="web",
                        confirmed_at=now,
                    )
                    for i in range(args.subscribers)
                ]
                Subscription.objects.bulk_create(rows, batch_size=5000)
            worker = start_worker("1")
            time.sleep(8)  # the worker's start (imports, broker connection)
            cpu = marks = None
            if args.cpu_window:
                from django.db import connection

                from bench.crisis.cpu_roles import CpuByRole

                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    cpu = CpuByRole(bench_backend_pid=cursor.fetchone()[0])
                cpu.worker_started(worker.pid)
                marks = []
            sent_at = time.monotonic()

            def mark(name: str, done: int) -> None:
                if cpu is not None and name not in {m[0] for m in marks}:
                    marks.append((name, time.monotonic() - sent_at, done, cpu.sample()))
                    result["cpu_phases"] = cpu_phases(marks)

            mark("send", 0)
            alert = alert_create(
                agency=agency,
                actor=user,
                texts={"en": {"headline": "Bench storm", "instruction": "Stay indoors."}},
                channels=["web", "email", "sms"],
            )
            assert alert.status == Alert.Status.SENDING, alert.status
            deliveries = Delivery.objects.for_agency(agency).filter(alert=alert)
            killed = False
            last_sweep = time.monotonic()
            while time.monotonic() - sent_at < args.timeout:
                time.sleep(1)
                queued_now = "queued_all_s" not in result and deliveries.count() >= args.subscribers
                done = deliveries.filter(status__in=["sent", "failed"]).count()
                if queued_now:
                    result["queued_all_s"] = round(time.monotonic() - sent_at, 1)
                    mark("queued_all", done)
                if cpu is not None:
                    cpu.tick()
                    elapsed = time.monotonic() - sent_at
                    since = {m[0]: m[1] for m in marks}
                    if "restarted" not in since and "killed" in since and elapsed - since["killed"] >= 15:
                        mark("restarted", done)
                    start = since.get("restarted", since.get("queued_all") if args.kill_at > 1 else None)
                    if start is not None and elapsed - start >= args.cpu_window:
                        mark("window_end", done)
                        save()
                        if args.stop_after_window:
                            break
                if int(time.monotonic() - sent_at) % 30 == 0:
                    print(
                        f"{time.monotonic() - sent_at:.0f}s done={done} load={os.getloadavg()[0]:.1f}", file=sys.stderr
                    )
                    result["progress"] = {
                        "s": round(time.monotonic() - sent_at),
                        "done": done,
                        "load": round(os.getloadavg()[0], 1),
                    }
                    save()
                if not killed and done >= args.kill_at * args.subscribers:
                    mark("killed", done)
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
                    killed = True
                    result["killed_at_done"] = done
                    result["killed_at_s"] = round(time.monotonic() - sent_at, 1)
                    result["leased_at_kill"] = deliveries.filter(status="sending").count()
                    result["sink_at_kill"] = sum(mailer.recipients.values()) + len(gateway.messages)
                    worker = start_worker("2")
                    if cpu is not None:
                        cpu.worker_started(worker.pid)
                    save()
                if time.monotonic() - last_sweep > 5:
                    deliveries_sweep()  # what beat does every 20 s
                    last_sweep = time.monotonic()
                if (killed or args.kill_at > 1) and done >= args.subscribers:
                    break
            result["all_sent_s"] = round(time.monotonic() - sent_at, 1)
            result["timed_out"] = done < args.subscribers
            result["load_at_end"] = os.getloadavg()
            if worker.poll() is None:  # stopped before counting: the sink and the gateway no longer change
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(60)
            result["rows"] = dict(Counter(deliveries.values_list("status", flat=True)))
            time.sleep(2)
            email_rcpts, sms_to = Counter(mailer.recipients), Counter(m["To"] for m in list(gateway.messages))
            sms_keys = Counter(m.get("idempotency_key") for m in gateway.messages)
            result["email"] = {
                "expected": args.subscribers - n_sms,
                "received_distinct": len(email_rcpts),
                "duplicates": sum(c - 1 for c in email_rcpts.values() if c > 1),
                **email_provider_counts(mailer),
                "limit_per_second": settings.CRISIS_RATE_LIMITS.get("email"),
                "provider_limit": mailer.rate_limit,
                "refused_over_provider_limit": mailer.over_limit,
            }
            result["sms"] = {
                "expected": n_sms,
                "received_distinct": len(sms_to),
                "duplicates": sum(c - 1 for c in sms_to.values() if c > 1),
                "duplicate_idempotency_keys": sum(c - 1 for c in sms_keys.values() if c > 1),
                "max_per_second": max(Counter(m["date_sent"] for m in gateway.messages).values(), default=0),
                "limit_per_second": settings.CRISIS_RATE_LIMITS.get("sms"),
                "provider_limit": gateway.rate_limit,
                "refused_over_provider_limit": gateway.over_limit,
            }
            alert.refresh_from_db()
            result["alert_status"] = alert.status

            timings = []
            for _ in range(30):
                started = time.perf_counter()
                delivery_report(agency=agency, alert=alert)
                timings.append((time.perf_counter() - started) * 1000)
            result["report_service_ms"] = {
                "median": round(statistics.median(timings), 1),
                "max": round(max(timings), 1),
            }
            # Baseline in the same run: what the report did before the trigger-kept counters (a count over
            # every delivery row of the alert, by channel and status).
            timings = []
            for _ in range(30):
                started = time.perf_counter()
                list(deliveries.values("channel", "status").annotate(n=Count("pk")).order_by())
                timings.append((time.perf_counter() - started) * 1000)
            result["baseline_count_over_rows_ms"] = {
                "median": round(statistics.median(timings), 1),
                "max": round(max(timings), 1),
            }
        client = Client(HTTP_HOST="localhost")
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for name, path in (
            ("report.json", f"/a/{agency.slug}/staff/crisis/alerts/{alert.pk}/report.json"),
            ("report_page", f"/a/{agency.slug}/staff/crisis/alerts/{alert.pk}/"),
        ):
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            timings.sort()
            result[f"{name}_ms"] = {
                "median": round(statistics.median(timings), 1),
                "p95": round(timings[int(len(timings) * 0.95) - 1], 1),
            }
        result["finished"] = True
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(30)
        gateway.stop()
        if args.email_provider == "postmark":
            mailer.stop()
        result["ended_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        print(json.dumps(result), flush=True)  # also when a later step failed: what was measured is kept
        save()
        agency_remove(agency)
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)  # users are kept (audit trail)


if __name__ == "__main__":
    main()
