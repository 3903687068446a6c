"""The rollup beat job and `manage.py analytics_rollups` under row-level security: run as a worker runs
them (no agency, no cross-agency reason), they walk the agency list (`tenants_agency`, a platform table
outside row-level security) and rebuild each agency's rollups inside that agency's scope. Without the
scope PostgreSQL shows them no conversations or requests and refuses the rollup rows they write."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from analytics.models import DailyRollup, RollupCursor
from analytics.tasks import rollups_refresh_all
from tenants.context import agency_context, cross_agency_reason
from tests.analytics.factories import at, conversation
from tests.analytics.test_dashboard import _world
from tests.workers import as_a_beat_worker

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _conversations_on(day) -> dict[int, int]:
    rows = DailyRollup.objects.unscoped().filter(day=day, kind="conversations")  # unscoped: the test's view
    return {row.agency_id: sum(cell[-1] for cell in row.data["cells"]) for row in rows}


def _two_agencies(agency_a, agency_b):
    _world(agency_a)
    _world(agency_b, text="Beta secret")
    with agency_context(agency_b):
        conversation(agency_b, started=at("2026-03-02"), outcome="contained", closed_at=at("2026-03-02", 11))


def test_the_beat_job_rolls_up_every_agency_inside_its_own_scope(agency_a, agency_b):
    _two_agencies(agency_a, agency_b)
    with as_a_beat_worker():
        assert rollups_refresh_all()["days"] > 0
        assert cross_agency_reason() is None  # nothing leaks out of the job
    assert _conversations_on(DAY) == {agency_a.pk: 2, agency_b.pk: 3}
    assert set(RollupCursor.objects.unscoped().values_list("agency_id", flat=True)) >= {
        agency_a.pk,
        agency_b.pk,
    }  # unscoped: test
    # the next run (incremental) sees a change in one agency only and keeps the other's numbers
    with agency_context(agency_a):
        conversation(agency_a, started=at("2026-03-02"), outcome="contained", closed_at=at("2026-03-02", 11))
    with as_a_beat_worker():
        rollups_refresh_all()
    assert _conversations_on(DAY) == {agency_a.pk: 3, agency_b.pk: 3}


def test_the_command_rolls_up_each_agency_inside_its_own_scope(agency_a, agency_b):
    _two_agencies(agency_a, agency_b)
    out = io.StringIO()
    with as_a_beat_worker():
        call_command("analytics_rollups", "--agency", agency_b.slug, "--full", stdout=out)
    assert out.getvalue().startswith(f"{agency_b.slug}: conversations ")
    assert _conversations_on(DAY) == {agency_b.pk: 3}
