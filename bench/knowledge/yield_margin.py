"""When does a same-language answer yield to a better passage in the agency's first language? (issue 19, session 23)

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/yield_margin.py [-v]

`knowledge.services.across`: a lead in the question's language (not the agency's first) is compared with the first
language's best passage in the shared multilingual space, and yields when that passage clears the cross-language
floor and beats the lead by `YIELD_MARGIN`. This measures the margin on two sets, through the production answer path
(`services.answers._prepare`, the ask page's call, language detected):

- the cross-language set (`crosslingual_set.jsonl`, 176 questions in de, es, fr, zh-hans, vi, ko, ar: 113 that an
  English passage answers, 63 that nothing answers; agencies as in crosslingual_floor.py, `manage.py seed_demo`
  first). Springfield has a Spanish, German and Chinese FAQ (trash day, holidays, potholes): a question of another
  topic in those languages can be answered from it. Right / wrong as in crosslingual_floor.py.
- a mixed agency, `xl-mixed-ende`: the German COVID FAQ (`faq_eval/de`, 390 entries) and the English one
  (`faq_eval/en`, 978), English first, with the 107 German questions of `faq_eval/de`. Here the right answer is a
  German passage: a German lead that yields to an English one is a right answer lost (the English passage is not
  judged; at best it answers in a language the citizen may not read).

Utility = right - 2 x wrong on the first set, minus 1 per right German answer lost on the second (a wrong German lead
that yields costs nothing). The margin is chosen by 5-fold cross-validation split by FAQ entry (every question of one
entry, or of one heading, in the same fold; a question nothing answers is its own entry), the production rule's
outcome re-checked at the chosen margin.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import json

from bench.knowledge.crosslingual_floor import FAQ_DIR, SET, faq_agency, right
from knowledge.evaluation import EvalSet, load_kb
from knowledge.services import across, answers
from knowledge.shared_space import shared_vectors_fill
from tenants.context import agency_context
from tenants.models import Agency

CONFIGURED = across.YIELD_MARGIN  # before this script switches the rule off
MIXED_SLUG = "xl-mixed-ende"
# The English passages the rule can give a German question of the mixed agency (at any margin tried), judged by hand
# (session 23) on whether they answer it: (question, passage title) → right.
JUDGED_FILE = Path(__file__).with_name("yield_judged.jsonl")
JUDGED = {
    (row["query"], row["title"]): row["right"]
    for row in (json.loads(line) for line in (JUDGED_FILE.read_text().splitlines() if JUDGED_FILE.exists() else []))
    if row.get("right") is not None
}
DE_DIR = FAQ_DIR.parent / "de"
MARGINS = [None] + [round(-0.1 + 0.025 * i, 3) for i in range(17)]  # never, -0.10 … 0.30
WRONG_COST = 2
FOLDS = 5


def mixed_agency():
    """The German and the English COVID FAQ in one agency (English first), and its document → entry map."""
    en, de = EvalSet.load(FAQ_DIR), EvalSet.load(DE_DIR)
    both = EvalSet(kb=en.kb + de.kb, queries=de.queries)
    agency = Agency.objects.filter(slug=MIXED_SLUG).first()
    if agency is None:
        loaded = load_kb(both, slug=MIXED_SLUG)
    else:
        from bench.knowledge.variants import reuse

        with agency_context(agency):  # its documents are read in the agency's scope
            loaded = reuse(MIXED_SLUG, both)
    with agency_context(loaded.agency):
        shared_vectors_fill(agency=loaded.agency)
    return loaded, de.queries


def observe(agency, question: str):
    """(lead or None, answered across languages?, contest or None): the answer path with the rule switched off, and
    the contest it would have weighed."""
    across.YIELD_MARGIN = float("inf")
    with agency_context(agency):
        asked = answers._prepare(agency=agency, question=question, audience="public", language=None)
        if not asked.answerable:
            return None, False, None
        lead = asked.passages[0]
        crossed = any(r.get("crosslingual") for r in asked.retrieved)
        if crossed or not across.contested(agency=agency, spoken=asked.spoken, lead=lead):
            return lead, crossed, None
        found, rival = across.contest(
            agency=agency, question=asked.question, audience="public", spoken=asked.spoken, lead=lead
        )
    return lead, crossed, (found[0] if found else None, rival)


def chosen(lead, contest, margin, floor):
    """The passage the answer is given from at `margin` (None: never yield)."""
    if lead is None or contest is None or margin is None:
        return lead
    best, rival = contest
    if best is None or rival is None or best.score < max(floor, rival + margin):
        return lead
    return best


def main() -> None:
    verbose = "-v" in sys.argv
    from knowledge import retrieval

    floor = retrieval.crosslingual_floor()
    rows = [json.loads(line) for line in SET.read_text().splitlines() if line.strip()]
    faq = faq_agency()
    agencies = {"faq_eval/en": faq[0], **{a.slug: a for a in Agency.objects.filter(slug__in={r["kb"] for r in rows})}}
    for agency in agencies.values():
        with agency_context(agency):
            shared_vectors_fill(agency=agency)
    mixed, de_queries = mixed_agency()

    items = []  # (group, kind, row, lead, contest)
    for row in rows:
        lead, _crossed, contest = observe(agencies[row["kb"]], row["query"])
        group = row.get("relevant_heading") or ",".join(row.get("relevant") or []) or row["query"]
        items.append((f"{row['kb']}:{group}", "xl", row, lead, contest))
    for query in de_queries:
        lead, _crossed, contest = observe(mixed.agency, query["query"])
        items.append((f"de:{','.join(sorted(query['relevant']))}", "mixed", query, lead, contest))

    def outcome(item, margin):
        _group, kind, row, lead, contest = item
        passage = chosen(lead, contest, margin, floor)
        if kind == "xl":
            if passage is None:
                return "refused"
            return "right" if right(row, passage, faq) else "wrong"
        if passage is None:
            return "mixed_refused"
        if passage is lead:
            return "de_right" if mixed.doc_to_entry.get(lead.document_id) in set(row["relevant"]) else "de_wrong"
        judged = JUDGED.get((row["query"], passage.title))
        if judged is None:
            unjudged.add((row["query"], passage.title, passage.text[:300]))
            return "en_unjudged"
        return "en_right" if judged else "en_wrong"

    def utility(selected, margin):
        counts = defaultdict(int)
        for item in selected:
            counts[outcome(item, margin)] += 1
        right = counts["right"] + counts["de_right"] + counts["en_right"]
        wrong = counts["wrong"] + counts["de_wrong"] + counts["en_wrong"] + counts["en_unjudged"]
        return right - WRONG_COST * wrong, counts

    unjudged = set()
    contested = sum(1 for item in items if item[4] is not None)
    print(f"{len(items)} questions, {contested} contested (a same-language lead weighed against the first language)")
    print(
        "margin   cross-language set: right/wrong/refused   mixed: German right/wrong, English right/wrong, refused   utility"
    )
    for margin in MARGINS:
        value, c = utility(items, margin)
        label = "never" if margin is None else f"{margin:+.3f}"
        print(
            f"{label:>7}  {c['right']:4}/{c['wrong']:<3}/{c['refused']:<4}                       "
            f"{c['de_right']:3}/{c['de_wrong']:<3} {c['en_right']:3}/{c['en_wrong'] + c['en_unjudged']:<3} {c['mixed_refused']:3}"
            f"                     {value}"
        )
    for query, title, text in sorted(unjudged):
        print(
            f"  unjudged: {json.dumps({'query': query, 'title': title, 'right': None}, ensure_ascii=False)}  # {text!r}"
        )
    if verbose:
        for item in items:
            if item[4] is None:
                continue
            _g, kind, row, lead, (best, rival) = item
            print(
                f"  [{kind}] {row['query'][:60]!r}: lead {lead.language} {lead.heading_path[:40]!r} shared {rival}"
                f" | best {best.heading_path[:40]!r} {best.score:.3f}"
                if best
                else f"  [{kind}] {row['query'][:60]!r}: lead only"
            )

    # 5 folds split by FAQ entry, over 10 shuffles: the margin chosen on four folds, scored on the fifth.
    groups = sorted({item[0] for item in items})
    held = defaultdict(int)
    picks = defaultdict(int)
    shuffles = 10
    for seed in range(shuffles):
        order = groups[:]
        random.Random(seed).shuffle(order)
        fold_of = {group: i % FOLDS for i, group in enumerate(order)}
        for fold in range(FOLDS):
            train = [item for item in items if fold_of[item[0]] != fold]
            test = [item for item in items if fold_of[item[0]] == fold]
            # ties: the larger margin (the same-language answer is preferred)
            best = max(MARGINS, key=lambda m: (utility(train, m)[0], 99 if m is None else m))
            picks[best] += 1
            for key, value in utility(test, best)[1].items():
                held[key] += value
    print(f"\n5 folds by FAQ entry x {shuffles} shuffles, held out (mean per shuffle):")
    print("  " + ", ".join(f"{key} {value / shuffles:.1f}" for key, value in sorted(held.items())))
    print(
        "  margins chosen: "
        + ", ".join(f"{'never' if m is None else m}: {n}" for m, n in sorted(picks.items(), key=str))
    )

    # The production rule at the configured margin gives what the simulation says.
    across.YIELD_MARGIN = across_margin = CONFIGURED
    mismatches = 0
    for item in items:
        _group, kind, row, lead, contest = item
        agency = mixed.agency if kind == "mixed" else agencies[row["kb"]]
        with agency_context(agency):
            asked = answers._prepare(agency=agency, question=row["query"], audience="public", language=None)
        got = asked.passages[0].chunk_id if asked.answerable else None
        want = chosen(lead, contest, across_margin, floor)
        mismatches += got != (want.chunk_id if want is not None else None)
    print(f"\nproduction path at YIELD_MARGIN {across_margin}: {mismatches} questions differ from the simulation")


if __name__ == "__main__":
    main()
