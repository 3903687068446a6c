"""Month rollups: a complete month's day rollups added up into one row per kind, so a year's page adds up
12 month rows and the days at the edges instead of 365 days (a year of duration histograms is ~88k rows
by day, ~7k by month).

A month row (kind `<kind>:m`, day = the 1st) exists only when every day of the month is rolled up and
the month is over; each of its parts is the sum of that part over the days (rows `[*keys, n]` added up
by their keys), and only the parts every day has. It is rebuilt whenever one of its days is
(`rollup_days_rebuild`), so it always equals its days; the reader (`rollups.read.summed`) falls back to
the days for a month without a row or without the part.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter

from analytics.models import DailyRollup

SUFFIX = ":m"


def month_kind(kind: str) -> str:
    return f"{kind}{SUFFIX}"


def month_last(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def months_within(start: dt.date, last: dt.date) -> list[dt.date]:
    """The firsts of the months lying wholly inside [start, last]."""
    first = start if start.day == 1 else month_last(start) + dt.timedelta(days=1)
    months = []
    while month_last(first) <= last:
        months.append(first)
        first = month_last(first) + dt.timedelta(days=1)
    return months


def added_up(datas: list[dict]) -> dict:
    """The parts all `datas` have, each part's rows summed by everything but their last element."""
    if not datas:
        return {}
    parts = set(datas[0]).intersection(*datas[1:])
    merged = {}
    for part in sorted(parts):
        counts: Counter = Counter()
        for data in datas:
            for row in data[part] or []:
                counts[tuple(row[:-1])] += row[-1]
        merged[part] = [[*key, n] for key, n in counts.items()]
    return merged


def rollup_months_rebuild(*, agency, kind: str, days, today: dt.date) -> int:
    """Rebuild the month rows of the months of `days` from their day rows; a month that is not over or
    misses a day gets no row (and loses a stale one). Returns the month rows written."""
    written = 0
    for first in sorted({day.replace(day=1) for day in days}):
        last = month_last(first)
        stored = DailyRollup.objects.for_agency(agency)
        rows = list(stored.filter(kind=kind, day__gte=first, day__lte=last).values_list("data", "computed_at"))
        if last >= today or len(rows) != last.day:
            stored.filter(kind=month_kind(kind), day=first).delete()
            continue
        data = added_up([data for data, _computed_at in rows])
        oldest = min(computed_at for _data, computed_at in rows)
        stored.update_or_create(
            agency=agency, kind=month_kind(kind), day=first, defaults={"data": data, "computed_at": oldest}
        )
        written += 1
    return written
