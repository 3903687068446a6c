"""The chat load benchmark's parts: citizens' question wordings, the server's processes and memory, the
per-conversation and overall counters (`bench/chat/load.py` runs the phases)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import resource
from dataclasses import dataclass, field
from pathlib import Path

import psutil

QUESTIONS_FILE = Path("/work/shared/data/faq_eval/en/queries.jsonl")
KB_FILE = QUESTIONS_FILE.with_name("kb.jsonl")
# Ways citizens wrap the same question; combined at random, so few question strings repeat exactly (a
# query-vector cache then only helps as much as real repeats would).
PREFIXES = ["", "", "", "Quick question: ", "Can you tell me: ", "I was wondering, ", "Question - ", "Please help: "]
SUFFIXES = ["", "", "", " Thanks!", " Thank you.", " (asking for my mother)", " I need to know soon."]
FALLBACK_QUESTIONS = [
    "When is trash collected?",
    "How do I report a pothole?",
    "What are your office hours?",
    "How do I pay a parking ticket?",
]


def faq_questions() -> list[str]:
    """The set's 113 paraphrased queries and the 978 FAQ questions (titles) of its knowledge base."""
    questions = []
    for path, key in ((QUESTIONS_FILE, "query"), (KB_FILE, "title")):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and (text := (json.loads(line).get(key) or "").strip()):
                    questions.append(text)
    return questions or FALLBACK_QUESTIONS


def vary(question: str, rng: random.Random) -> str:
    """One citizen's wording of `question`: a lead-in, a tail, sometimes lower case or no question mark."""
    text = question
    if rng.random() < 0.25:
        text = text.lower()
    if rng.random() < 0.25:
        text = text.rstrip("?").rstrip()
    return f"{rng.choice(PREFIXES)}{text}{rng.choice(SUFFIXES)}"


def raise_nofile(pid: int | None = None, want: int = 65536) -> int:
    if pid is None:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = want if hard == resource.RLIM_INFINITY else min(want, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, target), max(hard, target)))
        return resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    process = psutil.Process(pid)
    with contextlib.suppress(psutil.Error, ValueError, OSError):
        soft, hard = process.rlimit(psutil.RLIMIT_NOFILE)
        if soft < want:
            process.rlimit(psutil.RLIMIT_NOFILE, (want, max(hard, want)))
    return process.rlimit(psutil.RLIMIT_NOFILE)[0]


def server_processes(port: int) -> list[psutil.Process]:
    pids = {
        conn.pid
        for conn in psutil.net_connections(kind="tcp")
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid
    }
    processes = []
    for pid in pids:
        process = psutil.Process(pid)
        # With WEB_WORKERS > 1 the socket may be reported on a worker: count the uvicorn parent and all
        # of its workers.
        with contextlib.suppress(psutil.Error):
            parent = process.parent()
            if parent is not None and "uvicorn" in " ".join(parent.cmdline()):
                process = parent
        processes.append(process)
        processes.extend(process.children(recursive=True))
    unique = {p.pid: p for p in processes}
    return list(unique.values())


class MemorySampler:
    def __init__(self, port: int):
        self.port = port
        self.samples: list[float] = []
        self.processes = server_processes(port)

    def rss_mb(self) -> float:
        total = 0
        for process in self.processes:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total / 2**20

    async def run(self, stop: asyncio.Event):
        while not stop.is_set():
            self.samples.append(self.rss_mb())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Conversation:
    token: str = ""
    ws: object = None
    received: list[int] = field(default_factory=list)  # seqs of message frames, in arrival order
    pending: dict = field(default_factory=dict)  # client_msg_id -> sent time
    seq_of: dict = field(default_factory=dict)  # citizen seq -> client_msg_id
    busy: bool = False
    closed: bool = False


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    echo_latencies: list[float] = field(default_factory=list)
    sent: int = 0
    answered: int = 0
    frames: int = 0
    messages: int = 0
    errors: dict = field(default_factory=dict)
    skipped_busy: int = 0
    grounded: int = 0  # bot answers with a citation (answered from the knowledge base)
    texts: dict = field(default_factory=dict)  # question string -> times sent

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def open_many(count: int, opener, *, per_second: int):
    results = []
    batch = max(1, per_second // 10)
    for start in range(0, count, batch):
        results += await asyncio.gather(*(opener(i) for i in range(start, min(count, start + batch))))
        await asyncio.sleep(0.1)
    return results
