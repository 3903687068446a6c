"""Fault: SIGKILL the Celery worker in the middle of indexing a 2,000-chunk document (issue 13).

    flock /work/bench.lock .venv/bin/python bench/faults/worker_kill.py [--entries 2000] [--kill-at 0.3] [--wait 600]

This process holds the clone's embedded PostgreSQL/Redis and runs a real Celery worker and Celery beat (as
`make run` starts them; `--no-beat`: the worker alone, as before the stalled-indexing sweep) in their own
process groups. A throwaway agency gets a document whose version 1 is indexed and active; version 2 (a FAQ of
`--entries` entries, one chunk each) is queued through the normal service. When version 2's progress passes
`--kill-at`, the worker's whole process group gets SIGKILL; version 1 must still be served. A new worker is
started and the script waits up to `--wait` s for version 2 to be indexed (beat's sweep queues it again once its
progress has not moved for KNOWLEDGE_INDEX_STALL_MINUTES); if it was not, the script puts the unacknowledged
message back on the queue (what kombu does after its visibility timeout, 1 h by default), reports that, and
waits again. Then it counts version 2's chunks (rows, distinct orders, distinct texts) and prints one JSON
line. The agency is deleted at the end.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from auditlog.context import disable_auditlog  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402

from knowledge import services  # noqa: E402
from knowledge.models import Chunk, DocumentVersion  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402
from tenants.services import delete_agency  # noqa: E402


def start_worker(port_tag: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
    env["PYTHONUNBUFFERED"] = "1"
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING"]
    command += ["--concurrency", "2", "--without-gossip", "--without-mingle", "--hostname", f"fault-{port_tag}@%h"]
    log = open(ROOT / "var" / f"fault-worker-{port_tag}.log", "w")  # noqa: SIM115
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start_beat() -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
    command = [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel", "INFO"]
    command += ["--schedule", str(ROOT / "var" / "fault-beat-schedule")]
    log = open(ROOT / "var" / "fault-beat.log", "w")  # noqa: SIM115
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def redeliver_unacked() -> int:
    """Put every unacknowledged message back on its queue, as kombu's Redis transport does for messages
    older than the visibility timeout (`restore_visible`)."""
    from portal.celery import app

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        tags = [tag.decode() for tag in channel.client.zrange("unacked_index", 0, -1)]
        for tag in tags:
            channel.qos.restore_by_tag(tag)
    return len(tags)


def faq(entries: int, tag: str) -> str:
    return json.dumps(
        [
            {"question": f"{tag} question {i}: how do I renew permit {i}?", "answer": f"{tag} answer {i}. " * 8}
            for i in range(entries)
        ]
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--kill-at", type=float, default=0.3, help="fraction of progress at which to kill")
    parser.add_argument("--wait", type=float, default=600.0, help="seconds to wait for the new worker")
    parser.add_argument("--no-beat", action="store_true", help="no Celery beat (no stalled-indexing sweep)")
    args = parser.parse_args()
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    agency = Agency.objects.create(slug=f"fault-{uuid.uuid4().hex[:8]}", name="Worker kill fault", is_active=True)
    result: dict = {
        "entries": args.entries,
        "beat": not args.no_beat,
        "stall_minutes": settings.KNOWLEDGE_INDEX_STALL_MINUTES,
        "sweep_seconds": settings.KNOWLEDGE_INDEX_SWEEP_SECONDS,
    }
    worker = beat = None
    try:
        with agency_context(agency), disable_auditlog():
            document = services.document_create(
                agency=agency, actor=None, title="Permits FAQ", format="faq_json", queue=False, content=faq(20, "v1")
            )
            v1 = document.versions.get()
            services.versions_index(agency=agency, version_ids=[v1.pk])
            v1_live = Chunk.objects.for_agency(agency).filter(version=v1, is_live=True).count()
            worker = start_worker("a")
            beat = None if args.no_beat else start_beat()
            time.sleep(8)  # let the worker boot (model load) before the task arrives
            v2 = services.document_version_create(
                agency=agency, actor=None, document=document, format="faq_json", content=faq(args.entries, "v2")
            )
            started = time.monotonic()
            seen = []
            while True:
                version = DocumentVersion.objects.for_agency(agency).get(pk=v2.pk)
                if version.progress_total and version.progress_done >= args.kill_at * version.progress_total:
                    break
                if time.monotonic() - started > 600:
                    raise SystemExit("version 2 made no progress in 600 s")
                time.sleep(0.2)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            killed = time.monotonic()
            time.sleep(1)
            version.refresh_from_db()
            result["killed_at"] = {"done": version.progress_done, "total": version.progress_total}
            result["chunks_written_before_kill"] = Chunk.objects.for_agency(agency).filter(version=v2).count()
            result["broker_unacked_after_kill"] = broker.zcard("unacked_index")
            # The previous version is still the one served while version 2 is unfinished.
            v1.refresh_from_db()
            result["v1_during"] = {
                "status": v1.status,
                "live_chunks": Chunk.objects.for_agency(agency).filter(version=v1, is_live=True).count(),
                "live_chunks_before": v1_live,
                "v2_live_chunks": Chunk.objects.for_agency(agency).filter(version=v2, is_live=True).count(),
            }
            worker = start_worker("b")
            restarted = time.monotonic()
            while time.monotonic() - restarted < args.wait:
                version.refresh_from_db()
                seen.append(version.progress_done)
                if version.status not in ("indexing", "draft"):
                    break
                time.sleep(1)
            version.refresh_from_db()
            if version.status not in ("indexing", "draft"):
                result["indexed_seconds_after_kill"] = round(time.monotonic() - killed, 1)
            if version.status in ("indexing", "draft"):
                # Not redelivered: the killed worker's message waits in the broker's unacked set until the
                # visibility timeout. Do now what kombu does then (restore it to the queue), to see the rerun.
                result["not_redelivered_within_seconds"] = args.wait
                result["v2_progress_when_given_up"] = {"done": version.progress_done, "total": version.progress_total}
                result["redelivered_by_hand"] = redeliver_unacked()
                restarted = time.monotonic()
                while time.monotonic() - restarted < args.wait:
                    version.refresh_from_db()
                    if version.status not in ("indexing", "draft"):
                        break
                    time.sleep(1)
            version.refresh_from_db()
            v1.refresh_from_db()
            chunks = Chunk.objects.for_agency(agency).filter(version=v2)
            result["after_restart"] = {
                "seconds_waited": round(time.monotonic() - restarted, 1),
                "v2_status": version.status,
                "v2_attempts": version.attempts,
                "v2_requeues": version.requeues,
                "progress": {"done": version.progress_done, "total": version.progress_total},
                "chunk_rows": chunks.count(),
                "distinct_orders": chunks.values("order").distinct().count(),
                "distinct_texts": chunks.values("text").distinct().count(),
                "orders_seen_twice": chunks.values("order").annotate(n=Count("id")).filter(n__gt=1).count(),
                "live_chunks": chunks.filter(is_live=True).count(),
                "v1_status": v1.status,
                "broker_unacked": broker.zcard("unacked_index"),
            }
            ok = (
                version.status == "active"
                and result["after_restart"]["chunk_rows"] == args.entries
                and result["after_restart"]["distinct_orders"] == args.entries
                and version.progress_done == version.progress_total
            )
            result["exactly_once"] = ok
    finally:
        stop(worker)
        stop(beat)
        delete_agency(agency, reason="bench/faults/worker_kill.py's throwaway agency", audit_trail="purge")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
