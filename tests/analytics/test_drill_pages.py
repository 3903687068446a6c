"""A drill-down shows its rows a page at a time, newest first; each page starts after the last row of the
one before (keyset on created_at, then id), so paging visits every row once and never counts or skips."""

import datetime as dt
from urllib.parse import parse_qs

import pytest

from analytics.dashboard.rows import MAX_ROWS_SHOWN
from tenants.context import agency_context
from tests.analytics.factories import at, category, service_request

pytestmark = pytest.mark.django_db
QUERY = "?from=2026-03-01&to=2026-03-31"
ROWS = 2 * MAX_ROWS_SHOWN + 30


def _requests(agency) -> tuple[int, set[str]]:
    with agency_context(agency):
        pothole = category(agency)
        # Three requests share each moment: the page boundary falls inside a tie at least once.
        made = [
            service_request(agency, cat=pothole, created=at("2026-03-02") + dt.timedelta(minutes=n // 3))
            for n in range(ROWS)
        ]
    return pothole.pk, {made_one.reference for made_one in made}


def test_paging_visits_every_row_once_newest_first(agency_a, staff_a, client_for):
    category_id, references = _requests(agency_a)
    client = client_for(staff_a["analyst"])
    url = f"/a/alpha/staff/analytics/rows/{QUERY}&chart=requests_by_category&key={category_id}"
    seen, filed, pages = [], [], 0
    while url:
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["total"] == ROWS  # every page says how many rows the bar has
        seen += [cells[0] for cells, _link in page.context["rows"]]
        filed += [cells[4] for cells, _link in page.context["rows"]]
        pages += 1
        following = page.context["next_query"]
        assert bool(following) == (pages < 3)
        if following:
            assert parse_qs(following)["key"] == [str(category_id)]
            assert b'rel="next"' in page.content
        url = f"/a/alpha/staff/analytics/rows/?{following}" if following else ""
    assert pages == 3 and len(seen) == ROWS
    assert set(seen) == references  # none twice, none missed
    assert filed == sorted(filed, reverse=True)


@pytest.mark.parametrize("after", ["yesterday_1", "2026-03-02T10:00:00_1", "2026-03-02T10:00:00+00:00_x", "_"])
def test_a_cursor_that_does_not_parse_is_a_clear_400(agency_a, staff_a, client_for, after):
    category_id, _references = _requests(agency_a)
    url = f"/a/alpha/staff/analytics/rows/{QUERY}&chart=requests_by_category&key={category_id}&after={after}"
    response = client_for(staff_a["analyst"]).get(url)
    assert response.status_code == 400
    assert b"That page of rows does not exist" in response.content


def test_cannot_page_through_another_agencys_rows(agency_a, agency_b, staff_a, staff_b, client_for):
    category_id, references = _requests(agency_a)
    first = client_for(staff_a["analyst"]).get(
        f"/a/alpha/staff/analytics/rows/{QUERY}&chart=requests_by_category&key={category_id}"
    )
    following = first.context["next_query"]
    assert following
    beta = client_for(staff_b["analyst"])
    assert beta.get(f"/a/alpha/staff/analytics/rows/?{following}").status_code == 404
    own = beta.get(f"/a/beta/staff/analytics/rows/?{following}")  # alpha's cursor on beta's own page
    assert own.status_code == 200
    assert own.context["rows"] == [] and own.context["total"] == 0
    assert not any(reference.encode() in own.content for reference in references)
