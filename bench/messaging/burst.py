"""Inbound burst against the messaging bench stack (`bench/messaging/stack.py`, which writes
var/bench-messaging.json): signed webhooks at a fixed rate, spread over the channels given, each from a
new person saying "Hi". Measures the webhook acknowledgement latency, the time from sending the webhook
to the provider send call that carries the bot's reply (recorded with its time by the fake provider API),
how long the backlog takes to drain, and lost or duplicated replies. `--kill-worker-at S` sends SIGKILL
to the Celery worker's whole process group S seconds into the burst (the stack starts a new worker).

    flock /work/bench.lock .venv/bin/python bench/messaging/burst.py --rate 50 --seconds 60
    flock /work/bench.lock .venv/bin/python bench/messaging/burst.py --rate 300 --seconds 60 --kill-worker-at 30
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from messaging.fakes.meta_payloads import messenger_message, whatsapp_message  # noqa: E402
from messaging.providers.meta_common import signature_header  # noqa: E402
from messaging.twilio_api import twilio_signature  # noqa: E402

CHANNELS = ("telegram", "whatsapp", "messenger", "sms")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def webhook(state: dict, kind: str, person: int) -> tuple[str, bytes, dict, str]:
    """(url, body, headers, the person's address as the fake provider records the reply's recipient)."""
    url = f"{state['base']}/hooks/{state['agency']}/{kind}/"
    secret = state["secrets"][kind]
    if kind == "telegram":
        update = {
            "update_id": person,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": person, "type": "private", "first_name": "Bench"},
                "from": {"id": person, "is_bot": False, "first_name": "Bench", "language_code": "en"},
                "text": "Hi",
            },
        }
        body = json.dumps(update).encode()
        return url, body, {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}, str(person)
    if kind in ("whatsapp", "messenger"):
        address = str(person)
        if kind == "whatsapp":
            payload = whatsapp_message(state["whatsapp_phone_number_id"], phone=address, content={"body": "Hi"})
        else:
            payload = messenger_message(state["messenger_page_id"], address, {"text": "Hi"})
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature_header(secret, body)}
        return url, body, headers, address
    phone = f"+1{person % 10**10:010d}"
    params = [
        ("AccountSid", state["sms_account_sid"]),
        ("Body", "Hi"),
        ("From", phone),
        ("MessageSid", f"SM{person:032d}"),
        ("NumMedia", "0"),
        ("To", state["sms_number"]),
    ]
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilio_signature(secret, url, params),
    }
    return url, urlencode(params).encode(), headers, phone


ROLES = (
    ("web", "portal.serve"),
    ("worker", " worker "),
    ("beat", " beat "),
    ("fakes", "provider_server"),
    ("redis", "redis"),
    ("postgres", "postgres"),
)


def stack_cpu() -> dict[str, float]:
    """CPU seconds (user + system) used so far by the stack's processes on this machine, by role: those of
    this checkout (their working directory, or PostgreSQL's and Redis's data under its var/). Measured by
    the processes' own clocks, so it holds under other load. A process that ended counts through its parent's
    reaped-children times when the parent is one of these (PostgreSQL's backends through the postmaster, a
    replaced pool process through the Celery worker); the killed worker itself drops out, so compare runs
    without --kill-worker-at."""
    import psutil

    used: dict[str, float] = {role: 0.0 for role, _mark in ROLES}
    var = os.path.realpath(ROOT / "var")  # PostgreSQL's and Redis's working directories are under it
    for process in psutil.process_iter(["cmdline", "cwd"]):
        try:
            command = " ".join(process.info["cmdline"] or [])
            cwd = process.info["cwd"] or ""
            if not (cwd == str(ROOT) or cwd.startswith(var) or str(ROOT / "var") in command):
                continue
            role = next((role for role, mark in ROLES if mark in f" {command} "), None)
            if role is None:
                continue
            times = process.cpu_times()
            used[role] += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            continue
    return used


def reply_times(state: dict, kinds: list[str], since: dict[str, int]) -> dict[tuple[str, str], list[tuple]]:
    """Every send call the fakes recorded since the start: {(kind, recipient): [(time, body)]}."""
    found: dict[tuple[str, str], list[tuple]] = {}
    for kind in kinds:
        calls = httpx.get(f"{state['fakes'][kind]}/_control/calls", params={"since": since[kind]}, timeout=60)
        for call in calls.json()["calls"]:
            body = call.get("body") or {}
            if kind == "telegram":
                if call.get("method") != "sendMessage":
                    continue
                recipient = str(body.get("chat_id", ""))
            elif kind == "sms":
                recipient = str(body.get("To", ""))
            else:
                recipient = str(call.get("to", ""))
            found.setdefault((kind, recipient), []).append((call["at"], json.dumps(body, sort_keys=True)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", default=str(ROOT / "var" / "bench-messaging.json"))
    parser.add_argument("--channels", default=",".join(CHANNELS))
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--drain-timeout", type=float, default=1800)
    parser.add_argument("--stall", type=float, default=90, help="stop waiting after S s without a new reply")
    parser.add_argument("--kill-worker-at", type=float, default=None, help="SIGKILL the worker S s into the burst")
    parser.add_argument("--threads", type=int, default=96)
    args = parser.parse_args()

    state = json.loads(Path(args.state).read_text())
    kinds = [kind for kind in args.channels.split(",") if kind]
    total = int(args.rate * args.seconds)
    first = int(time.time()) % 100_000 * 100_000 + 5_000_000_000
    since = {
        kind: httpx.get(f"{state['fakes'][kind]}/_control/calls?since=0", timeout=30).json()["total"] for kind in kinds
    }
    prepared = [webhook(state, kinds[index % len(kinds)], first + index) for index in range(total)]
    sent_at: dict[tuple[str, str], float] = {}
    acks: list[float] = []
    acks_by_kind: dict[str, list[float]] = {kind: [] for kind in kinds}
    statuses: Counter = Counter()
    refused: list[str] = []
    lock = threading.Lock()
    client = httpx.Client(
        timeout=30, limits=httpx.Limits(max_connections=args.threads, max_keepalive_connections=args.threads)
    )
    killed_at = None

    def fire(index: int) -> None:
        url, body, headers, recipient = prepared[index]
        kind = kinds[index % len(kinds)]
        started = time.time()
        try:
            status = client.post(url, content=body, headers=headers).status_code
        except httpx.HTTPError as exc:
            status = exc.__class__.__name__
        elapsed = time.time() - started
        with lock:
            if status != 200:
                refused.append(f"{kind}:{recipient}:{status}")
            sent_at[(kind, recipient)] = started
            acks.append(elapsed)
            acks_by_kind[kind].append(elapsed)
            statuses[status] += 1

    cpu_before = stack_cpu()
    start = time.time()
    load_before = os.getloadavg()
    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        for index in range(total):
            now = time.time()
            if args.kill_worker_at is not None and killed_at is None and now - start >= args.kill_worker_at:
                pgid = json.loads(Path(args.state).read_text())["worker_pgid"]
                os.killpg(pgid, signal.SIGKILL)
                killed_at = now - start
            delay = start + index / args.rate - now
            if delay > 0:
                time.sleep(delay)
            pool.submit(fire, index)
    sending_done = time.time()
    load_during = os.getloadavg()

    replies: dict[tuple[str, str], list[float]] = {}
    deadline = time.time() + args.drain_timeout
    progress_at, seen = time.time(), -1
    while time.time() < deadline and time.time() - progress_at < args.stall:
        replies = {key: times for key, times in reply_times(state, kinds, since).items() if key in sent_at}
        if len(replies) != seen:
            progress_at, seen = time.time(), len(replies)
            drained = time.time()
            print(
                f"{time.time() - sending_done:7.1f} s after sending: {len(replies)} of {total} answered",
                file=sys.stderr,
            )
        if len(replies) >= total:
            break
        time.sleep(2)
    cpu_after = stack_cpu()
    latencies = [min(at for at, _body in sends) - sent_at[key] for key, sends in replies.items()]
    # The same message body sent twice to one person is a duplicate (a reply may be several messages).
    duplicated = sum(1 for sends in replies.values() if len({body for _at, body in sends}) < len(sends))
    per_person = Counter(len(sends) for sends in replies.values())
    result = {
        "channels": kinds,
        "webhooks": total,
        "rate_per_s": args.rate,
        "statuses": {str(key): value for key, value in statuses.items()},
        "ack_ms_p50": round(statistics.median(acks) * 1000, 1),
        "ack_ms_p95": round(percentile(acks, 0.95) * 1000, 1),
        "ack_ms_max": round(max(acks) * 1000, 1),
        "ack_ms_p95_by_channel": {kind: round(percentile(v, 0.95) * 1000, 1) for kind, v in acks_by_kind.items()},
        "replied": len(replies),
        "lost": total - len(replies),
        "unanswered_sample": sorted(f"{kind}:{who}" for kind, who in set(sent_at) - set(replies))[:10],
        "refused_sample": refused[:10],
        "duplicated": duplicated,
        "sends_per_person": {str(key): value for key, value in sorted(per_person.items())},
        "reply_ms_p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "reply_ms_p95": round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "sending_s": round(sending_done - start, 1),
        "last_reply_after_sending_s": round(drained - sending_done, 1),
        "worker_killed_at_s": round(killed_at, 1) if killed_at is not None else None,
        "cpu_ms_per_message": {
            role: round((cpu_after[role] - cpu_before[role]) / total * 1000, 2) for role in cpu_before
        },
        "load_before": [round(x, 2) for x in load_before],
        "load_end_of_sending": [round(x, 2) for x in load_during],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
