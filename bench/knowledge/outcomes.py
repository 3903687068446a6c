"""Counting a cross-language rule's outcomes, shared by the labs that calibrate it (crosslingual_floor.py,
crosslingual_languages.py, translated_lab.py, lead_across_lab.py)."""

from __future__ import annotations

from collections.abc import Iterable

WRONG_COST = 2  # utility = right - WRONG_COST x wrong (a question nothing answers counts as wrong when answered)


def tally(outcomes: Iterable[tuple[str, bool]]) -> dict:
    """(outcome "right" / "wrong" / "refused", whether a passage answers the question) pairs → counts and utility."""
    counts = {"right": 0, "wrong": 0, "refused_in": 0, "refused_out": 0, "in": 0, "out": 0}
    for outcome, answerable in outcomes:
        counts["in" if answerable else "out"] += 1
        if outcome == "refused":
            counts["refused_in" if answerable else "refused_out"] += 1
        else:
            counts[outcome] += 1
    counts["utility"] = counts["right"] - WRONG_COST * counts["wrong"]
    return counts
