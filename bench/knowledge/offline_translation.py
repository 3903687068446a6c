"""Offline machine translation (issue 19): Apertium's English-Spanish pair, the only translation data a reachable
registry ships (Debian: `apt-get install apertium apertium-eng-spa`; no PyPI or npm package holds model weights,
bench/knowledge/RESULTS.md). Not a dependency of the project.

    flock /work/bench.lock nice -n 10 python3 bench/knowledge/offline_translation.py [--answers 30] > /tmp/en-es.jsonl

Translates the answers of the first `--answers` distinct entries that faq_eval/en's questions are labelled with
(English government FAQ answers) into Spanish, one `apertium eng-spa` process per answer as a server would call
it, and prints one JSON line per answer (source, translation, words Apertium did not know, wall ms), then the
p50 / p95 and the largest resident set of one call. Adequacy is judged by reading (RESULTS.md says how).
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

DATA = Path("/work/shared/data/faq_eval/en")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--pair", default="eng-spa")
    args = parser.parse_args()
    kb = {row["id"]: row for row in map(json.loads, (DATA / "kb.jsonl").read_text().splitlines()) if row}
    picked: list[dict] = []
    for query in map(json.loads, (DATA / "queries.jsonl").read_text().splitlines()):
        entry = kb[query["relevant"][0]]
        if entry not in picked:
            picked.append(entry)
        if len(picked) == args.answers:
            break
    times = []
    for entry in picked:
        started = time.perf_counter()
        done = subprocess.run(["apertium", args.pair], input=entry["text"], capture_output=True, text=True, check=True)
        times.append(1000 * (time.perf_counter() - started))
        translated = done.stdout.strip()
        unknown = [word for word in translated.split() if word.startswith(("*", "#"))]
        print(
            json.dumps(
                {
                    "id": entry["id"],
                    "source": entry["text"],
                    "translation": translated,
                    "unknown": unknown,
                    "ms": round(times[-1], 1),
                },
                ensure_ascii=False,
            )
        )
    times.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "answers": len(times),
                "p50_ms": round(times[len(times) // 2], 1),
                "p95_ms": round(times[int(0.95 * len(times))], 1),
                "max_child_rss_mb": round(rss_mb, 1),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
