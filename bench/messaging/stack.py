"""The stack for the messaging benchmarks: web workers, one Celery worker, beat, and the four fake
provider APIs, with Springfield connected to all four channels. Unlike `make run`, a Celery worker
that dies (the SIGKILL run of `burst.py --kill-worker-at`) is started again after `--restart-delay`
seconds instead of ending the stack. Writes what `burst.py` needs to var/bench-messaging.json.

Run it at normal priority (the benchmark's stack), from the checkout, and stop it with Ctrl-C:

    .venv/bin/python bench/messaging/stack.py --port 8120 --fake-port 8121
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from portal import stack  # noqa: E402

AGENCY = "springfield"
TELEGRAM_TOKEN = "123456:BENCH-token"
SECRETS = {
    "telegram": "bench-telegram-secret",
    "whatsapp": "bench-whatsapp-app-secret",
    "messenger": "bench-messenger-app-secret",
    "sms": "bench-twilio-auth-token",
}
STATE = ROOT / "var" / "bench-messaging.json"
WA_NUMBER, PAGE_ID, SMS_SID, SMS_NUMBER = "106540352242922", "1122334455", "ACbench0001", "+15550001111"


def connect_channels(api_bases: dict[str, str]) -> None:
    """Springfield's four channel connections with the bench's secrets (`manage.py channel_connect`, which is
    idempotent), each pointed at `api_bases[kind]`."""
    connect = {
        "telegram": ["--bot-token", TELEGRAM_TOKEN, "--secret-token", SECRETS["telegram"], "--no-set-webhook"],
        "whatsapp": [
            *("--phone-number-id", WA_NUMBER, "--access-token", "bench-wa-token"),
            *("--app-secret", SECRETS["whatsapp"], "--verify-token", "bench-verify"),
        ],
        "messenger": [
            *("--page-id", PAGE_ID, "--page-token", "bench-page-token"),
            *("--app-secret", SECRETS["messenger"], "--verify-token", "bench-verify"),
        ],
        "sms": ["--account-sid", SMS_SID, "--auth-token", SECRETS["sms"], "--from", SMS_NUMBER],
    }
    for kind, options in connect.items():
        call_command("channel_connect", AGENCY, kind, *options, "--api-base", api_bases[kind], verbosity=0)


def drop_backlog() -> None:
    """An earlier run cut short leaves thousands of `received` events and pending replies, which the sweep
    would run during this one's measurement, and their tasks in the broker's queue, which this run's worker
    would work through first. They are the bench's own people saying "Hi": marked done, the queue purged."""
    from messaging.models import InboundEvent, OutboundMessage
    from portal.celery import app
    from tenants.context import agency_context
    from tenants.models import Agency

    agency = Agency.objects.get(slug=AGENCY)
    with agency_context(agency):
        events = InboundEvent.objects.for_agency(agency).filter(status=InboundEvent.Status.RECEIVED)
        events = events.update(status=InboundEvent.Status.IGNORED, error="bench: dropped as an earlier run's backlog")
        replies = OutboundMessage.objects.for_agency(agency).filter(state=OutboundMessage.State.PENDING)
        replies = replies.update(state=OutboundMessage.State.FAILED, error="bench: dropped as an earlier run's backlog")
    tasks = app.control.purge()
    print(f"dropped an earlier run's backlog: {events} events, {replies} replies, {tasks} queued tasks", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--fake-port", type=int, default=8121, help="first of four ports for the fakes")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--restart-delay", type=float, default=2.0)
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="run the Celery worker at this nice value (the web processes at 0): acknowledgements first",
    )
    parser.add_argument(
        "--drop-backlog",
        action="store_true",
        help="first mark the agency's events and replies left over from an earlier run done (not run again)",
    )
    args = parser.parse_args()
    if args.drop_backlog:
        drop_backlog()

    base = f"http://{args.host}:{args.port}"
    fakes = {kind: f"http://{args.host}:{args.fake_port + index}" for index, kind in enumerate(SECRETS)}
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    servers = {
        "fake-telegram": [*manage, "provider_server", "telegram", "--token", TELEGRAM_TOKEN],
        "fake-whatsapp": [
            *manage,
            *("provider_server", "whatsapp", "--phone-number-id", "106540352242922"),
            *("--access-token", "bench-wa-token", "--app-secret", SECRETS["whatsapp"]),
        ],
        "fake-messenger": [
            *manage,
            *("provider_server", "messenger", "--page-id", "1122334455"),
            *("--page-token", "bench-page-token", "--app-secret", SECRETS["messenger"]),
        ],
        "fake-sms": [
            *manage,
            *("provider_server", "twilio", "--account-sid", "ACbench0001", "--auth-token", SECRETS["sms"]),
            "--no-status-callbacks",  # as the benchmarks were measured (the server posts them by default since s20)
        ],
    }
    for (_name, command), port in zip(servers.items(), range(args.fake_port, args.fake_port + 4), strict=True):
        command += ["--port", str(port), "--host", args.host]
    connect_channels(fakes)

    env = stack.child_env(site_url=base)
    commands = {
        **servers,
        **stack.web_commands(host=args.host, port=args.port, workers=args.web_workers),
        "beat": stack.beat_command(schedule=str(ROOT / "var" / "bench-celerybeat-schedule"), loglevel="WARNING"),
    }
    worker = stack.worker_command(concurrency=args.concurrency, hostname=f"bench-worker-{args.port}@%h")
    if args.worker_nice:
        worker = ["nice", "-n", str(args.worker_nice), *worker]
    logs = ROOT / "var" / "bench-logs"
    logs.mkdir(exist_ok=True)

    def start(name: str, command: list[str]) -> subprocess.Popen:
        out = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the child's life
        # Own process group: the SIGKILL run kills the worker with all its pool processes.
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)

    children = {name: start(name, command) for name, command in commands.items()}
    children["worker"] = start("worker", worker)
    restarts: list[float] = []

    def write_state() -> None:
        STATE.write_text(
            json.dumps(
                {
                    "base": base,
                    "agency": AGENCY,
                    "fakes": fakes,
                    "secrets": SECRETS,
                    "whatsapp_phone_number_id": "106540352242922",
                    "messenger_page_id": "1122334455",
                    "sms_account_sid": "ACbench0001",
                    "sms_number": "+15550001111",
                    "worker_pgid": children["worker"].pid,
                    "worker_restarts": restarts,
                },
                indent=2,
            )
        )

    write_state()
    stopping = stack.stop_requested()
    print(f"bench stack on {base}, fakes {fakes}; state in {STATE}", flush=True)
    ended = False
    try:
        while not stopping() and not ended:
            for name, child in list(children.items()):
                if child.poll() is None:
                    continue
                if name != "worker":
                    print(f"{name} exited with {child.returncode}; stopping", flush=True)
                    ended = True
                    break
                # The worker was killed: the rest of its process group too, then a new one.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                time.sleep(args.restart_delay)
                children["worker"] = start("worker", worker)
                restarts.append(time.time())
                print(f"worker restarted ({len(restarts)})", flush=True)
                write_state()
            time.sleep(0.2)
    finally:
        stack.terminate(children.values(), groups=True)


if __name__ == "__main__":
    main()
