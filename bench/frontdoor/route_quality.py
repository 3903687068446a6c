"""Routing quality of the front door on the demo agencies (run `make run` or `manage.py seed_demo` first).

    .venv/bin/python bench/frontdoor/route_quality.py            # both splits, the router's constants
    .venv/bin/python bench/frontdoor/route_quality.py --fit      # grid over FLOOR/MARGIN/weights on "train" only
    .venv/bin/python bench/frontdoor/route_quality.py --bench-agencies [--exhaustive]

`--bench-agencies`: the 20 agencies of 5,000 passages that route_latency.py builds (`--keep`) are active
for the run too (27 agencies: the prefilter picks which are searched in full, as in the latency bench);
`--exhaustive`: every active agency is searched in full (what the prefilter is compared against).

questions.jsonl: {"q", "agencies": [acceptable slugs] ([] = no agency should answer), "split": train|heldout}.
Top-1 is right when the best agency is one of the acceptable ones (for [] : the decision is "none"). A
"choose" counts as right when the right agency is among the offered choices (the citizen picks it), and is
reported apart as the choose rate.
"""

import argparse
import itertools
import json
import os
import sys
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


def load() -> list[dict]:
    return [json.loads(line) for line in (HERE / "questions.jsonl").read_text().splitlines() if line.strip()]


def features(rows):
    """Per question: the per-agency signals the router combines (one retrieval pass per question)."""
    out = []
    for row in rows:
        route = routing.route_question(question=row["q"])
        signals = [
            (
                s.agency.slug,
                s.confidence,
                s.coverage,
                s.dense,
                s.directory,
                s.directory_raw >= routing.DIRECTORY_ALONE_MIN,
            )
            for s in route.agencies
        ]
        out.append({**row, "ms": route.ms, "signals": signals})
    return out


def evaluate(feats, weights: routing.Weights):
    right = choose = 0
    misses = []
    for row in feats:
        scored = sorted(
            ((routing.combine(c, v, d, r, weights, alone=alone), slug) for slug, c, v, d, r, alone in row["signals"]),
            reverse=True,
        )
        decision = routing.decide([score for score, _slug in scored], weights)
        if decision == "none":
            offered = []
        elif decision == "choose":
            offered = [
                slug for score, slug in scored if score >= weights.floor and scored[0][0] - score <= weights.margin
            ]
        else:
            offered = [scored[0][1]]
        wanted = row["agencies"]
        ok = (decision == "none") if not wanted else bool(set(offered[:3]) & set(wanted))
        right += ok
        choose += decision == "choose"
        if not ok:
            misses.append((row["q"], wanted, decision, [(s, round(v, 3)) for v, s in scored[:3]]))
    n = len(feats)
    return right / n, choose / n, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--train-only", action="store_true")
    parser.add_argument("--bench-agencies", action="store_true")
    parser.add_argument("--exhaustive", action="store_true")
    parser.add_argument(
        "--answer-search",
        action="store_true",
        help="search as for an answer (no routing.SEARCH_OVERRIDES): the baseline",
    )
    args = parser.parse_args()
    if args.answer_search:
        routing.SEARCH_OVERRIDES = {}
    rows = load()
    if args.exhaustive:
        routing.FULL_SEARCH_MAX = 10_000
    bench = Agency.objects.filter(slug__regex=r"^bench-[0-9]+$") if args.bench_agencies else Agency.objects.none()
    bench_ids = list(bench.values_list("pk", flat=True))
    Agency.objects.filter(pk__in=bench_ids).update(is_active=True)
    try:
        print(f"active agencies: {Agency.objects.filter(is_active=True).count()}", flush=True)
        feats = features(rows)
    finally:
        Agency.objects.filter(pk__in=bench_ids).update(is_active=False)
    train = [f for f in feats if f["split"] == "train"]
    held = [f for f in feats if f["split"] == "heldout"]
    current = routing.WEIGHTS
    if args.fit:
        best = None
        for floor, margin, wc, wv, wdir, alone in itertools.product(
            [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7],
            [0.0, 0.02, 0.04, 0.06, 0.08],
            [0.3, 0.5, 0.7],
            [0.1, 0.25, 0.4],
            [0.0, 0.1, 0.2],
            [0.5, 0.7, 0.9],
        ):
            wd = round(1 - wc - wv, 2)
            if wd < 0:
                continue
            weights = routing.Weights(wc, wv, wd, wdir, alone, floor, margin)
            acc, ch, _ = evaluate(train, weights)
            key = (acc - max(0.0, ch - 0.10), -ch)
            if best is None or key > best[0]:
                best = (key, weights, acc, ch)
        print("fitted on train:", best[1], f"top-1 {best[2]:.3f} choose {best[3]:.3f}")
        current = best[1]
    for name, part in (("train", train), ("heldout", held))[: 1 if args.train_only else 2]:
        acc, ch, misses = evaluate(part, current)
        ms = sorted(f["ms"] for f in part)
        print(f"{name}: n={len(part)} top-1 {acc:.3f} choose {ch:.3f} route p50 {ms[len(ms) // 2]} ms")
        if args.misses:
            for miss in misses:
                print("   MISS", miss)


if __name__ == "__main__":
    main()
