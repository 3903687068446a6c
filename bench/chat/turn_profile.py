"""CPU profile of chat turns: cProfile with the process's CPU clock around turns 11-310 of bench/chat/turn_cost.py
(start-up, model loading and warm-up left out), then the turn's parts in milliseconds per turn.

    cd <tree> && DEBUG=0 nice -n 10 .venv/bin/python /path/to/bench/chat/turn_profile.py /tmp/turn.prof
    .venv/bin/python bench/chat/turn_profile.py --report /tmp/old.prof /tmp/new.prof     # parts side by side

Runs the `turn_cost.py` of the tree it is started in (so an old checkout is profiled with its own code) against
its `chatbench` agency (bench/chat/seed_kb.py). cProfile roughly doubles Python-heavy parts: compare profiles with
each other, not with turn_cost.py's CPU per turn.
"""

from __future__ import annotations

import cProfile
import importlib.util
import os
import pstats
import re
import sys
import time

TURNS = 300
WARMUP = 10

# (label, function names as `path:function`, counted by cumulative time; several names are added up, except
# where one calls the other in a tree: the intent entry points, where the outermost one present counts)
PARTS = [
    (
        "whole turn: message_receive + bot_turn",
        [r"services/messages\.py:message_receive$", r"engine/engine\.py:bot_turn$"],
    ),
    (
        "intent detection (main: with the question's embedding)",
        [r"understanding\.py:classify$", r"intents\.py:detect_intent$"],
    ),
    ("embedding the question (ONNX Runtime)", [r"onnxruntime_pybind11_state\.run>?$"]),
    ("language detection", [r"core/language\.py:detect$", r"engine/language\.py:detect_language$"]),
    ("knowledge search", [r"retrieval/pipeline\.py:search$", r"knowledge/retrieval\.py:search$"]),
    ("storing the reply", [r"services/messages\.py:bot_reply_post$"]),
    ("conversation row reads", [r"chat/selectors\.py:conversation_row$"]),
    ("row-level security's own statements", [r"core/sql\.py:transaction_settings_run$"]),
    ("question-vector cache epoch (Redis)", [r"embedders/queries\.py:_read_epoch$"]),
]


def profile(out: str) -> None:
    sys.argv = ["bench/chat/turn_cost.py", "--turns", str(TURNS)]
    sys.path.insert(0, os.path.join(os.getcwd(), "bench", "chat"))
    spec = importlib.util.spec_from_file_location("turn_cost", "bench/chat/turn_cost.py")
    turn_cost = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(turn_cost)
    profiler = cProfile.Profile(time.process_time)
    count = {"n": 0}
    receive, turn = turn_cost.services.message_receive, turn_cost.bot_turn

    def measured() -> bool:
        return WARMUP < count["n"] <= WARMUP + TURNS

    def profiled_receive(*args, **kwargs):
        count["n"] += 1
        if measured():
            profiler.enable()
        return receive(*args, **kwargs)

    def profiled_turn(*args, **kwargs):
        try:
            return turn(*args, **kwargs)
        finally:
            if measured():
                profiler.disable()
            if count["n"] == WARMUP + TURNS:
                profiler.dump_stats(out)

    turn_cost.services.message_receive = profiled_receive
    turn_cost.bot_turn = profiled_turn
    turn_cost.main()


def parts(path: str) -> dict[str, float]:
    cumulative: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in pstats.Stats(path).stats.items():
        key = re.sub(r".*/(site-packages|clones/[^/]+)/", "", filename) + ":" + name
        cumulative[key] = cumulative.get(key, 0.0) + ct
    found = {}
    for label, patterns in PARTS:
        values = [value for key, value in cumulative.items() if any(re.search(p, key) for p in patterns)]
        total = max(values, default=0.0) if label.startswith("intent") else sum(values)
        found[label] = total / TURNS * 1000
    return found


def report(paths: list[str]) -> None:
    tables = [parts(path) for path in paths]
    print("| part (ms of CPU per turn, profiled) | " + " | ".join(paths) + " |")
    print("|---" * (len(paths) + 1) + "|")
    for label, _patterns in PARTS:
        print(f"| {label} | " + " | ".join(f"{table[label]:.2f}" for table in tables) + " |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--report"]:
        report(sys.argv[2:])
    else:
        sys.path.insert(0, os.getcwd())
        profile(sys.argv[1])
