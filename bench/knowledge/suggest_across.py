""" "Did you mean …?" across languages: when a question in one language is refused, which near misses does the
refusal offer, and is the right passage among them? (issue 19, session 18)

    nice -n 10 .venv/bin/python bench/knowledge/suggest_across.py

The cross-language set (bench/knowledge/crosslingual_set.jsonl, 176 questions in de, es, fr, zh-hans, vi, ko, ar:
113 that an English passage answers, 63 that nothing answers; agencies as in crosslingual_floor.py, `manage.py
seed_demo` first) goes through the production answer path (`knowledge.services.answers`, the ask page's call:
language detected). For each floor of the cross-language candidates offered (`related.CROSSLINGUAL_SUGGEST_FLOOR`)
it counts, per language: answered (right / wrong), refused questions that have an answer with the right passage
among the buttons ("one tap"), and questions nothing answers that get buttons at all (harmless but noise).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.knowledge.crosslingual_floor import SET, faq_agency, right  # sets Django up
from knowledge import related
from knowledge.services import answers
from knowledge.shared_space import shared_vectors_fill
from tenants.context import agency_context
from tenants.models import Agency

FLOORS = [0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65]


def main() -> None:
    rows = [json.loads(line) for line in SET.read_text().splitlines() if line.strip()]
    faq = faq_agency()
    agencies = {"faq_eval/en": faq[0], **{a.slug: a for a in Agency.objects.filter(slug__in={r["kb"] for r in rows})}}
    for agency in agencies.values():
        with agency_context(agency):
            shared_vectors_fill(agency=agency)  # what the sweep would have done by now
    observed = []
    for row in rows:
        agency = agencies[row["kb"]]
        with agency_context(agency):
            asked = answers._prepare(agency=agency, question=row["query"], audience="public", language=None)
        observed.append((row, asked))
    by_floor = {}
    for floor in FLOORS:
        related.CROSSLINGUAL_SUGGEST_FLOOR = floor
        counts = defaultdict(lambda: defaultdict(int))
        for row, asked in observed:
            lang, in_domain = row["lang"], bool(row.get("relevant") or row.get("relevant_heading"))
            c = counts[lang]
            c["in" if in_domain else "out"] += 1
            if asked.answerable:
                c["right" if right(row, asked.passages[0], faq) else "wrong"] += 1
                continue
            offered = related.near_misses(asked.passages, asked.near)
            if in_domain:
                c["refused_in"] += 1
                c["one_tap"] += any(right(row, p, faq) for p in offered)
            else:
                c["offered_out"] += bool(offered)
            c["buttons"] += len(offered)
        by_floor[floor] = counts
    print("floor  lang     answered right/wrong  refused (has answer): right one tap  nothing answers: offered buttons")
    for floor, counts in by_floor.items():
        total = defaultdict(int)
        for lang in sorted(counts):
            c = counts[lang]
            for key, value in c.items():
                total[key] += value
            print(
                f"{floor:5.2f}  {lang:7}  {c['right']:3}/{c['wrong']:<3}               {c['one_tap']:3} of {c['refused_in']:<3}"
                f"                          {c['offered_out']:3} of {c['out']}"
            )
        print(
            f"{floor:5.2f}  all      {total['right']:3}/{total['wrong']:<3}               {total['one_tap']:3} of "
            f"{total['refused_in']:<3}                          {total['offered_out']:3} of {total['out']}"
        )


if __name__ == "__main__":
    main()
