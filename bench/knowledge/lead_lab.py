"""Which passage should lead the answer: the first of the fused ranking, or the most confident of the top three
(the rule since wave 1), or the first unless another of the top three is more confident by a margin?

    nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/lead_lab.py ../shared/data/faq_eval/en ../shared/data/faq_eval/de

Counts per question whether the lead is a relevant entry (answered questions and refused ones alike: the lead is
what a lower floor would say). Margins chosen by 5-fold cross-validation split by FAQ entry, over both sets.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from related_lab import candidates

MARGINS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.01]  # 0.0 = most confident of three; 1.01 = always the first
RULES = [(margin, gate) for gate in (False, True) for margin in MARGINS]
FLOOR = 0.55  # KNOWLEDGE_CONFIDENCE_FLOOR's default


def lead(passages, margin, gate=False):
    """`gate`: a first below the confidence floor does not lead (the most confident does)."""
    top = passages[:3]
    if not top:
        return None
    best = max(top, key=lambda p: p.confidence)
    if gate and top[0].confidence < FLOOR:
        return best
    return best if best.confidence > top[0].confidence + margin - 1e-9 and margin < 1.0 else top[0]


def hits(rows, rule):
    margin, gate = rule
    total = 0
    for row in rows:
        entries = {id(p): e for e, p in row["passages"]}
        chosen = lead([p for _, p in row["passages"]], margin, gate)
        total += bool(chosen is not None and entries[id(chosen)] & row["relevant"])
    return total


def main() -> None:
    sets = {directory: candidates(directory) for directory in sys.argv[1:]}
    print("margin  " + "  ".join(Path(d).name for d in sets))
    for rule in RULES:
        print(f"{rule}  " + "  ".join(f"{hits(rows, rule) / len(rows):.3f}" for rows in sets.values()))
    rows = [row for rows in sets.values() for row in rows]
    folds = [[], [], [], [], []]
    for row in rows:
        key = min(row["relevant"]) if row["relevant"] else ""
        folds[sum(map(ord, key)) % 5].append(row)
    held, chosen = 0, []
    for i, fold in enumerate(folds):
        train = [row for j, f in enumerate(folds) if j != i for row in f]
        best = max(RULES, key=lambda m: hits(train, m))
        chosen.append(best)
        held += hits(fold, best)
    print(f"cross-validated rules (margin, gate) {chosen}: lead right {held / len(rows):.3f} (n {len(rows)})")


if __name__ == "__main__":
    main()
