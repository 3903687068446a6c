"""The chat load benchmark's socket phases (see load.py): the echo ceiling of this server and client on this
machine, and idle citizen sockets held open then pinged."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
import uuid

import websockets

from bench.chat.load_support import MemorySampler, Stats, open_many, percentile


async def echo_phase(args, base_ws: str) -> dict:
    stats = Stats()
    sockets = []
    pending: dict[str, float] = {}

    async def reader(ws):
        try:
            async for raw in ws:
                stats.frames += 1
                frame = json.loads(raw)
                if frame.get("type") == "pong" and frame.get("echo") in pending:
                    stats.echo_latencies.append(time.perf_counter() - pending.pop(frame["echo"]))
                    stats.answered += 1
        except websockets.ConnectionClosed:
            pass

    tasks = []

    async def opener(_index):
        try:
            ws = await websockets.connect(f"{base_ws}/ws/health/", open_timeout=30, ping_interval=None)
            await ws.recv()
            sockets.append(ws)
            tasks.append(asyncio.create_task(reader(ws)))
        except Exception as exc:
            stats.error(f"connect:{type(exc).__name__}")

    await open_many(args.conversations, opener, per_second=args.connect_rate)
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < args.duration:
        due = int(elapsed * args.rate) - stats.sent
        for _ in range(max(0, due)):
            echo = uuid.uuid4().hex
            pending[echo] = time.perf_counter()
            stats.sent += 1
            await random.choice(sockets).send(json.dumps({"type": "ping", "echo": echo}))
        await asyncio.sleep(0.005)
    load_seconds = time.perf_counter() - start
    drain_until = time.perf_counter() + 5
    while pending and time.perf_counter() < drain_until:
        await asyncio.sleep(0.05)
    for ws in sockets:
        with contextlib.suppress(Exception):
            await ws.close()
    for task in tasks:
        task.cancel()
    return {
        "sockets_open": len(sockets),
        "pings_sent": stats.sent,
        "pongs": stats.answered,
        "lost": len(pending),
        "latency_ms": {
            "p50": round(percentile(stats.echo_latencies, 50) * 1000, 2),
            "p95": round(percentile(stats.echo_latencies, 95) * 1000, 2),
            "p99": round(percentile(stats.echo_latencies, 99) * 1000, 2),
        },
        "messages_per_second": round(stats.answered / load_seconds, 1),
        "errors": stats.errors,
    }


async def idle_phase(args, base_ws: str, sampler: MemorySampler) -> dict:
    sockets = []
    errors: dict = {}
    url = f"{base_ws}/ws/a/{args.agency}/chat/"
    before = sampler.rss_mb()

    async def opener(_index):
        try:
            ws = await websockets.connect(url, open_timeout=60, ping_interval=None)
            await asyncio.wait_for(ws.recv(), 60)
            sockets.append(ws)
        except Exception as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1

    t0 = time.perf_counter()
    await open_many(args.idle, opener, per_second=args.connect_rate)
    opened_in = time.perf_counter() - t0
    print(f"idle: {len(sockets)}/{args.idle} open in {opened_in:.1f} s; holding {args.hold} s", flush=True)
    await asyncio.sleep(args.hold)
    held_rss = sampler.rss_mb()

    async def ping(ws):
        try:
            await ws.send('{"type": "ping"}')
            while True:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if frame.get("type") == "pong":
                    return True
        except Exception:
            return False

    alive = sum(await asyncio.gather(*(ping(ws) for ws in sockets)))
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    return {
        "requested": args.idle,
        "opened": len(sockets),
        "open_seconds": round(opened_in, 1),
        "held_seconds": args.hold,
        "answered_ping_after_hold": alive,
        "server_rss_mb_before": round(before, 1),
        "server_rss_mb_holding": round(held_rss, 1),
        "errors": errors,
    }
