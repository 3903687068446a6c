"""The heat map's fixed grid (analytics/rollups/heat.py): days binned once on the agency's box; a request
outside the box counts in an edge cell until the next refresh moves the box and bins every day again; a
cell's count always equals its drill-down rows."""

import pytest

from analytics.dashboard.registry import CHARTS
from analytics.dashboard.requests import heat_cells
from analytics.models import RollupCursor
from analytics.rollups.services import rollups_refresh
from analytics.selectors.filters import period_for
from tenants.context import agency_context
from tests.analytics.factories import at, category, service_request

pytestmark = pytest.mark.django_db
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def _cells_and_rows(agency, **filters) -> list[tuple[str, int, int]]:
    with agency_context(agency):
        period = period_for(agency=agency, params={**MARCH, **filters})
        spec = CHARTS["request_heatmap"]
        return [(c["key"], c["n"], spec.rows(agency, period, c["key"]).count()) for c in heat_cells(agency, period)]


def test_the_grid_moves_with_a_request_outside_it_and_cells_equal_rows(agency_a, agency_b):
    with agency_context(agency_a):
        roads = category(agency_a)
        for n in range(6):
            service_request(
                agency_a, cat=roads, created=at(f"2026-03-0{n + 1}"), lat=39.70 + n / 100, long=-89.7 + n / 50
            )
        rollups_refresh(agency=agency_a, full=True)
        box = RollupCursor.objects.for_agency(agency_a).get().heat_box
    assert box == pytest.approx({"lat0": 39.70, "lat1": 39.75, "long0": -89.7, "long1": -89.6})
    with agency_context(agency_b):
        service_request(agency_b, cat=category(agency_b), created=at("2026-03-02"), lat=10.0, long=10.0)
    before = _cells_and_rows(agency_a)
    assert sum(n for _key, n, _rows in before) == 6 and all(n == rows for _key, n, rows in before)

    with agency_context(agency_a):  # far north-east of the box, filed in March after the refresh
        service_request(agency_a, cat=roads, created=at("2026-03-20"), lat=40.5, long=-88.0)
    edge = _cells_and_rows(agency_a)
    # Its rows clamp it into the north-east corner cell; the stored March 20 counts it after the refresh.
    assert ("0:31", 1, 2) in edge

    with agency_context(agency_a):
        rollups_refresh(agency=agency_a)  # not asked to be full: the box moved, so it is
        assert RollupCursor.objects.for_agency(agency_a).get().heat_box["lat1"] == 40.5
    after = _cells_and_rows(agency_a)
    assert sum(n for _key, n, _rows in after) == 7 and all(n == rows for _key, n, rows in after)
    assert _cells_and_rows(agency_a, category=str(roads.pk)) == after
