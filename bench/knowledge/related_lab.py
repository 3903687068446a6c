"""Related questions under an answer, and "did you mean" under a refusal: how often is the right FAQ entry
the answer or one tap away, and how many buttons does that cost, at each confidence floor.

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/related_lab.py \
        ../shared/data/faq_eval/en ../shared/data/faq_eval/de

Production's choice (`knowledge.related`): the answer's lead as `knowledge.services.answers._lead` chooses it;
the related ones follow it in rank order, distinct by question, above
`KNOWLEDGE_RELATED_FLOOR`; under a refusal the same list is offered as "did you mean". Each query's candidates are
read once (the production search), then every floor is scored on them; the floor is chosen by 5-fold
cross-validation split by FAQ entry (a query's folds follow its relevant entry), maximising one-tap hits minus a
cost per button shown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from knowledge import related  # noqa: E402
from knowledge.evaluation import EvalSet, _search, drop_kb, load_kb  # noqa: E402
from knowledge.services import confidence_floor  # noqa: E402
from knowledge.services.answers import _lead  # noqa: E402
from tenants.context import agency_context  # noqa: E402

FLOORS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
COST = 0.05  # a button shown is worth 1/20 of a right answer one tap away


def candidates(directory: str) -> list[dict]:
    evalset = EvalSet.load(Path(directory))
    loaded = load_kb(evalset)
    rows = []
    try:
        with agency_context(loaded.agency):
            for item in evalset.queries:
                passages = _search(loaded, item["query"], item.get("lang"), None)
                rows.append(
                    {
                        "relevant": set(item.get("relevant") or []),
                        "passages": [
                            (
                                {loaded.doc_to_entry.get(d) for d in p.document_ids} - {None},
                                p,
                            )
                            for p in passages[:12]
                        ],
                    }
                )
    finally:
        drop_kb(loaded)
    return rows


def score(rows: list[dict], floor: float) -> tuple[float, float, float, float]:
    """(lead right, lead or one tap right, buttons per answer, buttons per refusal)."""
    lead_hits = tap_hits = shown = shown_refused = refused = 0
    answer_floor = confidence_floor()
    for row in rows:
        passages = [p for _, p in row["passages"]]
        entries = {id(p): e for e, p in row["passages"]}
        top = max((p.confidence for p in passages[:3]), default=0.0)
        if passages and top >= answer_floor:
            lead = _lead(passages[:3])
            lead_hit = bool(entries[id(lead)] & row["relevant"])
            others = related.pick(passages, lead=lead, floor=floor)
            shown += len(others)
        else:
            lead_hit = False
            others = related.pick(passages, lead=None, floor=floor)
            shown_refused += len(others)
            refused += 1
        lead_hits += lead_hit
        tap_hits += lead_hit or any(entries[id(p)] & row["relevant"] for p in others)
    n = len(rows) or 1
    answered = (len(rows) - refused) or 1
    return lead_hits / n, tap_hits / n, shown / answered, shown_refused / (refused or 1)


def main() -> None:
    for directory in sys.argv[1:]:
        rows = candidates(directory)
        print(f"== {directory} ({len(rows)} queries)")
        print("floor  lead-right  answer-or-one-tap  buttons/answer  buttons/refusal")
        for floor in FLOORS:
            lead, tap, shown, shown_refused = score(rows, floor)
            print(f"{floor:5.2f}  {lead:10.3f}  {tap:17.3f}  {shown:14.2f}  {shown_refused:15.2f}")
        # 5-fold CV by relevant entry: choose the floor on four folds, score the fifth.
        folds = [[], [], [], [], []]
        for row in rows:
            key = min(row["relevant"]) if row["relevant"] else ""
            folds[sum(map(ord, key)) % 5].append(row)
        held_tap = held_shown = 0.0
        chosen = []
        for i, fold in enumerate(folds):
            train = [row for j, f in enumerate(folds) if j != i for row in f]
            best = max(FLOORS, key=lambda f: score(train, f)[1] - COST * score(train, f)[2])
            chosen.append(best)
            _, tap, shown, _ = score(fold, best)
            held_tap += tap * len(fold)
            held_shown += shown * len(fold)
        print(
            f"cross-validated (cost {COST}/button): floors chosen {chosen}; answer-or-one-tap "
            f"{held_tap / len(rows):.3f}, buttons/answer {held_shown / len(rows):.2f}"
        )


if __name__ == "__main__":
    main()
