"""Does the question-kind rule of the answer's lead (`knowledge.services.answers._lead`: a close second asking the
same kind of thing as the citizen, a time, a place, a cost, leads over a first that asks another) lead to the right
FAQ entry more or less often than the ranking's first alone?

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/kind_lab.py \
        ../shared/data/faq_eval/en ../shared/data/faq_eval/de

Counts per question whether the lead is a relevant entry, for every question that is answered (the top three's
best confidence clears the floor), with the rule (the question given to `_lead`) and without it (no question), and
lists the questions where the two differ.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from knowledge.evaluation import EvalSet, _search, drop_kb, load_kb  # noqa: E402
from knowledge.services import confidence_floor  # noqa: E402
from knowledge.services.answers import _lead  # noqa: E402
from tenants.context import agency_context  # noqa: E402


def measure(directory: str) -> None:
    evalset = EvalSet.load(Path(directory))
    loaded = load_kb(evalset)
    answered = without = with_rule = 0
    changed = []
    try:
        with agency_context(loaded.agency):
            for item in evalset.queries:
                passages = _search(loaded, item["query"], item.get("lang"), None)[:3]
                if not passages or max(p.confidence for p in passages) < confidence_floor():
                    continue
                answered += 1
                relevant = set(item.get("relevant") or [])

                def right(passage) -> bool:
                    return bool({loaded.doc_to_entry.get(d) for d in passage.document_ids} & relevant)  # noqa: B023

                first, ruled = _lead(passages), _lead(passages, item["query"])
                without += right(first)
                with_rule += right(ruled)
                if first is not ruled:
                    changed.append((item["query"], right(first), right(ruled), ruled.heading_path[:60]))
    finally:
        drop_kb(loaded)
    print(
        f"{Path(directory).name}: answered {answered}, lead right without the rule {without / answered:.3f} "
        f"({without}), with it {with_rule / answered:.3f} ({with_rule}); changed {len(changed)}"
    )
    for query, before, after, heading in changed:
        print(f"  {'+' if after > before else '-' if after < before else '='} {query!r} -> {heading!r}")


if __name__ == "__main__":
    for directory in sys.argv[1:]:
        measure(directory)
