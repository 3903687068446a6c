"""Fault: restart PostgreSQL under load (issue 13).

    PORT=8112 make run &                                   # the stack under test (embedded PostgreSQL in var/pgdata)
    flock /work/bench.lock .venv/bin/python bench/faults/postgres_restart.py --url http://127.0.0.1:8112 \
        --agency springfield [--clients 20] [--before 10] [--down 5] [--after 20]

`--clients` loops request, in turn, the agency's home page (HTML), the agency list API (JSON) and the Open311
service list, for `--before` s; then the clone's embedded PostgreSQL is stopped (`pg_ctl -m fast`: open
connections are cut, as in a crash of the server process or a failover), kept down `--down` s and started again
with its own options (`pg_ctl restart`), while the load goes on for `--after` s. The stack is not restarted.

Every response is classified per phase (before / down / after the restart): status code, and whether the
body shows a traceback or exception text. Reports the first second after the restart from which every answer
is a 200 (recovery), and one example body of each non-200 status. Prints one JSON line.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
LEAKS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", 'File "/')


def pg_ctl(*arguments: str) -> None:
    from pgserver._commands import pg_ctl as run

    from portal import embedded

    run(["-w", *arguments], pgdata=embedded._pgdata(), user="pgserver" if os.geteuid() == 0 else None)


async def main_async(args) -> dict:
    base = args.url.rstrip("/")
    paths = [f"/a/{args.agency}/", "/api/v1/agencies/", f"/open311/v2/services.json?jurisdiction_id={args.agency}"]
    records: list[tuple[float, str, int, bool]] = []  # (time, path, status or 0 for no answer, leak)
    examples: dict[str, str] = {}
    marks: dict[str, float] = {}
    stop_at = [float("inf")]

    async def client(index: int):
        async with httpx.AsyncClient(timeout=30) as http:
            turn = index
            while time.monotonic() < stop_at[0]:
                path = paths[turn % len(paths)]
                turn += 1
                try:
                    response = await http.get(base + path)
                    status, body = response.status_code, response.text
                except httpx.HTTPError as exc:
                    status, body = 0, f"{type(exc).__name__}: {exc}"
                leak = any(word in body for word in LEAKS) if status != 200 else False
                records.append((time.monotonic(), path, status, leak))
                if status != 200:
                    key = f"{status} {path}"
                    examples.setdefault(key, body[:300])

    start = time.monotonic()
    tasks = [asyncio.create_task(client(i)) for i in range(args.clients)]
    await asyncio.sleep(args.before)
    marks["stop"] = time.monotonic()
    await asyncio.to_thread(pg_ctl, "-m", "fast", "stop")
    marks["stopped"] = time.monotonic()
    await asyncio.sleep(args.down)
    marks["start"] = time.monotonic()
    await asyncio.to_thread(pg_ctl, "-m", "fast", "restart")
    marks["started"] = time.monotonic()
    stop_at[0] = time.monotonic() + args.after
    await asyncio.gather(*tasks)

    def phase(t: float) -> str:
        if t < marks["stop"]:
            return "before"
        if t < marks["started"]:
            return "down"
        return "after"

    summary: dict = {}
    for t, path, status, leak in records:
        entry = summary.setdefault(phase(t), {"requests": 0, "status": {}, "leaks": 0})
        entry["requests"] += 1
        key = f"{status} {path}"
        entry["status"][key] = entry["status"].get(key, 0) + 1
        entry["leaks"] += leak
    # Recovery: the first time after the restart from which no answer is anything but a 200.
    after = sorted((t, status) for t, _path, status, _leak in records if t >= marks["started"])
    bad = [t for t, status in after if status != 200]
    recovered_at = (max(bad) if bad else marks["started"]) - marks["started"]
    return {
        "clients": args.clients,
        "pg_stop_seconds": round(marks["stopped"] - marks["stop"], 2),
        "pg_down_seconds": round(marks["started"] - marks["stop"], 2),
        "phases": summary,
        "last_non_200_seconds_after_restart": round(recovered_at, 2),
        "after_restart_non_200": len(bad),
        "examples": examples,
        "run_seconds": round(time.monotonic() - start, 1),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8112")
    parser.add_argument("--agency", default="springfield")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--down", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=20.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
