"""The date range and filters every analytics view takes, parsed once with clear errors.

Dates are whole days in the agency's own time zone: `from=2026-03-01&to=2026-03-31` covers
2026-03-01 00:00 to 2026-04-01 00:00 local time. Without dates: the last 30 days, today included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.timezones import agency_zone

MAX_DAYS = 366
DEFAULT_DAYS = 30
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive
    zone: dt.tzinfo
    channel: str = ""
    department: int | None = None
    category: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=self.zone)

    @property
    def until(self) -> dt.datetime:
        """The first instant after the range (exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def query(self, **more) -> dict[str, str]:
        """The query-string values that rebuild this period (for links, drill-downs and exports)."""
        values = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.channel:
            values["channel"] = self.channel
        if self.department:
            values["department"] = str(self.department)
        if self.category:
            values["category"] = str(self.category)
        values.update({k: str(v) for k, v in more.items() if v not in (None, "")})
        return values


def _date(value: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            _("%(name)s must be a date written YYYY-MM-DD, not “%(value)s”.") % {"name": name, "value": value[:40]},
            code="bad_date",
        ) from None
    if day < EARLIEST:
        raise ValidationError(_("%(name)s must be in 2000 or later.") % {"name": name}, code="bad_date")
    return day


def period_parse(*, agency, params, channels=(), departments=(), categories=()) -> Period:
    """A Period from query parameters, or ValidationError naming what is wrong.

    `channels`, `departments` (ids) and `categories` (ids) are the values the filters may take; an
    unknown one is refused rather than silently matching nothing."""
    zone = agency_zone(agency)
    today = timezone.now().astimezone(zone).date()
    raw_from, raw_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    end = _date(raw_to, "to") if raw_to else today
    start = _date(raw_from, "from") if raw_from else end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationError(_("The range is reversed: “from” is after “to”."), code="reversed_range")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError(
            _("The range is too long: at most %(days)s days at a time.") % {"days": MAX_DAYS}, code="range_too_long"
        )
    if end > today + dt.timedelta(days=1):
        raise ValidationError(_("“to” is in the future."), code="future_range")
    channel = (params.get("channel") or "").strip()
    if channel and channel not in channels:
        raise ValidationError(_("Unknown channel “%(value)s”.") % {"value": channel[:40]}, code="unknown_filter")
    department = _id(params.get("department"), departments, _("department"))
    category = _id(params.get("category"), categories, _("category"))
    return Period(start=start, end=end, zone=zone, channel=channel, department=department, category=category)


def _id(value, allowed, name) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) not in allowed:
        raise ValidationError(
            _("Unknown %(name)s “%(value)s”.") % {"name": name, "value": value[:40]}, code="unknown_filter"
        )
    return int(value)
