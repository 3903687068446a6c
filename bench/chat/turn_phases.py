"""Where a chat answer's time goes on the server, read back from the stored rows after a load run.

    cd <tree> && .venv/bin/python /path/to/bench/chat/turn_phases.py --since 2026-12-05T14:00:00Z [--until …]

Runs against the database of the tree it is started in (its `portal.settings`, its embedded PostgreSQL), so
the same script reads an old checkout's run. For every bot reply stored in the window (agency `chatbench`):
- question stored → reply stored: the citizen's message row's `created_at` to the bot's (both set by the web
  process's clock at insert);
- the turn: `decision.ms`, the engine's own wall time from the turn's start in its thread to its decision
  (before the reply is stored);
- the rest: waiting for a chat thread before the turn starts, and storing the reply.
The client's latency (`load.py`) minus "question stored → reply stored" is the socket and the hand-offs
outside the turn: the frame's receive, `message_receive` waiting for a thread, the reply's frame going out.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

SQL = """
SELECT EXTRACT(EPOCH FROM (b.created_at - c.created_at)) * 1000, (b.payload -> 'decision' ->> 'ms')::float
  FROM chat_message b
  JOIN chat_message c ON c.conversation_id = b.conversation_id AND c.seq = b.reply_to_seq AND c.agency_id = b.agency_id
 WHERE b.agency_id = %s AND b.role = 'bot' AND b.created_at >= %s AND b.created_at < %s
"""


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    values = sorted(values)

    def at(q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))], 1)

    return {
        "n": len(values),
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "mean": round(statistics.fmean(values), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agency", default="chatbench")
    parser.add_argument("--since", required=True, help="ISO time, UTC")
    parser.add_argument("--until", default="9999-01-01T00:00:00Z")
    args = parser.parse_args()
    agency = Agency.objects.get(slug=args.agency)
    with agency_context(agency), connection.cursor() as cursor:
        cursor.execute(SQL, [agency.pk, args.since, args.until])
        rows = cursor.fetchall()
    stored = [float(row[0]) for row in rows]
    turn = [float(row[1]) for row in rows if row[1] is not None]
    rest = [float(row[0]) - float(row[1]) for row in rows if row[1] is not None]
    print(
        json.dumps(
            {
                "question_stored_to_reply_stored_ms": percentiles(stored),
                "turn_ms": percentiles(turn),
                "wait_and_store_ms": percentiles(rest),
            }
        )
    )


if __name__ == "__main__":
    main()
