"""Duration histograms: how a day's durations (time to resolution, to the first human reply, to close a
request) are stored, so a year's median is a sum of ~365 small histograms instead of a sort of every
conversation's duration (206,676 of them in the bench's year: 1.8 s of JSON to read).

A duration of s whole seconds falls in bin `bin_of(s)`: exact below two minutes (bin = s), then bins 2 %
wide (120 s · 1.02^k), so a year fits in ~640 bins and a day's 500 durations in fewer than half as many
rows. A median or 90th percentile read back is the middle of its bin: within 1 % of the exact value
(tests/analytics/test_histograms.py), never a wrong count — the counts are exact.

Rows are stored as `[*dimensions, measure, bin, n]`, measure 0 = wall clock, 1 = business hours.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

EXACT_BELOW = 120
GROWTH = 1.02
WALL, BUSINESS = 0, 1
_LOG = math.log(GROWTH)


def bin_of(seconds: float) -> int:
    seconds = max(0, int(seconds))
    if seconds < EXACT_BELOW:
        return seconds
    return EXACT_BELOW + int(math.log(seconds / EXACT_BELOW) / _LOG)


def value_of(bin_: int) -> float:
    """The seconds a bin stands for: itself below two minutes, else its geometric middle."""
    if bin_ < EXACT_BELOW:
        return float(bin_)
    return EXACT_BELOW * GROWTH ** (bin_ - EXACT_BELOW + 0.5)


def rows_of(durations: dict[tuple, list[tuple[int, int]]]) -> list[list]:
    """{dimensions: [(wall s, business s), …]} -> the stored rows [*dimensions, measure, bin, n]."""
    counted: Counter = Counter()
    for dimensions, pairs in durations.items():
        for wall, business in pairs:
            counted[(*dimensions, WALL, bin_of(wall))] += 1
            counted[(*dimensions, BUSINESS, bin_of(business))] += 1
    return [[*key, n] for key, n in counted.items()]


def _at(histogram: list[tuple[int, int]], index: int) -> float:
    """The value at position `index` (0-based) of the sorted durations the histogram counts."""
    seen = 0
    for bin_, n in histogram:
        seen += n
        if index < seen:
            return value_of(bin_)
    raise IndexError(index)


def summary(counts: dict[int, int]) -> tuple[int, dict]:
    """(count, {"median", "p90"} in hours) of one measure's {bin: n}, with the positions
    `statistics.median` and the dashboard's p90 (round(0.9 · (n - 1))) use on the sorted values."""
    histogram = sorted((bin_, n) for bin_, n in counts.items() if n)
    total = sum(n for _bin, n in histogram)
    if not total:
        return 0, {"median": None, "p90": None}
    middle = total // 2
    median = _at(histogram, middle) if total % 2 else (_at(histogram, middle - 1) + _at(histogram, middle)) / 2
    p90 = _at(histogram, min(total - 1, round(0.9 * (total - 1))))
    return total, {"median": round(median / 3600, 2), "p90": round(p90 / 3600, 2)}


def stats(measures: Iterable[tuple[int, int, int]]) -> dict:
    """The dashboard's duration numbers from (measure, bin, n) rows summed over a period."""
    wall: Counter = Counter()
    business: Counter = Counter()
    for measure, bin_, n in measures:
        (wall if measure == WALL else business)[bin_] += n
    count, wall_summary = summary(wall)
    _count, business_summary = summary(business)
    return {"count": count, "wall": wall_summary, "business": business_summary}
