"""Month rollups (analytics/rollups/months.py): a complete month's days added up into one row, read for
the months wholly inside a period, the edge days read from their day rows; over random data every number
on the rolled-up pages equals the one counted live, and a month row is rebuilt with its days."""

import datetime as dt
import random

import pytest

from analytics.models import DailyRollup
from analytics.rollups.months import added_up, month_kind, months_within
from analytics.rollups.services import rollup_days_rebuild, rollups_refresh
from tenants.context import agency_context
from tests.analytics.factories import at, category, conversation, dashboard_numbers, service_request
from tests.analytics.test_histograms import _random_world

pytestmark = pytest.mark.django_db
RANGES = [
    {"from": "2026-03-01", "to": "2026-03-31"},  # one whole month
    {"from": "2026-02-10", "to": "2026-04-05"},  # edge days around it
    {"from": "2026-03-01", "to": "2026-03-31", "channel": "widget"},
    {"from": "2026-02-10", "to": "2026-04-05", "channel": "web"},
]


def _world(agency, seed):
    with agency_context(agency):
        _random_world(agency, random.Random(seed))
        # Rows in February and April: the whole of March is rolled up, and the edges have numbers.
        conversation(agency, started=at("2026-02-05", 9), outcome="contained", closed_at=at("2026-02-05", 10))
        conversation(agency, started=at("2026-04-03", 9), channel="widget", csat=4)
        roads = category(agency)
        service_request(agency, cat=roads, created=at("2026-02-12"), status="resolved", closed_at=at("2026-03-31", 23))
        service_request(agency, cat=roads, created=at("2026-03-31", 22), status="closed", closed_at=at("2026-04-02"))


def _month(agency, kind: str, first: str):
    with agency_context(agency):
        return DailyRollup.objects.for_agency(agency).filter(kind=month_kind(kind), day=first).first()


@pytest.mark.parametrize("seed", [3, 4])
def test_month_rows_give_the_numbers_counted_live(agency_a, agency_b, seed):
    _world(agency_a, seed)
    _world(agency_b, seed + 10)
    live = [dashboard_numbers(agency_a, params) for params in RANGES]
    with agency_context(agency_a):
        rollups_refresh(agency=agency_a, full=True)
    for kind in ("conversations", "requests_filed", "requests_closed"):
        assert _month(agency_a, kind, "2026-03-01") is not None, kind
        assert _month(agency_a, kind, "2026-02-01") is None, kind  # Feb 1-4 came before the first row
    assert _month(agency_b, "conversations", "2026-03-01") is None  # b not refreshed: no rows of its own
    assert [dashboard_numbers(agency_a, params) for params in RANGES] == live


def test_the_reader_uses_the_month_row_and_a_day_rebuild_rebuilds_it(agency_a):
    _world(agency_a, 5)
    with agency_context(agency_a):
        rollups_refresh(agency=agency_a, full=True)
    right = dashboard_numbers(agency_a, RANGES[0])
    month = _month(agency_a, "requests_filed", "2026-03-01")
    cells = month.data["cells"]
    cells[0][-1] += 1000  # a month row that no longer equals its days shows: it is what is read
    with agency_context(agency_a):
        DailyRollup.objects.for_agency(agency_a).filter(pk=month.pk).update(data={**month.data, "cells": cells})
    assert (
        dashboard_numbers(agency_a, RANGES[0])["summary"]["requests"]["filed"]
        == right["summary"]["requests"]["filed"] + 1000
    )
    with agency_context(agency_a):
        rollup_days_rebuild(agency=agency_a, kind="requests_filed", days=[dt.date(2026, 3, 14)])
    assert dashboard_numbers(agency_a, RANGES[0]) == right


def test_a_month_missing_a_day_or_not_over_has_no_row(agency_a):
    _world(agency_a, 6)
    with agency_context(agency_a):
        rollups_refresh(agency=agency_a, full=True)
        DailyRollup.objects.for_agency(agency_a).filter(kind="conversations", day=dt.date(2026, 3, 9)).delete()
        rollup_days_rebuild(agency=agency_a, kind="conversations", days=[])
        rollup_days_rebuild(agency=agency_a, kind="conversations", days=[dt.date(2026, 3, 8)])
    assert _month(agency_a, "conversations", "2026-03-01") is None  # the 9th is missing: no month row
    today = dt.date.today()
    assert _month(agency_a, "conversations", today.replace(day=1).isoformat()) is None


def test_months_within_and_added_up():
    assert months_within(dt.date(2026, 2, 10), dt.date(2026, 4, 30)) == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)]
    assert months_within(dt.date(2026, 3, 1), dt.date(2026, 3, 30)) == []
    days = [{"cells": [["web", 1, 2], ["sms", 1, 1]], "only": [[1]]}, {"cells": [["web", 1, 3]]}]
    assert added_up(days) == {"cells": [["web", 1, 5], ["sms", 1, 1]]}  # a part not every day has is left out
