"""Calibrate the cross-language floor (`KNOWLEDGE_CROSSLINGUAL_FLOOR`, knowledge/retrieval/crosslingual.py).

    flock /work/bench.lock nice -n 10 .venv/bin/python bench/knowledge/crosslingual_floor.py [-v]

The set, bench/knowledge/crosslingual_set.jsonl, was written for this: questions in de, es, zh-hans, fr, vi, ko and ar
whose answer is only in an English passage (of the COVID FAQ of ../shared/data/faq_eval/en, loaded as the agency
`xl-faq-en` on first use, or of the demo's `springfield` and `revenue`: run `manage.py seed_demo` first), and as
many questions none of those knowledge bases answers. Each question goes through the answer path as a citizen's
would: the everyday search first (its confidence floor), and only when that refuses, the cross-language search.
For each carry weight and floor it counts the questions answered from a right passage, those answered from a
wrong one (an in-domain question answered from another entry, or a question with no answer answered at all), and
the in-domain questions refused. The floor is picked by correct - 2 x wrong (a wrong answer costs a citizen more
than an honest "I don't know") and cross-validated two ways: leave one language out (chosen on four languages,
scored on the fifth) and five folds by question.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from bench.knowledge import outcomes  # noqa: E402
from knowledge import retrieval  # noqa: E402
from knowledge.evaluation import EvalSet, load_kb  # noqa: E402
from knowledge.retrieval.crosslingual import CARRY_WEIGHT, SHARED_MODE, shared_score  # noqa: E402
from knowledge.services.answers import _lead, _readable, confidence_floor  # noqa: E402
from knowledge.shared_space import shared_vectors_fill  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

SET = Path(__file__).with_name("crosslingual_set.jsonl")
FAQ_DIR = ROOT.parent.parent / "shared" / "data" / "faq_eval" / "en"
FAQ_SLUG = "xl-faq-en"
FLOORS = [round(0.30 + 0.025 * i, 3) for i in range(19)]  # 0.30 … 0.75
CARRY_WEIGHTS = (0.0, 0.1, 0.2)
MODES = ("max", "body", "mean")  # how a passage's and its heading's cosines make one (crosslingual.shared_score)


def faq_agency():
    evalset = EvalSet.load(FAQ_DIR)
    agency = Agency.objects.filter(slug=FAQ_SLUG).first()
    if agency is None:
        loaded = load_kb(evalset, slug=FAQ_SLUG)
        agency = loaded.agency
    from bench.knowledge.variants import reuse

    loaded = reuse(FAQ_SLUG, evalset)
    titles = {entry["id"]: (entry.get("title") or "").strip().lower() for entry in evalset.kb}
    return agency, loaded.doc_to_entry, titles


def right(row, passage, faq) -> bool:
    """Whether `passage` (or an identical passage folded into it) answers `row`."""
    if not (row.get("relevant") or row.get("relevant_heading")):
        return False
    for p in (passage, *passage.also):
        if row["kb"] == "faq_eval/en":
            _agency, doc_to_entry, titles = faq
            wanted = set(row["relevant"])
            # The FAQ repeats questions across its sources: a passage of another entry under the same question, or
            # under one of the set's `accept_titles` (judged by title, written with the set), is right too.
            accepted = {titles[i] for i in wanted} | {t.strip().lower() for t in row.get("accept_titles", [])}
            if doc_to_entry.get(p.document_id) in wanted or p.title.strip().lower() in accepted:
                return True
        elif row["relevant_heading"] in f"{p.title} {p.heading_path}".lower():
            return True
    return False


def observe(rows, faq) -> list[dict]:
    slugs = {row["kb"] for row in rows} - {"faq_eval/en"}
    agencies = {"faq_eval/en": faq[0], **{a.slug: a for a in Agency.objects.filter(slug__in=slugs)}}
    out = []
    for row in rows:
        agency = agencies[row["kb"]]
        with agency_context(agency):
            passages = retrieval.search(agency=agency, query=row["query"], language=row["lang"])
            passages = _readable(agency, passages, row["lang"], row["lang"])
            top = max(passages[:3], key=lambda p: p.confidence) if passages else None
            lead = _lead(passages[:3]) if passages else None  # what is said (session 18: the first, within 0.2)
            across = retrieval.crosslingual_search(agency=agency, query=row["query"], language=row["lang"], limit=8)
        out.append(
            {
                **row,
                "primary": top.confidence if top else 0.0,
                "primary_right": bool(lead) and right(row, lead, faq),
                "across": [
                    (
                        {
                            mode: shared_score(p.signals["shared_body"], p.signals.get("shared_head"), mode)
                            for mode in MODES
                        },
                        p.signals["carried"],
                        right(row, p, faq),
                        p.title,
                    )
                    for p in across
                ],
            }
        )
    return out


def decide(obs: dict, setting: tuple) -> str:
    """ "right", "wrong" or "refused": what the answer path does with `setting` (mode, carry weight, floor)."""
    mode, weight, floor = setting
    if obs["primary"] >= confidence_floor():
        return "right" if obs["primary_right"] else "wrong"
    scored = sorted(((shared[mode] + weight * carried, ok) for shared, carried, ok, _t in obs["across"]), reverse=True)
    if not scored or scored[0][0] < floor:
        return "refused"
    return "right" if scored[0][1] else "wrong"


def tally(observed, setting) -> dict:
    return outcomes.tally(
        (decide(obs, setting), bool(obs.get("relevant") or obs.get("relevant_heading"))) for obs in observed
    )


def best(observed, modes=MODES, weights=CARRY_WEIGHTS) -> tuple:
    """The setting with the highest utility on `observed` (ties: the higher floor, the fewer wrong answers)."""
    settings = [(m, w, f) for m in modes for w in weights for f in FLOORS]
    return max(settings, key=lambda s: (tally(observed, s)["utility"], -tally(observed, s)["wrong"], s[2]))


def line(t: dict) -> str:
    return (
        f"right {t['right']}/{t['in']}, wrong {t['wrong']}, in-domain refused {t['refused_in']}, "
        f"no-answer refused {t['refused_out']}/{t['out']}"
    )


def main():
    rows = [json.loads(line) for line in SET.read_text().splitlines() if line.strip()]
    faq = faq_agency()
    slugs = {row["kb"] for row in rows} - {"faq_eval/en"}
    for agency in [faq[0], *Agency.objects.filter(slug__in=slugs)]:
        with agency_context(agency):
            shared_vectors_fill(agency=agency)  # what the sweep would have done by now
    observed = observe(rows, faq)
    print(
        f"{len(rows)} questions, {sum(1 for o in observed if o.get('relevant') or o.get('relevant_heading'))} answerable"
    )
    print("without the cross-language search:", line(tally([{**o, "across": []} for o in observed], ("max", 0, 9))))
    for mode in MODES:
        for weight in CARRY_WEIGHTS:
            print(f"\nmode {mode}, carry weight {weight}")
            print("floor  right wrong refused_in refused_out utility")
            for floor in FLOORS:
                t = tally(observed, (mode, weight, floor))
                print(
                    f"{floor:.3f}  {t['right']:5d} {t['wrong']:5d} {t['refused_in']:10d} {t['refused_out']:11d} "
                    f"{t['utility']:7d}"
                )
    print(f"\nbest on all: {best(observed)}")
    print("\ncross-validation (setting chosen on the rest, scored on the held-out part):")
    folds = (("leave one language out", lambda i, o: o["lang"]), ("5 folds by question", lambda i, o: i % 5))
    for name, key in folds:
        totals = {"right": 0, "wrong": 0, "refused_in": 0, "refused_out": 0, "in": 0, "out": 0}
        picks = []
        for group in sorted({key(i, o) for i, o in enumerate(observed)}, key=str):
            train = [o for i, o in enumerate(observed) if key(i, o) != group]
            test = [o for i, o in enumerate(observed) if key(i, o) == group]
            setting = best(train)
            picks.append((group, *setting))
            for k, v in tally(test, setting).items():
                if k in totals:
                    totals[k] += v
        print(f"  {name}: held-out {line(totals)}; picks {picks}")
    setting = (SHARED_MODE, CARRY_WEIGHT, retrieval.crosslingual_floor())
    print(f"\nconfigured {setting}: {line(tally(observed, setting))}; per language:")
    for lang in sorted({o["lang"] for o in observed}):
        print(f"  {lang}: {line(tally([o for o in observed if o['lang'] == lang], setting))}")
    if "-v" in sys.argv:
        for obs in observed:
            print(
                json.dumps(
                    {k: obs[k] for k in ("kb", "lang", "query", "primary", "primary_right")}
                    | {"outcome": decide(obs, setting), "across": obs["across"][:2]},
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main()
