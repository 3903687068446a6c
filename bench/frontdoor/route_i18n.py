"""The front door for citizens who do not write English: routing of questions_i18n.jsonl (seven languages) as
the front door's ask page routes them (the page in the citizen's language, the router's own decision including its
cross-language pass). Run `make run` or `manage.py seed_demo` first.

    .venv/bin/python bench/frontdoor/route_i18n.py [--misses] [--file bench/frontdoor/questions.jsonl]
    .venv/bin/python bench/frontdoor/route_i18n.py --cost   # the report rule's time: with vs without, same run

questions_i18n.jsonl: {"q", "agencies": [acceptable slugs] ([] = no agency should answer), "lang", "split"}.
Right: "answer" with an acceptable agency, "choose" offering one (reported apart), "none" when [] is wanted.
"""

import argparse
import collections
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from frontdoor import routing  # noqa: E402

HERE = Path(__file__).resolve().parent


def offered(route) -> list[str]:
    if route.decision == "none":
        return []
    if route.decision == "choose":
        return [s.agency.slug for s in route.choices]
    return [route.best.agency.slug]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--file", default=str(HERE / "questions_i18n.jsonl"))
    parser.add_argument("--cost", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.file).read_text().splitlines() if line.strip()]
    if args.cost:
        cost(rows)
        return
    by_split, by_lang, chose, ms = collections.defaultdict(list), collections.defaultdict(list), 0, []
    for row in rows:
        route = routing.route_question(question=row["q"], language=row.get("lang"))
        ms.append(route.ms)
        got = offered(route)
        ok = (route.decision == "none") if not row["agencies"] else bool(set(got) & set(row["agencies"]))
        chose += route.decision == "choose"
        by_split[row["split"]].append(ok)
        by_split["all"].append(ok)
        by_lang[row.get("lang", "?")].append(ok)
        if args.misses and not ok:
            top = [(s.agency.slug, round(s.score, 3)) for s in route.agencies[:3]]
            print(
                f"   MISS {row.get('lang', 'en')} {row['q']!r} wanted {row['agencies']} got {route.decision} {got} {top}"
            )
    for name, oks in sorted(by_split.items()):
        print(f"{name}: n={len(oks)} right {sum(oks) / len(oks):.3f} ({sum(oks)})")
    print("by language: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_lang.items())))
    ms.sort()
    print(f"choose {chose}/{len(rows)}; route p50 {ms[len(ms) // 2]} ms, max {ms[-1]} ms")


def cost(rows) -> None:
    """Each question routed 5 times with the report rule and 5 without (the rule's intent reading switched
    off), alternating, after one warm-up pass: median ms per variant and the median per-question difference."""
    reads = routing._reads_as_report
    for row in rows:
        routing.route_question(question=row["q"], language=row.get("lang"))
    timings = {"with": [], "without": []}
    diffs = []
    for row in rows:
        per = {"with": [], "without": []}
        for _ in range(5):
            for variant in ("with", "without"):
                routing._reads_as_report = reads if variant == "with" else (lambda question: False)
                started = time.perf_counter()
                routing.route_question(question=row["q"], language=row.get("lang"))
                per[variant].append((time.perf_counter() - started) * 1000)
        routing._reads_as_report = reads
        for variant, values in per.items():
            timings[variant].append(statistics.median(values))
        diffs.append(statistics.median(per["with"]) - statistics.median(per["without"]))
    for variant, values in timings.items():
        print(f"{variant} the report rule: median {statistics.median(values):.1f} ms over {len(values)} questions")
    print(f"per-question difference: median {statistics.median(diffs):+.2f} ms, max {max(diffs):+.1f} ms")


if __name__ == "__main__":
    main()
