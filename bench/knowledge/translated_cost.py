"""What the dictionary signal of answers across languages costs (`retrieval.translated`, session 25).

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/translated_cost.py [--passes 5]

The Chinese questions of bench/knowledge/crosslingual_set.jsonl asked of the demo agencies (`manage.py seed_demo`
first), through `services.answer_question` with the dictionary (as configured) and without it
(`KNOWLEDGE_TRANSLATED_LANGUAGES` empty: today's rule), alternating passes after one warm-up; English questions to
Springfield (never translated) the same way. Per question: process CPU and wall time, median of passes. First: the
process's resident memory before and after the served dictionaries are loaded.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import psutil
from django.test import override_settings

from bench.knowledge.crosslingual_floor import SET  # sets Django up: first of the project's
from knowledge.retrieval.crosslingual import warm_up_dictionaries
from knowledge.services import answers
from tenants.context import agency_context
from tenants.models import Agency

ENGLISH = [
    ("springfield", q) for q in ("When is my trash collected?", "How fast are potholes fixed?", "Can I walk my dog?")
]


def run(questions, agencies, *, translated: bool) -> tuple[float, float]:
    overrides = {} if translated else {"KNOWLEDGE_TRANSLATED_LANGUAGES": ()}
    with override_settings(**overrides):
        cpu, wall = time.process_time(), time.perf_counter()
        for slug, question in questions:
            with agency_context(agencies[slug]):
                answers.answer_question(agency=agencies[slug], question=question, record_gap=False)
        n = len(questions)
        return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    rows = [json.loads(x) for x in SET.read_text().splitlines() if x.strip()]
    agencies = {a.slug: a for a in Agency.objects.all()}
    chinese = [(r["kb"], r["query"]) for r in rows if r["lang"] == "zh-hans" and r["kb"] in agencies]
    process = psutil.Process()
    before = process.memory_info().rss
    warm_up_dictionaries()
    print(f"resident memory: {before / 2**20:.0f} MB, with the dictionaries {process.memory_info().rss / 2**20:.0f} MB")
    run(chinese + ENGLISH, agencies, translated=True)  # warm-up: models loaded, caches filled
    for name, questions in (("Chinese, demo agencies", chinese), ("English, Springfield", ENGLISH)):
        results = {True: [], False: []}
        for _ in range(args.passes):
            for translated in (False, True):
                results[translated].append(run(questions, agencies, translated=translated))
        for translated in (False, True):
            cpu = statistics.median(r[0] for r in results[translated])
            wall = statistics.median(r[1] for r in results[translated])
            label = "with the dictionary" if translated else "without (before)"
            print(f"{name:24} {label:20} CPU {cpu:6.1f} ms  wall {wall:6.1f} ms per question ({len(questions)})")


if __name__ == "__main__":
    main()
