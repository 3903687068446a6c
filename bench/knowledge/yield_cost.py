# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""What the same-language answer's contest with the first language costs (`knowledge.services.across`, session 23).

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/yield_cost.py [--passes 4]

On the demo's Springfield (`manage.py seed_demo` first): the questions its Spanish, German and Chinese FAQ answer in
their own language (each now also compared with the English passages in the shared space) and English questions (not
contested: unchanged), through `services.answer_question`, with the contest and without it (`better_across`
replaced by "no"), alternating passes after one warm-up. Per question: process CPU and wall time, median of passes.
`--cold`: the encoders' query caches emptied before each question (a citizen's question is new: the contest embeds it
again where its text without the asker's pronouns differs from what the everyday search embedded).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.knowledge.crosslingual_floor import SET  # noqa: F401 - sets Django up
from knowledge.demo_faqs import TRASH_FAQ_DE, TRASH_FAQ_ES, TRASH_FAQ_ZH
from knowledge.services import answers
from tenants.context import agency_context
from tenants.models import Agency

OTHER = [entry["question"] for faq in (TRASH_FAQ_ES, TRASH_FAQ_DE, TRASH_FAQ_ZH) for entry in faq] + [
    "¿Cuánto tardan en arreglar un bache?",
    "Wann wird mein Müll abgeholt?",
    "什么时候收垃圾？",
]
ENGLISH = ["When is my trash collected?", "How do I report a pothole?", "When do the pools open?"]


def _empty_query_caches() -> None:
    from knowledge.embedders import embedder_for, multilingual_embedder

    for embedder in (multilingual_embedder(), embedder_for("en")[0]):
        if embedder is not None and getattr(embedder, "cache", None) is not None:
            embedder.cache._items.clear()


def run(agency, questions, *, contest: bool, cold: bool = False) -> tuple[float, float]:
    original = answers.better_across
    if not contest:
        answers.better_across = lambda **_kwargs: []
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        for question in questions:
            if cold:
                _empty_query_caches()
            answers.answer_question(agency=agency, question=question, record_gap=False)
        n = len(questions)
        return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n
    finally:
        answers.better_across = original


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    agency = Agency.objects.get(slug="springfield")
    with agency_context(agency):
        run(agency, OTHER + ENGLISH, contest=True)  # warm-up: models loaded, caches filled
        for name, questions in (("es/de/zh answered in their language", OTHER), ("English", ENGLISH)):
            results = {True: [], False: []}
            for _ in range(args.passes):
                for contest in (False, True):
                    results[contest].append(run(agency, questions, contest=contest, cold=args.cold))
            for contest in (False, True):
                cpu = statistics.median(r[0] for r in results[contest])
                wall = statistics.median(r[1] for r in results[contest])
                label = "with the contest" if contest else "without (before)"
                print(
                    f"{name:40} {label:18} CPU {cpu:6.1f} ms  wall {wall:6.1f} ms per question  ({len(questions)} questions)"
                )


if __name__ == "__main__":
    main()
