"""Keep the daily rollups true: rebuild the closed days whose rows changed since the last refresh.

A day's numbers change after the day ends (a conversation started at 23:50 closes at 00:20, a request
filed in March is resolved in May), so a rollup is never "final": every refresh (beat, every
`ANALYTICS_ROLLUP_REFRESH_SECONDS`) finds the rows changed since the previous one (`updated_at`, and
`last_message_at` for conversations) and rebuilds the days they count in. Once a day
(`ANALYTICS_ROLLUP_FULL_HOURS`) it rebuilds every day of the last `ROLLUP_DAYS` days, which also catches
what no timestamp shows: deleted rows (retention, erasure), a request reopened (it leaves its old
closing day), a change of the agency's time zone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics.models import DailyRollup, RollupCursor
from analytics.periods import MAX_DAYS
from analytics.rollups.build import BUILDERS, empty
from analytics.rollups.heat import located_box
from analytics.rollups.months import rollup_months_rebuild
from analytics.rollups.read import local_today
from chat.models import Conversation
from requests_app.models import ServiceRequest
from tenants.models import Agency
from tenants.timezones import agency_zone

ROLLUP_DAYS = MAX_DAYS + 7
CHUNK_DAYS = 31  # days built per query (bounds the memory of a full rebuild)
# A transaction that started before a refresh may commit rows stamped before it: look back this far.
CHANGE_MARGIN = dt.timedelta(minutes=5)


def _runs(days) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + dt.timedelta(days=1) and (day - runs[-1][0]).days < CHUNK_DAYS:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def rollup_days_rebuild(*, agency: Agency, kind: str, days) -> int:
    """Count `days` (local dates before today) of `kind` again from the raw tables and store them, and
    their months again from the days (rollups.months), in one transaction: a reader never sees a month
    that differs from its days."""
    zone = agency_zone(agency)
    today = local_today(zone)
    days = [day for day in days if day < today]
    with transaction.atomic():
        written = _days_rebuild(agency, kind, days, zone)
        rollup_months_rebuild(agency=agency, kind=kind, days=days, today=today)
    return written


def _days_rebuild(agency: Agency, kind: str, days: list[dt.date], zone) -> int:
    written = 0
    for first, last in _runs(days):
        since = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
        until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        computed_at = timezone.now()
        built = BUILDERS[kind](agency=agency, zone=zone, since=since, until=until)
        rows = [
            DailyRollup(
                agency=agency,
                kind=kind,
                day=first + dt.timedelta(days=n),
                data=built.get(first + dt.timedelta(days=n)) or empty(kind),
                computed_at=computed_at,
            )
            for n in range((last - first).days + 1)
        ]
        DailyRollup.objects.for_agency(agency).bulk_create(
            rows, update_conflicts=True, unique_fields=["agency", "kind", "day"], update_fields=["data", "computed_at"]
        )
        written += len(rows)
    return written


def _earliest(agency: Agency, zone) -> dt.date | None:
    """The first day with data, or with a stored rollup (whose rows may since have been deleted)."""
    firsts = [
        Conversation.objects.for_agency(agency).aggregate(first=Min("created_at"))["first"],
        ServiceRequest.objects.for_agency(agency).aggregate(first=Min("created_at"))["first"],
    ]
    days = [first.astimezone(zone).date() for first in firsts if first is not None]
    stored = DailyRollup.objects.for_agency(agency).aggregate(first=Min("day"))["first"]
    days += [stored] if stored else []
    return min(days) if days else None


def _changed_days(agency: Agency, zone, since: dt.datetime) -> dict[str, set]:
    conversations = (
        Conversation.objects.for_agency(agency)
        .filter(Q(updated_at__gte=since) | Q(last_message_at__gte=since))
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    changed = ServiceRequest.objects.for_agency(agency).filter(updated_at__gte=since)
    filed = changed.annotate(day=TruncDate("created_at", tzinfo=zone)).values_list("day", flat=True).distinct()
    closed = (
        changed.filter(closed_at__isnull=False)
        .annotate(day=TruncDate("closed_at", tzinfo=zone))
        .values_list("day", flat=True)
        .distinct()
    )
    return {"conversations": set(conversations), "requests_filed": set(filed), "requests_closed": set(closed)}


def rollups_refresh(*, agency: Agency, full: bool = False) -> dict[str, int]:
    """Bring the agency's rollups up to date; returns the days rebuilt per kind.

    Full (the first time, when asked, or once every ANALYTICS_ROLLUP_FULL_HOURS): every day from the
    agency's first row (at most ROLLUP_DAYS back) to yesterday. Otherwise the days counting a row changed
    since the last refresh, and the closed days that have no rollup yet (yesterday, after midnight)."""
    zone = agency_zone(agency)
    started = timezone.now()
    today = local_today(zone)
    yesterday = today - dt.timedelta(days=1)
    cursor = RollupCursor.objects.for_agency(agency).first()
    full_every = dt.timedelta(hours=settings.ANALYTICS_ROLLUP_FULL_HOURS)
    full = full or cursor is None or cursor.full_at is None or started - cursor.full_at > full_every
    box = located_box(agency)
    if cursor is None or cursor.heat_box != box:
        # The heat map's grid moved (a request outside it, or the first refresh): every day is binned again
        # on the new one. Kept first, so the days rebuilt below read it; full_at stays unset until they are.
        full = True
        cursor = cursor or RollupCursor(agency=agency, changed_since=started - CHANGE_MARGIN)
        cursor.heat_box, cursor.full_at = box, None
        cursor.save()
    done: dict[str, int] = {}
    if full:
        earliest = _earliest(agency, zone)
        first = max(earliest, today - dt.timedelta(days=ROLLUP_DAYS)) if earliest else today
        every = [first + dt.timedelta(days=n) for n in range((yesterday - first).days + 1)]
        for kind in BUILDERS:
            done[kind] = rollup_days_rebuild(agency=agency, kind=kind, days=every)
    else:
        changed = _changed_days(agency, zone, cursor.changed_since)
        recent_first = min(cursor.changed_since.astimezone(zone).date(), yesterday) - dt.timedelta(days=1)
        recent = {recent_first + dt.timedelta(days=n) for n in range((yesterday - recent_first).days + 1)}
        for kind in BUILDERS:
            have = set(
                DailyRollup.objects.for_agency(agency)
                .filter(kind=kind, day__gte=recent_first, day__lte=yesterday)
                .values_list("day", flat=True)
            )
            floor = today - dt.timedelta(days=ROLLUP_DAYS)
            days = {day for day in changed[kind] if floor <= day < today} | (recent - have)
            done[kind] = rollup_days_rebuild(agency=agency, kind=kind, days=days)
    with transaction.atomic():
        if cursor is None:
            cursor = RollupCursor(agency=agency)
        cursor.changed_since = started - CHANGE_MARGIN
        if full:
            cursor.full_at = started
        cursor.save()
    return done
