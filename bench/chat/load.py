"""Chat load benchmark: many citizens asking questions over the real socket protocol.

    ulimit -n 65536 && PORT=8102 .venv/bin/python manage.py runstack          # the server under test
    .venv/bin/python bench/chat/load.py --url http://127.0.0.1:8102 --agency chatbench \
        --conversations 1000 --rate 100 --duration 60 --idle 5000

Phases (each reported separately):
1. chat: N conversations open (each a new conversation), questions sent at `rate` per second in total
   (each conversation has at most one question in flight), for `duration` seconds; latency is measured
   from sending a question to receiving the bot's final message for it (`reply_to`). Afterwards every
   conversation is replayed from seq 0 over a fresh socket and compared with what was received live:
   lost (in the replay, never received live), duplicated (received live twice), out of order,
   unanswered questions.
2. echo: the same N sockets and rate against the bare echo consumer /ws/health/ (ping → pong): the
   ceiling of this server + client on this machine.
3. idle: `idle` citizen sockets opened and held, then all pinged.

The server's resident memory (the uvicorn process and its workers, found by the listening port) is
sampled throughout. The script raises its own and the server's open-file limit (RLIMIT_NOFILE).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.chat.load_support import (
    QUESTIONS_FILE,
    Conversation,
    MemorySampler,
    Stats,
    faq_questions,
    open_many,
    percentile,
    raise_nofile,
    vary,
)
from bench.chat.socket_phases import echo_phase, idle_phase


async def chat_phase(args, base_ws: str, questions: list[str], sampler: MemorySampler) -> dict:
    stats = Stats()
    conversations = [Conversation() for _ in range(args.conversations)]
    url = f"{base_ws}/ws/a/{args.agency}/chat/"

    async def reader(conv: Conversation):
        try:
            async for raw in conv.ws:
                stats.frames += 1
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message":
                    stats.messages += 1
                    conv.received.append(frame["seq"])
                    if frame["role"] == "citizen" and frame.get("client_msg_id") in conv.pending:
                        conv.seq_of[frame["seq"]] = frame["client_msg_id"]
                    elif frame["role"] == "bot" and frame.get("reply_to") in conv.seq_of:
                        client_id = conv.seq_of.pop(frame["reply_to"])
                        sent_at = conv.pending.pop(client_id, None)
                        if sent_at is not None:
                            stats.latencies.append(time.perf_counter() - sent_at)
                            stats.answered += 1
                            stats.grounded += bool(frame.get("citations"))
                        conv.busy = False
                elif kind == "error":
                    stats.error(f"frame:{frame.get('code')}")
        except websockets.ConnectionClosed as closed:
            if not conv.closed:
                stats.error(f"closed:{closed.rcvd.code if closed.rcvd else 'none'}")
        finally:
            conv.closed = True

    readers = []

    async def opener(index: int):
        conv = conversations[index]
        try:
            conv.ws = await websockets.connect(url, max_size=2**20, open_timeout=30, ping_interval=None)
            hello = json.loads(await conv.ws.recv())
            conv.token = hello["token"]
            readers.append(asyncio.create_task(reader(conv)))
        except Exception as exc:
            stats.error(f"connect:{type(exc).__name__}")
            conv.closed = True

    t0 = time.perf_counter()
    await open_many(args.conversations, opener, per_second=args.connect_rate)
    connect_seconds = time.perf_counter() - t0
    live = [c for c in conversations if not c.closed]
    print(f"chat: {len(live)}/{args.conversations} conversations open in {connect_seconds:.1f} s", flush=True)

    async def send_question(conv: Conversation):
        client_id = str(uuid.uuid4())
        conv.busy = True
        conv.pending[client_id] = time.perf_counter()
        stats.sent += 1
        text = questions() if callable(questions) else random.choice(questions)
        stats.texts[text] = stats.texts.get(text, 0) + 1
        try:
            await conv.ws.send(json.dumps({"type": "message", "text": text, "client_msg_id": client_id}))
        except websockets.ConnectionClosed:
            stats.error("send_closed")

    start = time.perf_counter()
    frames_before, messages_before = stats.frames, stats.messages
    while (elapsed := time.perf_counter() - start) < args.duration:
        due = int(elapsed * args.rate) - stats.sent - stats.skipped_busy
        for _ in range(max(0, due)):
            idle = [c for c in random.sample(live, min(len(live), 20)) if not c.busy and not c.closed]
            if not idle:
                stats.skipped_busy += 1
                continue
            await send_question(idle[0])
        await asyncio.sleep(0.005)
    load_seconds = time.perf_counter() - start
    # Drain: wait for answers still in flight.
    drain_until = time.perf_counter() + args.drain
    while time.perf_counter() < drain_until and any(c.pending for c in live):
        await asyncio.sleep(0.1)
    frames_during = stats.frames - frames_before
    messages_during = stats.messages - messages_before
    unanswered = sum(len(c.pending) for c in live)

    # Verify against the server's transcript while the live sockets are still open: replay each
    # conversation from seq 0 on a second socket (hello.seq = S, the server's latest), give the live
    # socket a moment to receive everything up to S, then compare. Lost: stored, never delivered
    # live; duplicated: delivered twice; out of order: delivered seqs not increasing by one.
    lost = duplicated = disordered = replay_errors = 0
    semaphore = asyncio.Semaphore(100)

    async def verify(conv: Conversation):
        nonlocal lost, duplicated, disordered, replay_errors
        async with semaphore:
            try:
                async with websockets.connect(f"{url}?token={conv.token}&after_seq=0", ping_interval=None) as ws:
                    hello = json.loads(await ws.recv())
                    replay = []
                    while len(replay) < hello["seq"]:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                        if frame.get("type") == "message":
                            replay.append(frame["seq"])
            except Exception:
                replay_errors += 1
                return
            latest = hello["seq"]
            deadline = time.perf_counter() + 10
            while (not conv.received or max(conv.received) < latest) and time.perf_counter() < deadline:
                if conv.closed:
                    break
                await asyncio.sleep(0.05)
        live_seqs = [s for s in conv.received if s <= latest]
        lost += len(set(replay) - set(live_seqs))
        duplicated += len(live_seqs) - len(set(live_seqs))
        if live_seqs != list(range(1, len(live_seqs) + 1)):
            disordered += 1

    await asyncio.gather(*(verify(c) for c in live))
    for conv in live:
        conv.closed = True
        with contextlib.suppress(Exception):
            await conv.ws.close()
    for task in readers:
        task.cancel()

    return {
        "conversations_open": len(live),
        "connect_seconds": round(connect_seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "questions_sent": stats.sent,
        "questions_per_second": round(stats.sent / load_seconds, 1),
        "answered": stats.answered,
        "answered_with_citation": stats.grounded,
        "distinct_questions": len(stats.texts),
        # Sends of a string already sent earlier in the run: the most a query cache could have hit.
        "repeated_question_share": round(1 - len(stats.texts) / stats.sent, 4) if stats.sent else 0.0,
        "unanswered": unanswered,
        "skipped_all_busy": stats.skipped_busy,
        "latency_ms": {
            "p50": round(percentile(stats.latencies, 50) * 1000, 1),
            "p95": round(percentile(stats.latencies, 95) * 1000, 1),
            "p99": round(percentile(stats.latencies, 99) * 1000, 1),
            "mean": round(statistics.fmean(stats.latencies) * 1000, 1) if stats.latencies else None,
            "max": round(max(stats.latencies) * 1000, 1) if stats.latencies else None,
        },
        "messages_per_second": round(messages_during / load_seconds, 1),
        "frames_per_second": round(frames_during / load_seconds, 1),
        "errors": stats.errors,
        "lost": lost,
        "duplicated": duplicated,
        "out_of_order_conversations": disordered,
        "replay_errors": replay_errors,
    }


async def main_async(args) -> dict:
    parts = urlsplit(args.url)
    base_ws = ("wss://" if parts.scheme == "https" else "ws://") + parts.netloc
    port = parts.port or (443 if parts.scheme == "https" else 80)
    own_limit = raise_nofile()
    sampler = MemorySampler(port)
    server_limits = {p.pid: raise_nofile(p.pid) for p in sampler.processes}
    print(f"client nofile={own_limit}; server pids/nofile={server_limits}", flush=True)
    if args.questions == "greeting":
        questions = ["Hi", "Hello", "Hola", "你好", "menu"]  # the bot engine and protocol, no knowledge search
    elif args.questions == "queries":  # the 113 paraphrased queries only, as asked (many exact repeats)
        questions = [json.loads(line)["query"] for line in QUESTIONS_FILE.read_text().splitlines() if line.strip()]
    else:  # faq: 1,091 distinct questions, each sent in a random citizen's wording
        pool, rng = faq_questions(), random.Random(args.seed)

        def questions() -> str:
            return vary(rng.choice(pool), rng)

    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler.run(stop))
    result = {
        "config": {k: v for k, v in vars(args).items() if k != "output"},
        "server_processes": len(sampler.processes),
        "server_rss_mb_start": round(sampler.rss_mb(), 1),
    }
    phases = args.phases.split(",")
    if "chat" in phases and args.warmup:
        # Load the embedder and warm the connection pools before measuring (one conversation per
        # question: a single socket would hit the per-connection rate limit).
        warm = [questions() for _ in range(args.warmup)] if callable(questions) else questions[: args.warmup]
        for index, question in enumerate(warm):
            async with websockets.connect(f"{base_ws}/ws/a/{args.agency}/chat/", ping_interval=None) as ws:
                await ws.recv()
                await ws.send(json.dumps({"type": "message", "text": question, "client_msg_id": f"warm-{index}"}))
                while True:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 120))
                    if frame.get("type") == "message" and frame.get("role") == "bot":
                        break
    if "chat" in phases:
        result["chat"] = await chat_phase(args, base_ws, questions, sampler)
        result["server_rss_mb_after_chat"] = round(sampler.rss_mb(), 1)
        print(json.dumps(result["chat"], indent=2), flush=True)
    if "echo" in phases:
        await asyncio.sleep(2)
        result["echo"] = await echo_phase(args, base_ws)
        print(json.dumps(result["echo"], indent=2), flush=True)
    if "chat" in result and "echo" in result:
        chat, echo = result["chat"]["latency_ms"], result["echo"]["latency_ms"]
        result["chat_vs_echo_latency_ratio"] = {
            key: round(chat[key] / echo[key], 1) if echo[key] else None for key in ("p50", "p95", "p99")
        }
    if "idle" in phases:
        await asyncio.sleep(2)
        result["idle"] = await idle_phase(args, base_ws, sampler)
        print(json.dumps(result["idle"], indent=2), flush=True)
    stop.set()
    await sampling
    result["server_rss_mb_max"] = round(max(sampler.samples or [0]), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--agency", default="chatbench")
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="questions per second, in total")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--drain", type=float, default=15.0)
    parser.add_argument("--connect-rate", type=int, default=250, help="new sockets per second")
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--hold", type=float, default=30.0)
    parser.add_argument("--phases", default="chat,echo,idle")
    parser.add_argument("--warmup", type=int, default=10, help="questions asked before measuring")
    parser.add_argument(
        "--questions",
        choices=["faq", "queries", "greeting"],
        default="faq",
        help="faq: the FAQ set's 1,091 questions in varied wordings (knowledge answers); queries: its 113 "
        "paraphrased queries verbatim; greeting: 'Hi' and friends (engine only)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the question wordings")
    parser.add_argument("--output", default="")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
