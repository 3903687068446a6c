"""CPU cost of one chat turn, in process: the citizen's message stored, the bot's turn, the reply stored.

    .venv/bin/python bench/chat/turn_cost.py [--turns 300] [--mode turn|answer] [--rls on|off]
    .venv/bin/python bench/chat/turn_cost.py --set bench/knowledge/data/crosslingual_held25.jsonl --agency springfield

Runs against the `chatbench` agency (bench/chat/seed_kb.py) on the configured database, sequentially, with
varied FAQ questions as the load test asks them. Prints wall time, this process's CPU and PostgreSQL's CPU per
question (PostgreSQL's processes found by its data directory, on this machine), and the statements of a turn with their
time. Broadcasts are not sent (no server runs here). With --set, the questions are those of a JSONL set of lines
{"agency", "lang", "query", …} asked of --agency (as written: citizens' questions in other languages, most of them
refused with "did you mean" suggestions across languages).

`--rls off` measures the cost of row-level security by running as before it: connected as the tables' owner
(the embedded server's superuser, which PostgreSQL exempts from the policies) and without the per-transaction
`set_config` of tenants.rls. `--rls on` (the default) is the app's role, as the application runs.
"""

import argparse
import collections
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "chat"))
sys.path.insert(0, str(ROOT / "bench" / "requests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
RLS_OFF = "--rls=off" in sys.argv or " ".join(sys.argv).find("--rls off") >= 0
if RLS_OFF and not os.environ.get("DATABASE_URL"):
    from portal import embedded

    os.environ["DATABASE_URL"] = embedded.ensure_services(need_database=True, need_redis=False).database_owner_url

import django  # noqa: E402

django.setup()
if RLS_OFF:
    from django.db.backends.signals import connection_created

    connection_created.disconnect(dispatch_uid="tenants.rls.install")
from core.process import tune  # noqa: E402

tune(serves_sockets=True)  # as the web process would at start

import load  # noqa: E402
from common import postgres_processes, processes_cpu  # noqa: E402  (bench/requests/common.py)
from django.db import connection  # noqa: E402

from chat import realtime, services  # noqa: E402
from chat.engine.engine import bot_turn  # noqa: E402
from knowledge.services import answer_question  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=300)
    parser.add_argument("--mode", choices=["turn", "answer"], default="turn")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rls", choices=["on", "off"], default="on")
    parser.add_argument("--agency", default="chatbench", help="slug of an agency holding faq_eval/en")
    parser.add_argument("--set", type=Path, help="a JSONL set's questions for --agency instead of the FAQ's")
    args = parser.parse_args()
    realtime.send_now = lambda group, event, exclude=None: None  # no server to deliver to
    agency = Agency.objects.get(slug=args.agency)
    rng = random.Random(args.seed)
    if args.set:
        rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
        pool = [row["query"] for row in rows if row.get("agency", row.get("kb")) == args.agency]
        if not pool:
            raise SystemExit(f"no question of {args.set} is for {args.agency}")
        vary = lambda question, rng: question  # noqa: E731 - as written
    else:
        pool = load.faq_questions()
        vary = load.vary
    statements: dict[str, list[float]] = collections.defaultdict(list)

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements[sql[:100]].append((time.perf_counter() - started) * 1000)

    with agency_context(agency):
        conversation, _token = services.conversation_start(agency=agency, channel="widget")

        def turn(question):
            received = services.message_receive(
                agency=agency, conversation_id=conversation.pk, text=question, client_msg_id=str(time.time_ns())
            )
            return bot_turn(
                agency=agency,
                conversation_id=conversation.pk,
                citizen_seq=received.message.seq,
                message=received.message,
            )

        def answer(question):
            return answer_question(agency=agency, question=question)

        step = turn if args.mode == "turn" else answer
        for _ in range(10):
            step(vary(rng.choice(pool), rng))
        questions = [vary(rng.choice(pool), rng) for _ in range(args.turns)]
        postgres = postgres_processes()
        wall, cpu, pg = time.perf_counter(), time.process_time(), processes_cpu(postgres)
        for question in questions:
            step(question)
        n = len(questions)
        print(
            f"{args.mode} (rls {args.rls}): wall {(time.perf_counter() - wall) / n * 1000:.1f} ms, this process CPU "
            f"{(time.process_time() - cpu) / n * 1000:.1f} ms, PostgreSQL CPU {(processes_cpu(postgres) - pg) / n * 1000:.1f} ms"
            " per question"
        )
        with connection.execute_wrapper(record):
            for question in questions[:50]:
                step(question)
    print("statements per question (ms of wall time, count):")
    for sql, times in sorted(statements.items(), key=lambda item: -sum(item[1])):
        print(f"  {sum(times) / 50:6.2f} ms  x{len(times) / 50:4.2f}  {sql}")


if __name__ == "__main__":
    main()
