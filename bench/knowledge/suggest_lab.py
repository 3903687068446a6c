""" "Did you mean …?" under a refusal across languages (issue 19, session 26): how many refused citizens see the
right section among the suggestions, and how many questions nothing answers get suggestions at all (noise)?

    .venv/bin/python bench/knowledge/translated_lab.py --observations /tmp/obs_calib.json
    .venv/bin/python bench/knowledge/translated_lab.py --set bench/knowledge/data/crosslingual_dev25.jsonl \
        --observations /tmp/obs_dev.json
    .venv/bin/python bench/knowledge/translated_lab.py --set bench/knowledge/data/crosslingual_held25.jsonl \
        --observations /tmp/obs_held.json
    .venv/bin/python bench/knowledge/suggest_lab.py --train /tmp/obs_calib.json /tmp/obs_dev.json /tmp/obs_held.json
    .venv/bin/python bench/knowledge/suggest_lab.py --set PATH          # a new set: observed, then scored once

Each question's outcome is the answer service's: the same-language answer when it clears the confidence floor,
else the cross-language search's first passage when it clears its floor or clearly leads (`retrieval.clear_lead`),
else a refusal. For each refused question the lab rebuilds what `related.near_misses` offers under a rule: the
same-language candidates above `KNOWLEDGE_RELATED_FLOOR` (up to `related.LIMIT`), then the cross-language candidates (best first, one per
question label) that clear the rule's floor and lie within its window of the best one, up to its count; and
counts, per language:

- hit: a question a section answers, with that section among the suggestions (one tap from the answer);
- shown, none right: suggestions, none of them the answer;
- nothing: no suggestion at all;
- noise: a question nothing answers that gets suggestions (harmless, but noise).

A rule is (count, floor, window, depth, loanword floor): up to `count` suggestions, a cross-language candidate from
`floor` (+ the dictionary languages' shift, as in production) and within `window` of the best one (None: any), among
the search's first `depth`; for a language the encoder does not know (Vietnamese), the passages holding its
loanwords from the loanword floor (`retrieval.loanwords`; inf: none). Today: (2, 0.5, None, 3, inf). Rules are
chosen by hits - NOISE_COST x noise (ties: less noise, fewer buttons, a higher floor) and cross-validated: 5 folds
by question (10 shuffles) and leave one language out; --test observation files, and --set, are scored once with the
production rule (`related.suggest_settings`) and with the rule chosen on all of --train.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.knowledge import crosslingual_floor  # noqa: F401 - sets Django up: first of the project's
from knowledge import related
from knowledge.retrieval.clear_lead import LOOK_AT, lead_settings
from knowledge.retrieval.crosslingual import crosslingual_floor as cross_floor
from knowledge.retrieval.crosslingual import translated_weight
from knowledge.services.answers import confidence_floor

# A question nothing answers shown suggestions costs as much as a refused citizen shown the right section gains (0.5
# instead: floor 0.3, 140 instead of 101 hits held out for 120 instead of 79 of 175 unanswerable questions shown
# suggestions; RESULTS.md, session 26).
NOISE_COST = 1.0
NO_LOANWORDS = float("inf")
TODAY = (2, 0.5, None, 3, NO_LOANWORDS)
COUNTS = (2, 3)
FLOORS = tuple(round(0.25 + 0.025 * i, 3) for i in range(15))  # 0.25 … 0.6
WINDOWS = (None, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25)
DEPTHS = (3, LOOK_AT)
LOANWORD_FLOORS = (NO_LOANWORDS, 0.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0)
RULES = [(n, f, w, d, NO_LOANWORDS) for n in COUNTS for f in FLOORS for w in WINDOWS for d in DEPTHS]


def _key(place: str) -> str:
    """`related._key` from a candidate's heading path (or title)."""
    text = " ".join((place or "").split("\u203a")[-1].split())
    return text.casefold().rstrip("?\uff1f\u061f ")


def load(path: Path) -> list[dict]:
    """translated_lab.py --observations → one row per question."""
    return prepare(json.loads(path.read_text()))


def prepare(observed: Iterable[dict]) -> list[dict]:
    rows = []
    weight = translated_weight()
    for obs in observed:
        served = bool(obs.get("served"))
        across = sorted(
            (
                (base + (weight * matched if served else 0.0), ok, _key(place))
                for base, matched, ok, place in obs["across"]
            ),
            key=lambda c: -c[0],
        )[:LOOK_AT]
        rows.append(
            {
                "lang": obs["lang"],
                "query": obs["query"],
                "answerable": bool(obs.get("relevant") or obs.get("relevant_heading") or obs.get("answer")),
                "primary": obs["primary"],
                "primary_right": obs["primary_right"],
                "floor": cross_floor(obs["lang"]),
                "shift": cross_floor(obs["lang"]) - cross_floor(),
                "own": [tuple(o) for o in obs.get("own", [])],
                "across": across,
                "loaned": sorted((tuple(c) for c in obs.get("loaned", [])), key=lambda c: -c[0]),
            }
        )
    return rows


