"""A cross-language answer when its passage clearly leads (knowledge/retrieval/clear_lead.py): chosen and
cross-validated on observations of the cross-language search (`translated_lab.py --observations`).

    .venv/bin/python bench/knowledge/translated_lab.py --observations /tmp/obs_calib.json
    .venv/bin/python bench/knowledge/translated_lab.py --set bench/knowledge/data/crosslingual_dev25.jsonl \
        --observations /tmp/obs_dev.json
    .venv/bin/python bench/knowledge/lead_across_lab.py --train /tmp/obs_calib.json /tmp/obs_dev.json \
        [--test /tmp/obs_held.json]

Each question's outcome: the same-language answer when it clears the confidence floor (as the answer service);
else the cross-language search's first passage (production score: cosine + 0.1 x carried, + the dictionary weight x
its match in a dictionary language) when it clears its floor, or, with the lead rule, when it scores at least the
lead floor and leads the best passage under another heading by the lead; else refused. Utility = right - 2 x wrong
(a question nothing answers counts as wrong when answered). The lead and its floor are chosen on --train (5 folds by
question x 10 shuffles, and leaving one language out, report held-out numbers); --test is scored once with the rule
chosen on all of --train.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.knowledge import outcomes

CONFIDENCE_FLOOR = 0.55  # KNOWLEDGE_CONFIDENCE_FLOOR
CROSS_FLOOR = 0.65  # KNOWLEDGE_CROSSLINGUAL_FLOOR
CARRY_WEIGHT = 0.1
TRANSLATED_WEIGHT, TRANSLATED_FLOOR = 0.6, 0.875  # the Chinese dictionary's (knowledge/retrieval/crosslingual.py)
LEADS = (0.0, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.2)  # 0: no lead rule (today)
LEAD_FLOORS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
LOOK_AT = 10


def load(path: Path) -> list[dict]:
    rows = []
    for obs in json.loads(path.read_text()):
        served = bool(obs.get("served"))
        candidates = []
        for base, matched, ok, place in obs["across"]:
            # `base` is the cosine + carried (translated_lab's first field); the dictionary adds only where served.
            score = base + (TRANSLATED_WEIGHT * matched if served else 0.0)
            candidates.append((score, ok, place))
        candidates.sort(key=lambda c: -c[0])
        rows.append(
            {
                "lang": obs["lang"],
                "answerable": bool(obs.get("relevant") or obs.get("relevant_heading") or obs.get("answer")),
                "primary": obs["primary"],
                "primary_right": obs["primary_right"],
                "floor": TRANSLATED_FLOOR if served else CROSS_FLOOR,
                "candidates": candidates[:LOOK_AT],
            }
        )
    return rows


def decide(row: dict, lead: float, lead_floor: float) -> str:
    if row["primary"] >= CONFIDENCE_FLOOR:
        return "right" if row["primary_right"] else "wrong"
    candidates = row["candidates"]
    if not candidates:
        return "refused"
    score, ok, place = candidates[0]
    answered = score >= row["floor"]
    if not answered and lead > 0 and score >= lead_floor:
        rival = next((c[0] for c in candidates[1:] if c[2] != place), None)
        answered = rival is None or score - rival >= lead
    if not answered:
        return "refused"
    return "right" if ok and row["answerable"] else "wrong"


def tally(rows: list[dict], rule: tuple[float, float]) -> dict:
    return outcomes.tally((decide(row, *rule), row["answerable"]) for row in rows)


RULES = [(lead, floor) for lead in LEADS for floor in LEAD_FLOORS]


def best(rows: list[dict]) -> tuple[float, float]:
    """Highest utility; ties: fewer wrong, the larger lead, the higher floor."""

    def key(rule):
        t = tally(rows, rule)
        return (t["utility"], -t["wrong"], rule[0], rule[1])

    return max(RULES, key=key)


def line(t: dict) -> str:
    return (
        f"right {t['right']:g}/{t['in']:g}, wrong {t['wrong']:g}, no-answer refused {t['refused_out']:g}/{t['out']:g}"
    )


def add(total: dict, t: dict) -> None:
    for k, v in t.items():
        total[k] = total.get(k, 0) + v


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", type=Path, nargs="+", required=True)
    parser.add_argument("--test", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    train = [row for path in args.train for row in load(path)]
    today = (0.0, 1.0)
    for path in args.train:
        print(f"{path.name}: today {line(tally(load(path), today))}")
    chosen = best(train)
    print(f"chosen on all of --train: lead {chosen[0]}, floor {chosen[1]}: {line(tally(train, chosen))}")
    for path in args.train:
        print(f"    {path.name}: {line(tally(load(path), chosen))}")
    totals, picks = {}, {}
    for seed in range(10):
        order = list(range(len(train)))
        random.Random(seed).shuffle(order)
        fold_of = {i: n % 5 for n, i in enumerate(order)}
        for fold in range(5):
            rule = best([r for i, r in enumerate(train) if fold_of[i] != fold])
            picks[rule] = picks.get(rule, 0) + 1
            add(totals, tally([r for i, r in enumerate(train) if fold_of[i] == fold], rule))
    mean = {k: v / 10 for k, v in totals.items()}
    print(f"5 folds by question (mean of 10 shuffles): {line(mean)}; today {line(tally(train, today))}")
    print(f"    picks {sorted(picks.items(), key=lambda kv: -kv[1])[:4]}")
    total = {}
    for lang in sorted({r["lang"] for r in train}):
        rule = best([r for r in train if r["lang"] != lang])
        held = [r for r in train if r["lang"] == lang]
        t = tally(held, rule)
        add(total, t)
        print(f"    leave {lang} out: picks {rule}: {line(t)} (today {line(tally(held, today))})")
    print(f"leave one language out: {line(total)}")
    for path in args.test:
        rows = load(path)
        print(f"TEST {path.name}: today {line(tally(rows, today))}; chosen {chosen}: {line(tally(rows, chosen))}")
        for lang in sorted({r["lang"] for r in rows}):
            held = [r for r in rows if r["lang"] == lang]
            print(f"    {lang}: today {line(tally(held, today))}; chosen {line(tally(held, chosen))}")


if __name__ == "__main__":
    main()
