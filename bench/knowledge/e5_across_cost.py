"""What e5's second look across languages costs (issue 19, session 27): resident memory of the model, CPU per
question (the question's vector alone, and the whole second look: vector, scan of the agency's first-language e5
vectors, passages read), and CPU per passage to store e5 vectors (ingestion, `shared_space.e5_vectors_fill`).

    flock /work/bench.lock nice -n 10 env OMP_NUM_THREADS=1 DEBUG=0 .venv/bin/python bench/knowledge/e5_across_cost.py \
        [--set bench/knowledge/data/crosslingual_held25.jsonl] [--rounds 3] [--refill springfield]

The set's questions (uncached: each round asks them with a suffix the cache has not seen), one thread, the process's
own clock; `--refill SLUG` clears that agency's e5 vectors and fills them again, timing it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from knowledge import shared_space  # noqa: E402
from knowledge.embedders.e5 import E5Embedder  # noqa: E402
from knowledge.embedders.e5_build import build  # noqa: E402
from knowledge.models import Chunk  # noqa: E402
from knowledge.retrieval import e5_across  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=ROOT / "bench/knowledge/data/crosslingual_held25.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--refill", help="an agency slug: clear and refill its e5 vectors, timed")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in={r["agency"] for r in rows})}
    before = rss_mb()
    model = E5Embedder(build())
    model.embed_query("Wie beantrage ich einen Reisepass?")
    print(f"e5 model loaded: +{rss_mb() - before:.0f} MB resident; load {os.getloadavg()[0]:.1f}", flush=True)
    e5_across.e5_embedder = lambda: model  # the same instance for the second look
    for n in range(1, args.rounds + 1):
        suffix = "?" * n  # a text the question cache has not seen
        cpu = time.process_time()
        for row in rows:
            model.embed_query(row["query"] + suffix)
        vector_ms = 1000 * (time.process_time() - cpu) / len(rows)
        cpu, wall = time.process_time(), time.perf_counter()
        for row in rows:
            agency = agencies[row["agency"]]
            with agency_context(agency):
                e5_across.e5_second_look(
                    agency=agency, question=row["query"] + suffix + "!", audience="public", spoken=row["lang"]
                )
        look_ms = 1000 * (time.process_time() - cpu) / len(rows)
        look_wall = 1000 * (time.perf_counter() - wall) / len(rows)
        print(
            f"round {n}: question vector {vector_ms:.1f} ms CPU; whole second look {look_ms:.1f} ms CPU "
            f"({look_wall:.1f} wall) per question, {len(rows)} questions; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    if args.refill:
        agency = Agency.objects.get(slug=args.refill)
        with agency_context(agency):
            Chunk.objects.for_agency(agency).update(e5_embedding=None)
            cpu, wall = time.process_time(), time.perf_counter()
            filled = shared_space.e5_vectors_fill(agency=agency)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{args.refill}: {filled} passages' e5 vectors in {cpu:.2f} s CPU ({1000 * cpu / max(1, filled):.1f} ms each)"
        )


if __name__ == "__main__":
    main()