def answered(row: dict) -> str | None:
    """The answer service's outcome ("right" / "wrong"), or None when it refuses."""
    if "_answered" not in row:
        row["_answered"] = _answered(row)
    return row["_answered"]


def _answered(row: dict) -> str | None:
    if row["primary"] >= confidence_floor():
        return "right" if row["primary_right"] else "wrong"
    candidates = row["across"]
    if not candidates:
        return None
    score, ok, key = candidates[0]
    lead, lead_floor = lead_settings()
    if score < row["floor"]:
        if lead <= 0 or score < lead_floor:
            return None
        rival = next((c[0] for c in candidates[1:] if c[2] != key), None)
        if rival is not None and score - rival < lead:
            return None
    return "right" if ok and row["answerable"] else "wrong"


def suggested(row: dict, rule) -> list[bool]:
    """Whether each suggestion a refusal offers under `rule` is right (as `related.near_misses`)."""
    count, floor, window, depth, loan_floor = rule
    seen: set[str] = set()
    shown: list[bool] = []
    for confidence, ok, key in row["own"][:8]:
        if confidence < related.related_floor() or not key or key in seen:
            continue
        seen.add(key)
        shown.append(ok)
        if len(shown) >= min(count, related.LIMIT):
            break
    across = row["across"][:depth]
    floor += row["shift"]
    best = across[0][0] if across else 0.0
    for score, ok, key in across:
        if len(shown) >= count:
            break
        if score < floor or (window is not None and score < best - window) or not key or key in seen:
            continue
        seen.add(key)
        shown.append(ok)
    for score, ok, key in row["loaned"]:
        if len(shown) >= count:
            break
        if score < loan_floor or not key or key in seen:
            continue
        seen.add(key)
        shown.append(ok)
    return shown


def tally(rows: list[dict], rule) -> dict:
    t = {"in": 0, "out": 0, "right": 0, "wrong": 0, "refused_in": 0, "refused_out": 0}
    t |= {"hit": 0, "shown_wrong": 0, "nothing": 0, "noise": 0, "buttons": 0}
    for row in rows:
        t["in" if row["answerable"] else "out"] += 1
        outcome = answered(row)
        if outcome:
            t[outcome] += 1
            continue
        shown = suggested(row, rule)
        t["buttons"] += len(shown)
        if row["answerable"]:
            t["refused_in"] += 1
            t["hit" if any(shown) else "shown_wrong" if shown else "nothing"] += 1
        else:
            t["refused_out"] += 1
            t["noise"] += bool(shown)
    t["utility"] = t["hit"] - NOISE_COST * t["noise"]
    return t


def best(rows: list[dict]):
    """Highest utility; ties: less noise, fewer buttons, a higher floor, a narrower window, a shallower depth. The
    loanword floor (only the languages the encoder does not know have loanword candidates, and no cross-language
    ones) is chosen after the others, on the same rows."""

    def key(rule):
        t = tally(rows, rule)
        return (t["utility"], -t["noise"], -t["buttons"], rule[1], -(rule[2] or 1.0), -rule[3], rule[4])

    chosen = max(RULES, key=key)
    return max(((*chosen[:4], loan) for loan in LOANWORD_FLOORS), key=key)


def line(t: dict) -> str:
    refused = t["refused_in"] or 1
    return (
        f"refused {t['refused_in']:g}/{t['in']:g} answerable: right suggested {t['hit']:g} "
        f"({100 * t['hit'] / refused:.0f} %), only wrong {t['shown_wrong']:g}, nothing {t['nothing']:g}; "
        f"no-answer refused {t['refused_out']:g}/{t['out']:g}, with suggestions {t['noise']:g}; "
        f"buttons {t['buttons']:g}"
    )


def add(total: dict, t: dict) -> None:
    for k, v in t.items():
        total[k] = total.get(k, 0) + v


def per_language(rows: list[dict], rule, name: str) -> None:
    print(f"{name} {rule}: {line(tally(rows, rule))}")
    for lang in sorted({r["lang"] for r in rows}):
        print(f"    {lang}: {line(tally([r for r in rows if r['lang'] == lang], rule))}")


def cross_validate(train: list[dict]) -> None:
    totals, picks, base = {}, {}, {}
    per_lang: dict[str, dict] = {}
    for seed in range(10):
        order = list(range(len(train)))
        random.Random(seed).shuffle(order)
        fold_of = {i: n % 5 for n, i in enumerate(order)}
        for fold in range(5):
            rule = best([r for i, r in enumerate(train) if fold_of[i] != fold])
            picks[rule] = picks.get(rule, 0) + 1
            test = [r for i, r in enumerate(train) if fold_of[i] == fold]
            add(totals, tally(test, rule))
            for lang in {r["lang"] for r in test}:
                add(per_lang.setdefault(lang, {}), tally([r for r in test if r["lang"] == lang], rule))
    mean = {k: v / 10 for k, v in totals.items()}
    add(base, tally(train, TODAY))
    print(f"5 folds by question (mean of 10 shuffles): {line(mean)}")
    print(f"    today: {line(base)}")
    print(f"    picks {sorted(picks.items(), key=lambda kv: -kv[1])[:5]}")
    for lang in sorted(per_lang):
        print(f"    {lang}: {line({k: v / 10 for k, v in per_lang[lang].items()})}")
    total = {}
    for lang in sorted({r["lang"] for r in train}):
        rule = best([r for r in train if r["lang"] != lang])
        held = [r for r in train if r["lang"] == lang]
        t = tally(held, rule)
        add(total, t)
        print(f"    leave {lang} out: picks {rule}: {line(t)}")
        print(f"        today: {line(tally(held, TODAY))}")
    print(f"leave one language out: {line(total)}")


