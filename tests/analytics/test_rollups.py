"""Daily rollups: the dashboard reads them for closed days and gives the numbers counting live gives;
a refresh rebuilds the days of changed rows; today is always live; one agency's rollups are its own."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.models import DailyRollup, RollupCursor
from analytics.periods import period_parse
from analytics.rollups.services import rollups_refresh
from analytics.selectors import analytics_summary
from chat.models import Conversation
from requests_app.models import ServiceRequest
from tenants.context import agency_context
from tests.analytics.factories import at, conversation, dashboard_numbers
from tests.analytics.test_dashboard import _world

pytestmark = pytest.mark.django_db
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def _numbers(agency, **filters) -> dict:
    return dashboard_numbers(agency, {**MARCH, **filters})


def _refresh(agency, **kwargs):
    with agency_context(agency):
        return rollups_refresh(agency=agency, **kwargs)


def _extra_for_b(agency_b):
    with agency_context(agency_b):
        conversation(agency_b, started=at("2026-03-02"), outcome="contained", closed_at=at("2026-03-02", 11), csat=1)


@pytest.mark.parametrize("filters", [{}, {"channel": "widget"}], ids=["all", "widget"])
def test_rollups_give_the_numbers_counted_live(agency_a, agency_b, filters):
    _world(agency_a)
    _world(agency_b, text="Beta secret")
    _extra_for_b(agency_b)
    live = _numbers(agency_a, **filters)
    assert live["summary"]["conversations"] == (3 if not filters else 1)

    _refresh(agency_a)
    _refresh(agency_b)
    with agency_context(agency_a):
        assert DailyRollup.objects.for_agency(agency_a).filter(day=dt.date(2026, 3, 2), kind="conversations").exists()
    assert _numbers(agency_a, **filters) == live


def test_department_and_category_filters_read_the_rollups_alike(agency_a):
    from requests_app.models import ServiceCategory

    _world(agency_a)
    with agency_context(agency_a):
        category = ServiceCategory.objects.for_agency(agency_a).order_by("pk").first()
    filters = {"category": str(category.pk), "department": str(category.department_id)}
    live = _numbers(agency_a, **filters)
    assert live["summary"]["requests"]["filed"] == 2
    _refresh(agency_a)
    assert _numbers(agency_a, **filters) == live


def test_the_dashboard_reads_the_rollups_and_a_full_refresh_catches_deleted_rows(agency_a):
    _world(agency_a)
    _refresh(agency_a)
    with agency_context(agency_a):
        Conversation.objects.for_agency(agency_a).delete()  # no timestamp tells a refresh about this
    assert _numbers(agency_a)["summary"]["conversations"] == 3  # closed days: the stored rollups
    _refresh(agency_a)  # incremental: cannot see a deletion
    assert _numbers(agency_a)["summary"]["conversations"] == 3
    _refresh(agency_a, full=True)
    assert _numbers(agency_a)["summary"]["conversations"] == 0


def test_a_refresh_rebuilds_the_days_of_rows_changed_since_the_last_one(agency_a):
    _world(agency_a)
    _refresh(agency_a)
    with agency_context(agency_a):
        cursor = RollupCursor.objects.for_agency(agency_a).get()
        open_one = Conversation.objects.for_agency(agency_a).get(state="bot")
        open_one.state, open_one.outcome, open_one.csat_score = "closed", "contained", 4
        open_one.closed_at = at("2026-03-05", 12)
        open_one.save()  # the chat closes and rates through save(): updated_at moves
        request = ServiceRequest.objects.for_agency(agency_a).filter(closed_at__isnull=True).order_by("pk").first()
        request.status, request.closed_at = "closed", at("2026-03-20")
        request.save()
    before = _numbers(agency_a)
    assert before["summary"]["contained"] == 1  # the stored rollup, not yet refreshed
    assert before["summary"]["requests"]["closed"] == 1
    done = _refresh(agency_a)
    assert done["conversations"] >= 1 and done["requests_closed"] >= 1
    with agency_context(agency_a):
        assert RollupCursor.objects.for_agency(agency_a).get().changed_since > cursor.changed_since
    after = _numbers(agency_a)
    assert after["summary"]["contained"] == 2
    assert after["summary"]["csat"]["responses"] == 3
    assert after["summary"]["requests"]["closed"] == 2
    DailyRollup.objects.unscoped().filter(agency=agency_a).delete()  # unscoped: test, back to counting live
    assert _numbers(agency_a) == after


def test_today_is_counted_live_over_the_rollups(agency_a):
    _refresh(agency_a, full=True)
    with agency_context(agency_a):
        conversation(agency_a, started=timezone.now(), outcome="contained", closed_at=timezone.now())
        period = period_parse(agency=agency_a, params={})
        assert analytics_summary(agency=agency_a, period=period)["conversations"] == 1
        assert not DailyRollup.objects.for_agency(agency_a).filter(day__gte=period.end).exists()


def test_each_agency_has_its_own_rollups(agency_a, agency_b):
    from analytics.tasks import rollups_refresh_all

    _world(agency_a)
    _world(agency_b, text="Beta secret")
    _extra_for_b(agency_b)
    rollups_refresh_all()
    rows = DailyRollup.objects.unscoped().filter(day=dt.date(2026, 3, 2), kind="conversations")  # unscoped: test
    by_agency = {row.agency_id: sum(cell[-1] for cell in row.data["cells"]) for row in rows}
    assert by_agency == {agency_a.pk: 2, agency_b.pk: 3}
    assert _numbers(agency_a)["summary"]["conversations"] == 3
    assert _numbers(agency_b)["summary"]["conversations"] == 4
    with agency_context(agency_a):
        assert set(DailyRollup.objects.for_agency(agency_a).values_list("agency_id", flat=True)) == {agency_a.pk}


def test_the_page_says_which_days_come_from_rollups(client_for, agency_a, staff_a):
    _world(agency_a)
    _refresh(agency_a)  # from the first day with data (March 2): March 1 is counted live
    page = client_for(staff_a["analyst"]).get(f"/a/{agency_a.slug}/staff/analytics/?from=2026-03-01&to=2026-03-31")
    assert page.status_code == 200
    text = page.content.decode()
    start = text.index('id="freshness"')
    assert "30 closed days come from daily rollups" in text[start : start + 600], text[start : start + 600]
