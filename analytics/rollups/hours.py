"""Business hours: Monday-Friday 08:00-17:00 in the agency's zone."""

from __future__ import annotations

import datetime as dt

BUSINESS_START, BUSINESS_END = dt.time(8, 0), dt.time(17, 0)


def business_seconds(start: dt.datetime, end: dt.datetime, zone) -> float:
    """Seconds between `start` and `end` that fall on a weekday between 08:00 and 17:00 local time."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(zone), end.astimezone(zone)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            open_at = dt.datetime.combine(day, BUSINESS_START, tzinfo=zone)
            close_at = dt.datetime.combine(day, BUSINESS_END, tzinfo=zone)
            low, high = max(start, open_at), min(end, close_at)
            if high > low:
                total += (high - low).total_seconds()
        day += dt.timedelta(days=1)
    return total