def frontier(rows: list[dict]) -> None:
    """Each rule that no other beats on both hits and noise (on these rows: not held out)."""
    scored = [(tally(rows, rule), rule) for rule in RULES]
    print("\nfrontier (hits, noise, buttons: rule), not held out:")
    best_hits = -1
    for t, rule in sorted(scored, key=lambda s: (s[0]["noise"], -s[0]["hit"], s[0]["buttons"])):
        if t["hit"] > best_hits:
            best_hits = t["hit"]
            print(f"    {t['hit']:4} {t['noise']:4} {t['buttons']:5}: {rule}")


def observe_set(path: Path) -> list[dict]:
    """A set of lines {"agency", "lang", "query", "answer": heading | null}, observed as translated_lab.py does."""
    from bench.knowledge import translated_lab
    from knowledge.shared_space import shared_vectors_fill
    from tenants.context import agency_context

    rows, agencies, is_right = translated_lab.load_set(path)
    for agency in agencies.values():
        with agency_context(agency):
            shared_vectors_fill(agency=agency)
    return prepare(translated_lab.observe(rows, agencies, is_right))


def check(path: Path, rows: list[dict]) -> None:
    """The production answer path (`services.answer_question`, the question's language detected, as the ask page
    does) on the set's questions, against what the lab reconstructed for the production rule: per refused question,
    whether a suggestion lies under the set's heading."""
    from bench.knowledge import translated_lab
    from knowledge import services
    from tenants.context import agency_context

    raw, agencies, _is_right = translated_lab.load_set(path)
    same = differ = 0
    for row, lab in zip(raw, rows, strict=True):
        agency = agencies[row["kb"]]
        with agency_context(agency):
            answer = services.answer_question(agency=agency, question=row["query"], record_gap=False)
        if answer.grounded or answered(lab):
            same += bool(answer.grounded) == bool(answered(lab))
            differ += bool(answer.grounded) != bool(answered(lab))
            continue
        wanted = (row.get("answer") or "").strip().lower()
        hit = bool(wanted) and any(item["question"].strip().lower() == wanted for item in answer.related)
        lab_shown = suggested(lab, (*related.suggest_settings(), related.loanword_floor()))
        if (hit, bool(answer.related)) == (any(lab_shown), bool(lab_shown)):
            same += 1
        else:
            differ += 1
            print(f"    differs: {row['lang']} {row['query'][:70]!r}: production {answer.related} lab {lab_shown}")
    print(f"check against the production path: {same} questions agree, {differ} differ")


def main():
    global NOISE_COST
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", type=Path, nargs="*", default=[], help="translated_lab.py --observations files")
    parser.add_argument("--test", type=Path, nargs="*", default=[], help="observation files scored once")
    parser.add_argument("--set", type=Path, help="a JSONL set: observed now, scored once")
    parser.add_argument("--noise-cost", type=float, default=NOISE_COST, help="utility = hits - this x noise")
    parser.add_argument("--frontier", action="store_true", help="on --train: the most hits at each noise")
    parser.add_argument("--check", action="store_true", help="--set: compare with the production answer path")
    parser.add_argument("-v", action="store_true", help="each refused question's suggestions")
    args = parser.parse_args()
    NOISE_COST = args.noise_cost
    production = (*related.suggest_settings(), related.loanword_floor())
    train = [row for path in args.train for row in load(path)]
    chosen = None
    if train:
        for path in args.train:
            per_language(load(path), TODAY, f"{path.name}: today")
        chosen = best(train)
        print(f"\nchosen on all of --train: {chosen}: {line(tally(train, chosen))}")
        print(f"production {production}: {line(tally(train, production))}")
        cross_validate(train)
        if args.frontier:
            frontier(train)
    tests = [(path.name, load(path)) for path in args.test]
    if args.set:
        tests.append((args.set.name, observe_set(args.set)))
        if args.check:
            check(args.set, tests[-1][1])
    for name, rows in tests:
        print(f"\nTEST {name}, {len(rows)} questions")
        per_language(rows, TODAY, "today")
        per_language(rows, production, "production")
        if chosen and chosen != production:
            per_language(rows, chosen, "chosen on --train")
        if args.v:
            for row in rows:
                if not answered(row):
                    print(
                        json.dumps(
                            {"lang": row["lang"], "query": row["query"], "answerable": row["answerable"]}
                            | {"today": suggested(row, TODAY), "production": suggested(row, production)},
                            ensure_ascii=False,
                        )
                    )


if __name__ == "__main__":
    main()
