"""A period's days for the dashboard: stored rollups for closed days, counted live for today (and for
any day not rolled up yet, so a missing rollup costs time, never a wrong number)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from analytics.models import DailyRollup
from analytics.periods import Period
from analytics.rollups.build import BUILDERS, empty
from analytics.rollups.months import month_kind, month_last, months_within
from core.sql import agency_cursor


def local_today(zone) -> dt.date:
    return timezone.now().astimezone(zone).date()


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days grouped as (first, last)."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and day == runs[-1][1] + dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _bounds(first: dt.date, last: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def period_days(*, agency, period: Period, kind: str, part: str = "cells") -> dict[dt.date, list]:
    """Every day of the period with one part (`cells`, `answers`, …) of its numbers of `kind`.

    Only that part is read from the stored rows (the durations behind a year's medians are most of a
    rollup's bytes). What is read is kept on the period: one request reads each part once."""
    cache = period.extra.setdefault("rollup_days", {})
    if (kind, part) not in cache:
        days = _stored(agency, period, kind, part)
        missing = [d for d in _wanted(period) if d not in days]
        for day, data in _live(agency, period, kind, part, missing=missing).items():
            days[day] = data[part]
        cache[(kind, part)] = days
    return cache[(kind, part)]


def _wanted(period: Period) -> list[dt.date]:
    return [period.start + dt.timedelta(days=n) for n in range(period.days)]


def _stored(agency, period: Period, kind: str, part: str) -> dict[dt.date, list]:
    last_closed = min(period.end, local_today(period.zone) - dt.timedelta(days=1))
    if period.start > last_closed:
        return {}
    stored = DailyRollup.objects.for_agency(agency).filter(kind=kind, day__gte=period.start, day__lte=last_closed)
    return dict(stored.values_list("day", f"data__{part}"))


def _live(agency, period: Period, kind: str, part: str, *, missing: list[dt.date]) -> dict[dt.date, dict]:
    """The missing days (today, days not rolled up) counted from the records: only the part asked for
    (a page that reads the cells does not pay for the durations), once per request, kind and part."""
    cache = period.extra.setdefault("rollup_live", {})
    key = (kind, part, tuple(missing))
    if key not in cache:
        days: dict[dt.date, dict] = {}
        for first, last in _runs(missing):
            since, until = _bounds(first, last, period.zone)
            built = BUILDERS[kind](agency=agency, zone=period.zone, since=since, until=until, parts=frozenset([part]))
            for offset in range((last - first).days + 1):
                day = first + dt.timedelta(days=offset)
                days[day] = built.get(day) or empty(kind)
        cache[key] = days
    return cache[key]


def freshness(*, agency, period: Period) -> dict:
    """What the page says about its numbers: the oldest rollup it read and how many days were counted live."""
    from django.db.models import Count, Min

    today = local_today(period.zone)
    last_closed = min(period.end, today - dt.timedelta(days=1))
    stored = DailyRollup.objects.for_agency(agency).filter(
        kind__in=list(BUILDERS), day__gte=period.start, day__lte=last_closed
    )  # day rows: a month row is the sum of days already counted here
    numbers = stored.aggregate(oldest=Min("computed_at"), rows=Count("pk"), days=Count("day", distinct=True))
    return {"oldest": numbers["oldest"], "rolled_up_days": numbers["days"], "live_days": period.days - numbers["days"]}


# Readers over the days' cells, with the period's filters applied.


def conversation_cells(days: dict, period: Period):
    """(day, channel, language, contained, handed_off, closed, csat, n) of the cohort; `days` from
    `period_days(kind="conversations")`."""
    for day, cells in days.items():
        for channel, language, contained, handed_off, closed, csat, n in cells or []:
            if not period.channel or channel == period.channel:
                yield day, channel, language, contained, handed_off, closed, csat, n


def conversation_lists(*, agency, period: Period, name: str) -> list:
    """Rows of one list (answers, cited, rated_down) minus the channel."""
    days = period_days(agency=agency, period=period, kind="conversations", part=name)
    return [row[1:] for rows in days.values() for row in rows or [] if not period.channel or row[0] == period.channel]


def _request_match(period: Period, category, department) -> bool:
    if period.category and category != period.category:
        return False
    return not (period.department and department != period.department)


def request_cells(days: dict, period: Period):
    """(day, *cell) of the requests' cells matching the category and department filters."""
    for day, cells in days.items():
        for cell in cells or []:
            if _request_match(period, cell[0], cell[1]):
                yield (day, *cell)


# Lists summed in the database: a year of them is too many rows to send to Python and add up there.

HISTOGRAM_KEYS = {"conversations": (1, 2), "requests_closed": (2, 3)}  # after channel | category, department


def _filters(kind: str, period: Period) -> dict[int, str]:
    """The period's filters as {position in a row: value as JSON text}."""
    if kind == "conversations":
        return {0: period.channel} if period.channel else {}
    wanted = {0: period.category, 1: period.department}
    return {position: str(value) for position, value in wanted.items() if value}


def summed(
    *,
    agency,
    period: Period,
    kind: str,
    part: str,
    keys: tuple[int, ...],
    text: tuple[int, ...] = (),
    by: str = "",
) -> Counter:
    """Rows `[…, n]` of one part over the period, filters applied, their last element summed by the values
    at positions `keys` (ints; those also in `text` are strings): stored rollups added up by PostgreSQL
    (a month wholly in the period from its month row, rollups.months; other days from their day rows),
    the days without a stored part (today, days not rolled up, or rolled up before the part existed)
    counted live. `by` "day" or "month" puts the day or the month's first day before each key. Cached on
    the period like `period_days`."""
    cache = period.extra.setdefault("rollup_sums", {})
    cached = (kind, part, keys, text, by)
    if cached in cache:
        return cache[cached]
    filters = _filters(kind, period)
    totals: Counter = Counter()
    stored_days: set[dt.date] = set()
    last_closed = min(period.end, local_today(period.zone) - dt.timedelta(days=1))
    if period.start <= last_closed:
        stored_days = _summed_stored(agency, period, kind, part, keys, text, by, filters, last_closed, totals)
    missing = [day for day in _wanted(period) if day not in stored_days]
    for day, rows in _live(agency, period, kind, part, missing=missing).items():
        prefix = {"day": (day,), "month": (day.replace(day=1),)}.get(by, ())
        for row in rows[part] or []:
            if all(str(row[position]) == value for position, value in filters.items()):
                totals[(*prefix, *(row[n] for n in keys))] += row[-1]
    cache[cached] = totals
    return totals


def _summed_stored(agency, period, kind, part, keys, text, by, filters, last_closed, totals) -> set[dt.date]:
    """Add the stored rollups' sums to `totals`; returns the days they cover.

    One statement: each stored row's `data` (every part of the day, tens of KB) is read and decompressed
    once, its part kept in a materialized CTE; it answers both which rows have the part ('d' rows) and
    the sums ('s' rows). Two statements decompressed every row twice (40-50 ms of a year's page each)."""
    # Only positions and counts (ints from this module) are formatted into the text; values are bound.
    columns = {"day": ["s.day"], "month": ["date_trunc('month', s.day)::date"]}.get(by, [])
    columns += [f"(x->>{int(n)})" if n in text else f"(x->>{int(n)})::bigint" for n in keys]
    nulls = {"day": ["NULL::date"], "month": ["NULL::date"]}.get(by, [])
    nulls += ["NULL::text" if n in text else "NULL::bigint" for n in keys]
    where = " AND ".join(f"x->>{int(position)} = %s" for position in filters) or "TRUE"
    groups = ", ".join(str(n + 4) for n in range(len(columns))) or "()"
    months = [] if by == "day" else months_within(period.start, last_closed)
    with agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT r.day FROM analytics_dailyrollup r WHERE r.agency_id = %s AND r.kind = %s"
            " AND r.day = ANY(%s) AND jsonb_exists(r.data, %s)",
            [agency.pk, month_kind(kind), months, part],
        )
        covered = [row[0] for row in cursor.fetchall()]
        sql = (
            "WITH stored AS MATERIALIZED (SELECT r.kind, r.day, r.data->%s AS part FROM analytics_dailyrollup r"  # noqa: S608
            " WHERE r.agency_id = %s AND ((r.kind = %s AND r.day >= %s AND r.day <= %s"
            " AND NOT date_trunc('month', r.day)::date = ANY(%s)) OR (r.kind = %s AND r.day = ANY(%s))))"
            f" SELECT 'd', s.kind, s.day, {', '.join([*nulls, 'NULL::bigint'])} FROM stored s WHERE s.part IS NOT NULL"
            f" UNION ALL SELECT 's', NULL, NULL, {', '.join([*columns, 'sum((x->>(-1))::bigint)::bigint'])}"
            f" FROM stored s CROSS JOIN LATERAL jsonb_array_elements(s.part) x WHERE {where} GROUP BY {groups}"
        )
        params = [part, agency.pk, kind, period.start, last_closed, covered, month_kind(kind), covered]
        cursor.execute(sql, [*params, *filters.values()])
        stored = set()
        for marker, row_kind, day, *key, n in cursor.fetchall():
            if marker == "d":
                stored |= set(_month_days(day)) if row_kind != kind else {day}
            elif n is not None:  # GROUP BY () over no rows
                totals[tuple(key)] += n
    return stored


def _month_days(first: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(month_last(first).day)]


def durations(*, agency, period: Period, kind: str, part: str) -> list[tuple[int, int, int]]:
    """(measure, bin, n) of a duration histogram part over the period (rollups.histogram). Without a
    filter the part summed over its dimensions (`…_all`: rows [measure, bin, n]) is read instead."""
    if _filters(kind, period):
        read = summed(agency=agency, period=period, kind=kind, part=part, keys=HISTOGRAM_KEYS[kind])
    else:
        read = summed(agency=agency, period=period, kind=kind, part=f"{part}_all", keys=(0, 1))
    return [(measure, bin_, n) for (measure, bin_), n in read.items()]
