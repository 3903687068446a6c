"""Fault: restart Redis while 100 chat conversations are open (issue 13).

    PORT=8112 make run &                                   # the stack under test (embedded Redis in var/redis)
    flock /work/bench.lock .venv/bin/python bench/faults/redis_restart.py --url http://127.0.0.1:8112 \
        --agency springfield [--conversations 100] [--down 5]

1. `--conversations` sockets open; each asks one question and gets its answer (before).
2. Each sends a second question, and at once the clone's embedded Redis is stopped (SIGTERM: it saves its
   snapshot) and started again `--down` s later with the same command line. The stack is not restarted.
3. A socket that closed reconnects with its token and `after_seq` = the last seq it saw (retrying until the
   server takes it) and resends every question without an answer under the same `client_msg_id`. Then each
   conversation asks a third question (after).
4. Every conversation is replayed from seq 0 on a fresh socket and compared with what the client received
   live over all its sockets: each client_msg_id must be stored once with exactly one bot answer; nothing in
   the transcript may be missing from what was received (lost) or received twice (duplicated).
Prints one JSON line.
"""

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import websockets

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
QUESTIONS = [
    "When is trash collected?",
    "How do I report a pothole?",
    "What are your office hours?",
    "How do I pay a parking ticket?",
    "How do I get a building permit?",
]


class Conversation:
    def __init__(self, index: int):
        self.index = index
        self.token = ""
        self.ws = None
        self.received: list[int] = []  # seqs of message frames, all sockets, arrival order
        self.last_seq = 0
        self.asked: dict[str, str] = {}  # client_msg_id -> text
        self.citizen_seq: dict[int, str] = {}  # seq -> client_msg_id
        self.answered: set[str] = set()
        self.reconnects = 0
        self.reader = None


async def read(conv: Conversation, ws, errors: dict):
    try:
        async for raw in ws:
            frame = json.loads(raw)
            if frame.get("type") == "message":
                conv.received.append(frame["seq"])
                conv.last_seq = max(conv.last_seq, frame["seq"])
                if frame["role"] == "citizen" and frame.get("client_msg_id"):
                    conv.citizen_seq[frame["seq"]] = frame["client_msg_id"]
                elif frame["role"] == "bot" and frame.get("reply_to") in conv.citizen_seq:
                    conv.answered.add(conv.citizen_seq[frame["reply_to"]])
            elif frame.get("type") == "error":
                errors[f"frame:{frame.get('code')}"] = errors.get(f"frame:{frame.get('code')}", 0) + 1
    except websockets.ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else "none"
        errors[f"closed:{code}"] = errors.get(f"closed:{code}", 0) + 1
    except Exception as exc:
        errors[f"read:{type(exc).__name__}"] = errors.get(f"read:{type(exc).__name__}", 0) + 1


async def connect(conv: Conversation, url: str, errors: dict, deadline: float) -> bool:
    query = f"?token={conv.token}&after_seq={conv.last_seq}" if conv.token else ""
    while time.monotonic() < deadline:
        try:
            ws = await websockets.connect(url + query, open_timeout=10, ping_interval=None)
            hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if hello.get("type") != "hello":
                raise RuntimeError(f"no hello: {hello}")
            conv.token = hello["token"]
            conv.ws = ws
            conv.reader = asyncio.create_task(read(conv, ws, errors))
            return True
        except Exception as exc:
            errors[f"connect:{type(exc).__name__}"] = errors.get(f"connect:{type(exc).__name__}", 0) + 1
            await asyncio.sleep(1)
    return False


async def ask(conv: Conversation, client_id: str, text: str, errors: dict) -> None:
    conv.asked.setdefault(client_id, text)
    try:
        await conv.ws.send(json.dumps({"type": "message", "text": text, "client_msg_id": client_id}))
    except Exception as exc:
        errors[f"send:{type(exc).__name__}"] = errors.get(f"send:{type(exc).__name__}", 0) + 1


async def wait_answers(convs, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if all(set(c.asked) <= c.answered for c in convs):
            break
        await asyncio.sleep(0.2)
    return time.monotonic() - started


def restart_redis(down: float) -> dict:
    pid = int((ROOT / "var" / "redis" / "redis.pid").read_text().strip())
    proc = psutil.Process(pid)
    command = proc.cmdline()
    # A daemonised redis-server shows "redis-server 127.0.0.1:PORT" as its cmdline: rebuild from embedded.
    t0 = time.monotonic()
    proc.terminate()
    proc.wait(30)
    stopped = time.monotonic() - t0
    time.sleep(down)
    from portal import embedded

    port = embedded._redis_port()
    data_dir = ROOT / "var" / "redis"
    subprocess.run(
        [
            str(embedded._redis_binary()),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data_dir),
            "--daemonize",
            "yes",
            "--pidfile",
            str(data_dir / "redis.pid"),
            "--logfile",
            str(data_dir / "redis.log"),
            "--save",
            "60 1",
            "--maxclients",
            "20000",
        ],
        check=True,
    )
    while not embedded._redis_answers(port):
        time.sleep(0.05)
    return {
        "old_pid": pid,
        "old_cmdline": " ".join(command),
        "stop_seconds": round(stopped, 2),
        "down_seconds": round(time.monotonic() - t0, 2),
    }


