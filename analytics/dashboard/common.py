"""Helpers shared by the chart modules: local-day buckets and keys, and the axis labels of days and months."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import dateformat
from django.utils.translation import pgettext

from analytics.periods import Period


def day_label(day: dt.date) -> str:
    """A day on a chart's axis in the UI language ("Dec 01", "1. Dez", "12月1日"): strftime's "%b" is English."""
    # Translators: a Django date format (https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date) for
    # a day under a bar of a chart: short month and day, e.g. "j. M" (1. Dez), "n月j日".
    return dateformat.format(day, pgettext("chart day format", "M d"))


def month_label(month: dt.date) -> str:
    """A month on a chart's axis in the UI language ("Dec 2026", "2026年12月")."""
    # Translators: a Django date format for a month under a bar of a chart, e.g. "M Y", "Y年n月".
    return dateformat.format(month, pgettext("chart month format", "M Y"))


def day_range(period: Period) -> list[dt.date]:
    return [period.start + dt.timedelta(days=n) for n in range(period.days)]


def by_day(queryset, period: Period, field: str = "created_at") -> dict[dt.date, int]:
    rows = queryset.annotate(day=TruncDate(field, tzinfo=period.zone)).values("day").annotate(n=Count("pk")).order_by()
    return {row["day"]: row["n"] for row in rows}


def by_month(queryset, period: Period, field: str = "created_at") -> dict[dt.date, int]:
    rows = (
        queryset.annotate(month=TruncMonth(field, tzinfo=period.zone))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"] for row in rows}


def local_day(period: Period, key: str) -> tuple[dt.datetime, dt.datetime]:
    """The bounds of day `key` (YYYY-MM-DD) in the agency's zone; ValueError for a bad key."""
    day = dt.date.fromisoformat(key)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=period.zone)
    return start, start + dt.timedelta(days=1)


def local_month(period: Period, key: str) -> tuple[dt.datetime, dt.datetime]:
    day = dt.date.fromisoformat(key + "-01")
    start = dt.datetime.combine(day, dt.time.min, tzinfo=period.zone)
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, dt.datetime.combine(following, dt.time.min, tzinfo=period.zone)


def int_key(key: str) -> int:
    if not key.isdigit():
        raise ValueError(key)
    return int(key)
