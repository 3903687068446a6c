"""Where a channel turn's time goes, in one process: the worker's two tasks for one inbound "Hi" (the turn,
`messaging.inbound_event_process`, and the delivery it queues, `messaging.outbound_deliver`), run through
Celery's own task call (`Task.apply`: the AgencyTask scope, no broker) against the four fake provider APIs
started in this process, beside the web chat's turn for the same "Hi" from a new person.

    .venv/bin/python bench/messaging/turn_profile.py [--turns 200] [--profile 40]

Prints per phase: wall ms, this process's CPU ms, PostgreSQL's CPU ms and SQL statements per message, then
the statements of a turn by time and cProfile's top functions (cumulative) over `--profile` turns.
Uses the configured database (the checkout's embedded one) and Springfield's channel connections (pointed
at this process's fakes; `bench/messaging/stack.py` points them back at its own on start).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import json
import logging
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "messaging"))
sys.path.insert(0, str(ROOT / "bench" / "chat"))
sys.path.insert(0, str(ROOT / "bench" / "requests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as a Celery worker's process

from burst import webhook  # noqa: E402
from common import postgres_processes, processes_cpu  # noqa: E402  (bench/requests/common.py)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from stack import (  # noqa: E402
    PAGE_ID,
    SECRETS,
    SMS_NUMBER,
    SMS_SID,
    TELEGRAM_TOKEN,
    WA_NUMBER,
    connect_channels,
)

from chat import realtime  # noqa: E402
from messaging import tasks  # noqa: E402
from messaging.fakes.meta import FakeMeta  # noqa: E402
from messaging.fakes.telegram import FakeTelegram  # noqa: E402
from messaging.fakes.twilio import FakeTwilio  # noqa: E402
from messaging.models import InboundEvent  # noqa: E402
from messaging.views import webhook as webhook_view  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

AGENCY = "springfield"


def fakes() -> dict[str, str]:
    telegram = FakeTelegram(token=TELEGRAM_TOKEN).start()
    meta = FakeMeta(auto_status=False).start()
    meta.add_account("whatsapp", WA_NUMBER, token="bench-wa-token", app_secret=SECRETS["whatsapp"])
    meta.add_account("messenger", PAGE_ID, token="bench-page-token", app_secret=SECRETS["messenger"])
    twilio = FakeTwilio(account_sid=SMS_SID, auth_token=SECRETS["sms"]).start()
    urls = {"telegram": telegram.url, "whatsapp": meta.url, "messenger": meta.url, "sms": twilio.url}
    connect_channels(urls)
    return urls


class Phase:
    """Wall, this process's CPU, PostgreSQL's CPU and SQL statements of one named step, summed."""

    def __init__(self, postgres):
        self.postgres = postgres
        self.totals: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0, 0])
        self.statements = 0
        self.by_sql: dict[str, list[float]] = collections.defaultdict(list)
        self.record_sql = False

    def wrapper(self, execute, sql, params, many, context):
        self.statements += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.record_sql:
                self.by_sql[sql[:110]].append((time.perf_counter() - started) * 1000)

    def run(self, name: str, step, count: int = 1):
        wall, cpu, pg, sql = time.perf_counter(), time.process_time(), processes_cpu(self.postgres), self.statements
        result = step()
        total = self.totals[name]
        total[0] += time.perf_counter() - wall
        total[1] += time.process_time() - cpu
        total[2] += processes_cpu(self.postgres) - pg
        total[3] += self.statements - sql
        total[4] += count
        return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--profile", type=int, default=40)
    parser.add_argument("--sql", type=int, default=40, help="turns whose statements are listed")
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        help="webhooks stored before the worker's tasks run (1: each message alone; more: what one drain "
        "and one delivery pass do for a backlog, as under load)",
    )
    parser.add_argument("--cpu-profile", action="store_true", help="profile CPU time, not wall time")
    args = parser.parse_args()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    urls = fakes()
    state = {
        "base": "http://testserver",
        "agency": AGENCY,
        "secrets": SECRETS,
        "whatsapp_phone_number_id": WA_NUMBER,
        "messenger_page_id": PAGE_ID,
        "sms_account_sid": SMS_SID,
        "sms_number": SMS_NUMBER,
        "fakes": urls,
    }
    queued: list[tuple[str, dict]] = []
    # No broker here: what the app would queue is recorded, and run below through Task.apply.
    tasks.inbound_event_process_task.delay = lambda **kw: queued.append(("turn", kw))
    tasks.inbound_drain_task.delay = lambda **kw: queued.append(("drain", kw))
    tasks.outbound_deliver_task.apply_async = lambda kwargs=None, **kw: queued.append(("deliver", kwargs))
    realtime.send_now = lambda group, event, exclude=None: None  # no socket server: the web chat is measured alike

    agency = Agency.objects.get(slug=AGENCY)
    factory = RequestFactory()
    kinds = ["telegram", "whatsapp", "messenger", "sms"]
    first = int(time.time()) % 100_000 * 100_000 + 7_000_000_000
    phase = Phase(postgres_processes())
    # --cpu-profile: cProfile on this process's CPU clock (waits for PostgreSQL and the fakes count nothing)
    profiler = cProfile.Profile(time.process_time) if args.cpu_profile else cProfile.Profile()

    def one_channel_turn(index: int, *, profile: bool = False) -> None:
        """`--batch` webhooks from index on (each a new person), then the worker's tasks they queued."""
        batch = range(index * args.batch, (index + 1) * args.batch)
        for number in batch:
            kind = kinds[number % 4]
            url, body, headers, _who = webhook(state, kind, first + number)
            request = factory.post(
                url.removeprefix("http://testserver"),
                data=body,
                content_type=headers.pop("Content-Type"),
                **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
            )
            response = phase.run(
                f"webhook ({kind})", lambda request=request, kind=kind: webhook_view(request, AGENCY, kind)
            )
            assert response.status_code == 200, response.status_code
        work = list(queued)
        queued.clear()
        if profile:
            profiler.enable()
        per_task = args.batch / max(1, len(work))
        for name, kwargs in work:
            task = tasks.inbound_drain_task if name == "drain" else tasks.inbound_event_process_task
            label = "drain task, turns + their delivery" if name == "drain" else "turn task"
            phase.run(label, lambda kwargs=kwargs, task=task: task.apply(kwargs=kwargs), count=per_task)
        deliveries = list(queued)
        queued.clear()
        for _name, kwargs in deliveries:
            phase.run(
                "deliver task",
                lambda kwargs=kwargs: tasks.outbound_deliver_task.apply(kwargs=kwargs),
                count=args.batch / len(deliveries),
            )
        if profile:
            profiler.disable()
        queued.clear()

    def one_web_turn() -> None:
        from chat import services
        from chat.engine.engine import bot_turn

        with agency_context(agency):
            conversation, _token = services.conversation_start(agency=agency, channel="widget")
            received = services.message_receive(
                agency=agency, conversation_id=conversation.pk, text="Hi", client_msg_id=str(time.time_ns())
            )
            bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)

    with connection.execute_wrapper(phase.wrapper):
        for index in range(8):  # warm: imports, the models, the kept connections
            one_channel_turn(index)
            one_web_turn()
        phase.totals.clear()
        for index in range(8, 8 + args.turns):
            one_channel_turn(index)
            phase.run("web chat turn (Hi, new conversation)", one_web_turn)
        phase.record_sql = True
        for index in range(8 + args.turns, 8 + args.turns + args.sql):
            one_channel_turn(index)
        phase.record_sql = False
        for index in range(8 + args.turns + args.sql, 8 + args.turns + args.sql + args.profile):
            one_channel_turn(index, profile=True)

    print(f"per message, mean of {args.turns} x batch {args.batch} channel messages / {args.turns} web turns (ms):")
    print(f"  {'phase':44s} {'wall':>7s} {'cpu':>7s} {'pg cpu':>7s} {'sql':>5s}")
    for name, (wall, cpu, pg, sql, n) in sorted(phase.totals.items()):
        print(f"  {name:44s} {wall / n * 1000:7.1f} {cpu / n * 1000:7.1f} {pg / n * 1000:7.1f} {sql / n:5.1f}")
    messages = args.sql * args.batch
    print(f"statements of a channel message (webhook, turn, delivery), mean over {messages} (ms of wall, count):")
    for sql, times in sorted(phase.by_sql.items(), key=lambda item: -sum(item[1]))[:30]:
        print(f"  {sum(times) / messages:6.2f} ms  x{len(times) / messages:4.2f}  {sql}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
    stats.print_stats(90)
    print(f"cProfile of {args.profile} channel turns + deliveries (cumulative):")
    print("\n".join(out.getvalue().splitlines()[:120]))
    with agency_context(agency):
        left = InboundEvent.objects.for_agency(agency).filter(status=InboundEvent.Status.RECEIVED).count()
    print(json.dumps({"events_left_received_in_agency": left}))


if __name__ == "__main__":
    main()
