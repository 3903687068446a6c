"""CPU of one webhook acknowledgement in the web process: the ASGI handler (`portal.handlers`), its
middleware chain, the view's signature check, the event's insert and the drain's queueing (its Redis flag;
the broker call itself is recorded instead of sent), for the four channels' "Hi" in turn. Compares the
webhooks' own chain (`settings.HOOK_MIDDLEWARE`) with the site's full chain (`settings.MIDDLEWARE`, which
every /hooks/ request went through before), interleaved round by round in this one process.

    .venv/bin/python bench/messaging/ack_cost.py [--acks 2000] [--rounds 4]

Prints per chain: this process's CPU ms and PostgreSQL's CPU ms per acknowledgement, and its status codes.
Uses the checkout's database and Springfield's connections (bench secrets; `turn_profile.py` and
`stack.py` set the same). Its events are marked ignored at the end so no worker runs them.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "messaging"))
sys.path.insert(0, str(ROOT / "bench" / "requests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from core.process import tune  # noqa: E402

tune(serves_sockets=True)  # as the web process

from portal.handlers import get_application  # noqa: E402

application = get_application()

from burst import webhook  # noqa: E402
from common import postgres_processes, processes_cpu  # noqa: E402  (bench/requests/common.py)

from messaging import tasks  # noqa: E402
from messaging.models import InboundEvent  # noqa: E402
from portal import handlers  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

AGENCY = "springfield"


def connect(state: dict) -> None:
    from stack import SECRETS, connect_channels

    state["secrets"] = SECRETS
    base = "http://127.0.0.1:9"  # nothing is sent: no reply leaves this bench
    connect_channels(dict.fromkeys(("telegram", "whatsapp", "messenger", "sms"), base))


async def ack(url: str, body: bytes, headers: dict) -> int:
    """One request through the ASGI application, as uvicorn hands it over."""
    parts = urlsplit(url)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8120"), (b"content-length", str(len(body)).encode())]
        + [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8120),
    }
    sent = [{"type": "http.request", "body": body, "more_body": False}]
    status = []

    async def receive():
        if sent:
            return sent.pop()
        await asyncio.Event().wait()  # the client stays connected (Django cancels a request on disconnect)

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await application(scope, receive, send)
    return status[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acks", type=int, default=2000, help="per chain and round")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    from stack import PAGE_ID, SMS_NUMBER, SMS_SID, WA_NUMBER

    state = {
        "base": "http://127.0.0.1:8120",
        "agency": AGENCY,
        "whatsapp_phone_number_id": WA_NUMBER,
        "messenger_page_id": PAGE_ID,
        "sms_account_sid": SMS_SID,
        "sms_number": SMS_NUMBER,
    }
    connect(state)
    from django.utils import timezone

    started = timezone.now()
    queued = []
    tasks.inbound_drain_task.delay = lambda **kw: queued.append(kw)  # no broker: recorded
    kinds = ["telegram", "whatsapp", "messenger", "sms"]
    first = int(time.time()) % 100_000 * 100_000 + 9_000_000_000
    postgres = postgres_processes()
    totals = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0, collections.Counter()])
    chains = {"hooks' chain": handlers.HOOK_PREFIX, "full chain": "/never/"}
    loop = asyncio.new_event_loop()
    number = first
    for round_ in range(args.rounds + 1):  # round 0 warms up
        for name, prefix in chains.items():
            handlers.HOOK_PREFIX = prefix
            requests = []
            for _ in range(args.acks):
                requests.append(webhook(state, kinds[number % 4], number)[:3])
                number += 1
            wall, cpu, pg = time.perf_counter(), time.process_time(), processes_cpu(postgres)
            codes = [loop.run_until_complete(ack(url, body, headers)) for url, body, headers in requests]
            if round_:
                total = totals[name]
                total[0] += time.perf_counter() - wall
                total[1] += time.process_time() - cpu
                total[2] += processes_cpu(postgres) - pg
                total[3] += len(codes)
                total[4].update(codes)
    handlers.HOOK_PREFIX = "/hooks/"
    result = {}
    print(f"per acknowledgement, {args.rounds} rounds x {args.acks} per chain, interleaved (ms):")
    for name, (wall, cpu, pg, count, codes) in totals.items():
        result[name] = {"wall": wall / count * 1000, "cpu": cpu / count * 1000, "pg_cpu": pg / count * 1000}
        print(
            f"  {name:14s} wall {wall / count * 1000:6.2f}  cpu {cpu / count * 1000:6.2f}  "
            f"pg cpu {pg / count * 1000:6.2f}  status {dict(codes)}"
        )
    agency = Agency.objects.get(slug=AGENCY)
    with agency_context(agency):
        InboundEvent.objects.for_agency(agency).filter(
            status=InboundEvent.Status.RECEIVED, received_at__gte=started
        ).update(status=InboundEvent.Status.IGNORED, error="bench: ack_cost")
        left = InboundEvent.objects.for_agency(agency).filter(status=InboundEvent.Status.RECEIVED).count()
    print(json.dumps({"cpu_ms_per_ack": result, "drains_queued": len(queued), "events_left_received": left}))


if __name__ == "__main__":
    main()
