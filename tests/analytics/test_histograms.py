"""Duration histograms (analytics/rollups/histogram.py) and the sums PostgreSQL adds up over a period's
rollups: over random data, the rolled-up numbers equal those counted live, the counts equal a direct
count, and a median or p90 read from summed histograms is within 1 % of the exact one."""

import datetime as dt
import random
import statistics

import pytest

from analytics.dashboard import times
from analytics.periods import period_parse
from analytics.rollups import histogram
from analytics.rollups.hours import business_seconds
from analytics.rollups.services import rollups_refresh
from analytics.selectors import analytics_summary
from chat.models import Conversation
from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.analytics.factories import CHICAGO, at, category, conversation, service_request
from tests.analytics.test_rollups import _numbers

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def _exact(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def _close(read: float | None, exact: float) -> bool:
    """The histogram's number (hours, two places) within 1 % (and the rounding) of the exact seconds."""
    return read is not None and abs(read * 3600 - exact) <= 0.01 * exact + 18


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_medians_from_histograms_are_within_one_percent(seed):
    rng = random.Random(seed)
    pairs = [(rng.randint(0, 40 * 86400), rng.randint(0, 9 * 3600)) for _ in range(rng.randint(1, 3000))]
    rows = histogram.rows_of({("web",): pairs})
    read = histogram.stats([tuple(row[1:]) for row in rows])
    assert read["count"] == len(pairs)
    for measure, position in (("wall", 0), ("business", 1)):
        median, p90 = _exact([pair[position] for pair in pairs])
        assert _close(read[measure]["median"], median), (measure, read[measure], median)
        assert _close(read[measure]["p90"], p90), (measure, read[measure], p90)


def test_short_durations_are_exact():
    assert [histogram.bin_of(s) for s in (0, 1, 59, 119)] == [0, 1, 59, 119]
    assert histogram.value_of(histogram.bin_of(119)) == 119
    for seconds in (120, 121, 3600, 86400, 365 * 86400):
        assert abs(histogram.value_of(histogram.bin_of(seconds)) - seconds) <= 0.01 * seconds


def _random_world(agency, rng):
    """Conversations and requests on random March days and hours, some closed, some handed off."""
    roads = category(agency)
    parks = category(agency, code="graffiti", sla_hours=None, department_slug="parks")
    for _ in range(40):
        started = at(f"2026-03-{rng.randint(1, 28):02d}", rng.randint(0, 22), rng.randint(0, 59))
        handed_off = rng.random() < 0.4
        closed = rng.random() < 0.7
        conversation(
            agency,
            started=started,
            roles=("citizen", "bot", "agent") if handed_off else ("citizen", "bot"),
            state="closed" if closed else "bot",
            outcome=("agent" if handed_off else "contained") if closed else "",
            handed_off=handed_off,
            queued_at=started + dt.timedelta(seconds=30) if handed_off else None,
            closed_at=started + dt.timedelta(minutes=rng.randint(1, 5000)) if closed else None,
            csat=rng.choice([None, 1, 2, 3, 4, 5]),
            channel=rng.choice(["web", "widget"]),
            step_minutes=rng.randint(1, 90),
        )
    for _ in range(40):
        created = at(f"2026-03-{rng.randint(1, 25):02d}", rng.randint(0, 22))
        closed_at = created + dt.timedelta(hours=rng.randint(1, 200)) if rng.random() < 0.6 else None
        service_request(
            agency,
            cat=rng.choice([roads, parks]),
            created=created,
            status=rng.choice(["resolved", "closed", "rejected"]) if closed_at else "submitted",
            closed_at=closed_at,
            sla_due_at=created + dt.timedelta(hours=48),
            lat=39.7 + rng.random() / 10,
            long=-89.7 + rng.random() / 10,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [7, 8])
def test_rollups_equal_live_counts_over_random_data(agency_a, seed):
    with agency_context(agency_a):
        _random_world(agency_a, random.Random(seed))
    live = _numbers(agency_a)
    live_widget = _numbers(agency_a, channel="widget")
    with agency_context(agency_a):
        rollups_refresh(agency=agency_a, full=True)
    assert _numbers(agency_a) == live
    assert _numbers(agency_a, channel="widget") == live_widget

    with agency_context(agency_a):
        period = period_parse(agency=agency_a, params=MARCH)
        since, until = period.since, period.until
        conversations = Conversation.objects.for_agency(agency_a).filter(
            created_at__gte=since, created_at__lt=until, last_seq__gt=0
        )
        closed = ServiceRequest.objects.for_agency(agency_a).filter(closed_at__gte=since, closed_at__lt=until)
        summary = analytics_summary(agency=agency_a, period=period)
        assert summary["conversations"] == conversations.count()
        assert summary["handoffs"] == conversations.filter(handed_off=True).count()
        assert summary["requests"]["closed"] == closed.count()

        resolved = conversations.filter(state="closed", closed_at__isnull=False)
        read = times.resolution(agency_a, period)
        assert read["count"] == resolved.count()
        wall = [(c.closed_at - c.created_at).total_seconds() for c in resolved]
        business = [business_seconds(c.created_at, c.closed_at, CHICAGO) for c in resolved]
        assert _close(read["wall"]["median"], _exact(wall)[0]) and _close(read["wall"]["p90"], _exact(wall)[1])
        assert _close(read["business"]["median"], _exact(business)[0])

        read = times.request_close_time(agency_a, period)
        assert read["count"] == closed.count()
        assert _close(read["wall"]["median"], _exact([(r.closed_at - r.created_at).total_seconds() for r in closed])[0])

        replied = times.first_human_reply(agency_a, period)
        assert replied["count"] == times.first_human_reply_rows(agency_a, period).count()
