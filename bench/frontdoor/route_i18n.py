"""The front door for citizens who do not write English: routing of questions_i18n.jsonl (seven languages) as
the front door's ask page routes them (the page in the citizen's language, the router's own decision including its
cross-language pass). Run `make run` or `manage.py seed_demo` first.

    .venv/bin/python bench/frontdoor/route_i18n.py [--misses] [--file PATH] [--save results.jsonl]
    .venv/bin/python bench/frontdoor/route_i18n.py --cost   # the report rule's time: with vs without, same run

A file: one JSON object a line, {"q", "agencies": [acceptable slugs] ([] = no agency should answer), "lang"} and
optionally "split" (questions_i18n.jsonl has train/heldout; a blind set may have none). A line without "lang" is
English. Lines that are not such objects are named on stderr and left out, as are slugs no active agency has
(a label typo would count every such question wrong).

Per language, per split and overall:
- right: "answer" with an acceptable agency, "choose" offering one, "none" when [] is wanted (the measure of
  earlier sessions);
- top-1: the first agency offered is acceptable ("none" when [] is wanted): a choice whose first is wrong is a miss;
- choose: how often the citizen is asked to pick (rate over all questions);
- none: of the questions no agency should answer, how many got "none" (right) or an agency (wrong); and how many
  questions an agency should answer got "none" (wrong "none").
`--save`: each question's decision and offered agencies, to compare two runs line by line.
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
from tenants.models import Agency  # noqa: E402

HERE = Path(__file__).resolve().parent


def offered(route) -> list[str]:
    if route.decision == "none":
        return []
    if route.decision == "choose":
        return [s.agency.slug for s in route.choices]
    return [route.best.agency.slug]


def load(path: Path, known: set[str]) -> list[dict]:
    """The labelled lines of `path`; malformed lines and unknown slugs are reported on stderr."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            print(f"line {number}: not JSON ({error}), left out", file=sys.stderr)
            continue
        if not (isinstance(row, dict) and isinstance(row.get("q"), str) and row["q"].strip()):
            print(f'line {number}: no question ("q"), left out', file=sys.stderr)
            continue
        wanted = row.get("agencies")
        if not (isinstance(wanted, list) and all(isinstance(slug, str) for slug in wanted)):
            print(f'line {number}: "agencies" is not a list of slugs, left out', file=sys.stderr)
            continue
        unknown = sorted(set(wanted) - known)
        if unknown:
            print(f"line {number}: no active agency {unknown}, left out", file=sys.stderr)
            continue
        rows.append({**row, "lang": row.get("lang") or "en", "line": number})
    return rows


def judge(row: dict, decision: str, got: list[str]) -> dict:
    """What one routed question counts for (see the module's docstring)."""
    wanted = set(row["agencies"])
    none_wanted = not wanted
    return {
        "right": decision == "none" if none_wanted else bool(set(got) & wanted),
        "top1": decision == "none" if none_wanted else bool(got) and got[0] in wanted,
        "choose": decision == "choose",
        "none_wanted": none_wanted,
        "none_wrong": decision == "none" and not none_wanted,
    }


def summary(name: str, marks: list[dict]) -> str:
    n = len(marks)
    right = sum(m["right"] for m in marks)
    top1 = sum(m["top1"] for m in marks)
    chose = sum(m["choose"] for m in marks)
    nones = [m for m in marks if m["none_wanted"]]
    said_none = sum(m["right"] for m in nones)
    return (
        f"{name}: n={n} right {right / n:.3f} ({right}) top-1 {top1 / n:.3f} ({top1}) choose {chose / n:.3f} ({chose})"
        f" | none wanted {len(nones)}: said none {said_none}, answered {len(nones) - said_none}"
        f" | wrong none {sum(m['none_wrong'] for m in marks)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--file", default=str(HERE / "questions_i18n.jsonl"))
    parser.add_argument("--save", help="write each question's decision here (JSON lines)")
    parser.add_argument("--cost", action="store_true")
    args = parser.parse_args()
    known = set(Agency.objects.filter(is_active=True).values_list("slug", flat=True))
    rows = load(Path(args.file), known)
    if not rows:
        sys.exit(f"{args.file}: no labelled questions")
    if args.cost:
        cost(rows)
        return
    by_split, by_lang, overall, ms, saved = collections.defaultdict(list), collections.defaultdict(list), [], [], []
    for row in rows:
        route = routing.route_question(question=row["q"], language=row["lang"])
        ms.append(route.ms)
        got = offered(route)
        mark = judge(row, route.decision, got)
        overall.append(mark)
        by_lang[row["lang"]].append(mark)
        if "split" in row:
            by_split[row["split"]].append(mark)
        top = [(s.agency.slug, round(s.score, 3)) for s in route.agencies[:3]]
        saved.append(
            {
                "line": row["line"],
                "q": row["q"],
                "lang": row["lang"],
                "agencies": row["agencies"],
                "decision": route.decision,
                "offered": got,
                "right": mark["right"],
                "top1": mark["top1"],
            }
        )
        if args.misses and not mark["top1"]:
            kind = "MISS" if not mark["right"] else "CHOICE, first wrong"
            print(f"   {kind} {row['lang']} {row['q']!r} wanted {row['agencies']} got {route.decision} {got} {top}")
    print(summary("all", overall))
    for name, marks in sorted(by_split.items()):
        print(summary(f"split {name}", marks))
    for name, marks in sorted(by_lang.items()):
        print(summary(f"lang {name}", marks))
    ms.sort()
    print(f"route p50 {ms[len(ms) // 2]} ms, max {ms[-1]} ms over {len(ms)} questions")
    if args.save:
        Path(args.save).write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in saved), encoding="utf-8")


def cost(rows) -> None:
    """Each question routed 5 times with the report rule and 5 without (the rule's intent reading switched
    off), alternating, after one warm-up pass: median ms per variant and the median per-question difference."""
    reads = routing._reads_as_report
    for row in rows:
        routing.route_question(question=row["q"], language=row["lang"])
    timings = {"with": [], "without": []}
    diffs = []
    for row in rows:
        per = {"with": [], "without": []}
        for _ in range(5):
            for variant in ("with", "without"):
                routing._reads_as_report = reads if variant == "with" else (lambda question: False)
                started = time.perf_counter()
                routing.route_question(question=row["q"], language=row["lang"])
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
