"""A cross-language answer below the cross-language floor, when its passage clearly leads the others.

Citizens' own questions score lower in the shared space than the calibration set's near-translations of the
headings did: on two sets written blind by people who wrote as citizens do (bench/knowledge/RESULTS.md, session
25), the right English passage was the cross-language search's first for about half the questions but at a median
cosine of 0.50, so the floor of 0.65 answered 7 of 210. What tells a right first passage from a wrong one there is
how far it leads the best passage under another heading (median lead 0.11 right, 0.02-0.04 wrong or nothing
answers): a passage that leads by `KNOWLEDGE_CROSSLINGUAL_LEAD` and scores at least
`KNOWLEDGE_CROSSLINGUAL_LEAD_FLOOR` answers too (`bench/knowledge/lead_across_lab.py`, cross-validated).
"""

from __future__ import annotations

from django.conf import settings

from knowledge.types import Passage

LEAD = 0.10
LEAD_FLOOR = 0.45
LOOK_AT = 10  # the candidates the lead is measured against


def lead_settings() -> tuple[float, float]:
    return (
        float(getattr(settings, "KNOWLEDGE_CROSSLINGUAL_LEAD", LEAD)),
        float(getattr(settings, "KNOWLEDGE_CROSSLINGUAL_LEAD_FLOOR", LEAD_FLOOR)),
    )


def _place(passage: Passage) -> str:
    return passage.heading_path or passage.title or ""


def clear_lead(found: list[Passage]) -> Passage | None:
    """The first passage of `found` (best first) when it scores at least the lead floor and leads the best passage
    under another heading by the lead (or has no rival at all); else None. A lead of 0 or less switches it off."""
    lead, floor = lead_settings()
    if not found or lead <= 0:
        return None
    first = found[0]
    if first.score < floor:
        return None
    rival = next((p.score for p in found[1:LOOK_AT] if _place(p) != _place(first)), None)
    if rival is not None and first.score - rival < lead:
        return None
    return first
