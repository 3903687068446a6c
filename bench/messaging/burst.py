"""Inbound burst against a running stack (`make run`) and the fake Telegram Bot API
(`manage.py provider_server telegram`): signed webhooks at a fixed rate, each from a new person saying
"Hi"; measures the webhook acknowledgement latency, the time from webhook to the provider send call
(the bot's reply), how long the backlog takes to drain, and lost or duplicated replies.

    flock /work/bench.lock .venv/bin/python bench/messaging/burst.py --rate 50 --seconds 20 \\
        --hook http://127.0.0.1:8104/hooks/springfield/telegram/ --secret S --fake http://127.0.0.1:8191
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def update(update_id: int, chat_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "en"},
            "text": "Hi",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hook", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--fake", required=True)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--drain-timeout", type=float, default=600)
    args = parser.parse_args()

    base_chat = int(time.time()) % 1_000_000 * 1000 + 10_000_000_000
    total = int(args.rate * args.seconds)
    sent_at: dict[int, float] = {}
    acks: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    client = httpx.Client(timeout=30, limits=httpx.Limits(max_connections=64, max_keepalive_connections=64))
    before = len(client.get(f"{args.fake}/_control/calls").json()["calls"])

    def fire(index: int) -> None:
        chat_id = base_chat + index
        body = json.dumps(update(base_chat + index, chat_id))
        started = time.time()
        try:
            response = client.post(
                args.hook,
                content=body,
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": args.secret},
            )
            status = response.status_code
        except httpx.HTTPError as exc:
            status = exc.__class__.__name__
        elapsed = time.time() - started
        with lock:
            sent_at[chat_id] = started
            acks.append(elapsed)
            statuses[status] += 1

    start = time.time()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for index in range(total):
            delay = start + index / args.rate - time.time()
            if delay > 0:
                time.sleep(delay)
            pool.submit(fire, index)
    sending_done = time.time()

    replies: dict[int, list[float]] = {}
    deadline = time.time() + args.drain_timeout
    while time.time() < deadline:
        calls = client.get(f"{args.fake}/_control/calls", params={"since": before}).json()["calls"]
        replies = {}
        for call in calls:
            if call["method"] != "sendMessage":
                continue
            chat_id = int(call["body"].get("chat_id", 0))
            if chat_id in sent_at or base_chat <= chat_id < base_chat + total:
                replies.setdefault(chat_id, []).append(call["at"])
        if len(replies) >= total:
            break
        time.sleep(1)
    drained = time.time()
    latencies = [times[0] - sent_at[chat] for chat, times in replies.items() if chat in sent_at]
    duplicated = sum(1 for times in replies.values() if len(times) > 1)
    result = {
        "webhooks": total,
        "rate_per_s": args.rate,
        "statuses": dict(statuses),
        "ack_ms_p50": round(statistics.median(acks) * 1000, 1),
        "ack_ms_p95": round(percentile(acks, 0.95) * 1000, 1),
        "ack_ms_max": round(max(acks) * 1000, 1),
        "replied": len(replies),
        "lost": total - len(replies),
        "duplicated": duplicated,
        "reply_ms_p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "reply_ms_p95": round(percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "sending_s": round(sending_done - start, 1),
        "drained_after_sending_s": round(drained - sending_done, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