async def main_async(args) -> dict:
    base = args.url.replace("http", "ws", 1).rstrip("/")
    url = f"{base}/ws/a/{args.agency}/chat/"
    errors: dict = {}
    convs = [Conversation(i) for i in range(args.conversations)]
    deadline = time.monotonic() + 120
    opened = await asyncio.gather(*(connect(c, url, errors, deadline) for c in convs))
    result = {"opened": sum(opened)}
    for c in convs:
        await ask(c, str(uuid.uuid4()), QUESTIONS[c.index % len(QUESTIONS)], errors)
    result["before_answer_seconds"] = round(await wait_answers(convs, 120), 1)
    result["before_answered"] = sum(len(c.answered) for c in convs)
    errors_before = dict(errors)
    for c in convs:  # question 2, in flight while Redis goes away
        await ask(c, str(uuid.uuid4()), "Where do I vote? " + QUESTIONS[(c.index + 1) % len(QUESTIONS)], errors)
    result["redis"] = await asyncio.to_thread(restart_redis, args.down)
    restarted = time.monotonic()
    # Reconnect what closed (or stays silent), then resend the unanswered questions under the same ids.
    await asyncio.sleep(3)

    async def recover(c: Conversation):
        if c.reader is None or c.reader.done():
            with contextlib.suppress(Exception):
                await c.ws.close()
            c.reconnects += 1
            if not await connect(c, url, errors, time.monotonic() + 120):
                return
        for client_id, text in list(c.asked.items()):
            if client_id not in c.answered:
                await ask(c, client_id, text, errors)

    await asyncio.gather(*(recover(c) for c in convs))
    result["reconnected"] = sum(c.reconnects > 0 for c in convs)
    result["recover_seconds"] = round(time.monotonic() - restarted, 1)
    wait2 = await wait_answers(convs, 120)
    # Still unanswered on an open socket after 120 s: one more reconnect + resend (what a client would do).
    if not all(set(c.asked) <= c.answered for c in convs):
        for c in convs:
            if not set(c.asked) <= c.answered:
                with contextlib.suppress(Exception):
                    await c.ws.close()
                c.reader = None
        await asyncio.gather(*(recover(c) for c in convs if c.reader is None))
        result["second_reconnect"] = True
        wait2 += await wait_answers(convs, 60)
    result["q2_answer_seconds_after_restart"] = round(wait2, 1)
    for c in convs:  # question 3, after recovery
        await ask(c, str(uuid.uuid4()), "And the library hours? " + str(c.index), errors)
    result["after_answer_seconds"] = round(await wait_answers(convs, 120), 1)
    result["asked"] = sum(len(c.asked) for c in convs)
    result["answered"] = sum(len(set(c.asked) & c.answered) for c in convs)
    # Verify against the stored transcript.
    lost = duplicated = stored_twice = unanswered_stored = replay_errors = 0
    sem = asyncio.Semaphore(20)

    async def verify(c: Conversation):
        nonlocal lost, duplicated, stored_twice, unanswered_stored, replay_errors
        async with sem:
            try:
                async with websockets.connect(f"{url}?token={c.token}&after_seq=0", ping_interval=None) as ws:
                    hello = json.loads(await ws.recv())
                    frames = []
                    while len(frames) < hello["seq"]:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                        if frame.get("type") == "message":
                            frames.append(frame)
            except Exception:
                replay_errors += 1
                return
        seqs = [f["seq"] for f in frames]
        live = [s for s in c.received if s <= hello["seq"]]
        lost += len(set(seqs) - set(live))
        duplicated += len(live) - len(set(live))
        by_id: dict[str, list[int]] = {}
        for f in frames:
            if f["role"] == "citizen" and f.get("client_msg_id"):
                by_id.setdefault(f["client_msg_id"], []).append(f["seq"])
        stored_twice += sum(len(v) > 1 for v in by_id.values()) + sum(cid not in by_id for cid in c.asked)
        replies: dict[int, int] = {}
        for f in frames:
            if f["role"] == "bot" and f.get("reply_to"):
                replies[f["reply_to"]] = replies.get(f["reply_to"], 0) + 1
        unanswered_stored += sum(replies.get(v[0], 0) != 1 for v in by_id.values())

    await asyncio.gather(*(verify(c) for c in convs))
    result.update(
        lost=lost,
        duplicated_deliveries=duplicated,
        questions_missing_or_stored_twice=stored_twice,
        questions_without_exactly_one_answer=unanswered_stored,
        replay_errors=replay_errors,
        errors_before_restart=errors_before,
        errors_total=errors,
    )
    for c in convs:
        with contextlib.suppress(Exception):
            await c.ws.close()
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8112")
    parser.add_argument("--agency", default="springfield")
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--down", type=float, default=5.0)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
