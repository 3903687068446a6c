"""Run the whole stack in the foreground: ASGI server (HTTP + WebSocket), Celery workers (the main one, and a
niced one for bulk work: alert fan-outs and senders) and beat.

This process holds the embedded PostgreSQL/Redis (started by settings when no URLs are given) and
hands their URLs to the children, so they reuse them. Ctrl-C (or SIGTERM) stops every child, then
the embedded services; if any child dies, the others are stopped too. Nothing is left running.
"""

import hashlib
import io
import os
import subprocess
import sys
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal import demo, serve, stack


class Command(BaseCommand):
    help = "Migrate, seed the demo, and run the ASGI server, a Celery worker and Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-seed", action="store_true", help="Do not create the demo data.")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args, host: str, port: int, no_seed: bool, workers: int, **options):
        if not serve.port_is_free(host, port):
            raise CommandError(f"Something is already listening on {host}:{port}. Stop it or choose another PORT.")
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            # Without DEBUG, static files are served from the hashed manifest (whitenoise): build it.
            static_manifest_build()
        if not no_seed:
            call_command("seed_demo", verbosity=0)
        # Chunks whose vectors are not in the space their language now wants (after an embedder change or
        # an upgrade) are re-embedded before serving; nothing happens when none are stale.
        report = io.StringIO()
        call_command("reembed_agency", all=True, stale=True, stdout=report)
        if "re-embedded" in report.getvalue():
            self.stdout.write(report.getvalue())

        env = stack.child_env(site_url=os.environ.get("SITE_URL") or f"http://{host}:{port}")
        commands = stack.web_commands(host=host, port=port, workers=workers)
        # Four worker processes: a channel turn spends most of its time waiting for PostgreSQL and the
        # provider, so on two cores four drain a backlog ~2.8x sooner than two (bench/messaging/RESULTS.md).
        commands["worker"] = stack.worker_command(
            concurrency=os.environ.get("CELERY_CONCURRENCY", "4"),
            hostname=f"worker-{port}@%h",
            queues=stack.worker_queues(),
        )
        commands["bulk-worker"] = stack.bulk_worker_command(hostname=f"bulk-{port}@%h")
        commands["beat"] = stack.beat_command(schedule=settings.CELERY_BEAT_SCHEDULE_FILENAME)
        stopping = stack.stop_requested()
        children = {
            name: subprocess.Popen(command, env=env, cwd=settings.BASE_DIR) for name, command in commands.items()
        }

        self._banner(host, port)
        exit_code = 0
        try:
            while not stopping() and not exit_code:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping the stack.")
                        exit_code = 1
                        break
                time.sleep(0.3)
        finally:
            stack.terminate(children.values())
        sys.exit(exit_code)

    def _banner(self, host: str, port: int) -> None:
        base = f"http://{host}:{port}"
        lines = [
            "",
            "CivicDesk is running. Ctrl-C stops everything.",
            f"  Portal          {base}/",
            f"  Springfield     {base}/a/springfield/",
            f"  Revenue         {base}/a/revenue/",
            f"  Staff login     {base}/staff/login/",
            f"  Django admin    {base}/admin/",
            f"  API docs        {base}/api/docs/",
            f"  Demo logins (password: {demo.demo_password()}):",
        ]
        lines += [f"    {username:<26} {what}" for username, what in demo.demo_logins()]
        self.stdout.write("\n".join(lines) + "\n")


def static_fingerprint() -> str:
    """Names, sizes and modification times of every source static file (what collectstatic reads), and the
    storage that builds from them: its class and its module's code (portal/staticstorage.py bundles the chat
    widget, so a change there changes what is built from the same files)."""
    from django.contrib.staticfiles.finders import get_finders

    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    digest = hashlib.sha256(backend.encode())
    digest.update(Path(import_module(backend.rsplit(".", 1)[0]).__file__).read_bytes())
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def static_manifest_build() -> bool:
    """Run collectstatic unless the manifest was built from exactly these files (hashing and
    compressing ~35 MB takes 10-15 s; a restart with nothing changed should not pay it). True: built."""
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".civicdesk-static-fingerprint"
    fingerprint = static_fingerprint()
    manifest = root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)
    return True
