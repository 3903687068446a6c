"""The agency responsible for a place and a kind of problem; bad places and categories."""

import pytest


def _locate(client, **params):
    return client.get("/api/v1/route/location/", params)


@pytest.mark.django_db
def test_the_smallest_area_that_takes_the_category_wins(front, client):
    body = _locate(client, lat=39.80, lon=-89.65, category="pothole").json()
    assert body["agency"]["slug"] == "alpha"
    assert body["area"] == "City of Alpha"
    assert "City of Alpha" in body["why"]
    assert body["report_url"].startswith("/a/alpha/report/pothole/?lat=39.8")
    assert [other["agency"]["slug"] for other in body["others"]] == ["beta"]
    body = _locate(client, lat=40.5, lon=-89.0, category="pothole").json()
    assert body["agency"]["slug"] == "beta"
    assert body["category"]["code"] == "highway-pothole"


@pytest.mark.django_db
def test_outside_every_area_unknown_category_or_bad_coordinates_are_clear(front, client):
    outside = _locate(client, lat=10, lon=10, category="pothole")
    assert outside.status_code == 404 and "directory" in outside.json()
    unknown = _locate(client, lat=39.8, lon=-89.65, category="volcano")
    assert unknown.status_code == 404 and "volcano" in unknown.json()["detail"]
    for lat, lon in (("abc", "1"), ("nan", "1"), ("91", "0"), ("", "")):
        assert _locate(client, lat=lat, lon=lon).status_code == 400
    page = client.get("/report/", {"lat": "10", "lon": "10", "category": "Pothole"})
    assert page.status_code == 404 and 'href="/"' in page.content.decode()


@pytest.mark.django_db
def test_the_front_door_report_page_sends_to_the_agency_form_with_the_place(front, client):
    page = client.get("/report/", {"lat": "39.8", "lon": "-89.65", "category": "Pothole"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "/a/alpha/report/pothole/?lat=39.800000&amp;long=-89.650000" in html
    form = client.get("/a/alpha/report/pothole/", {"lat": "39.800000", "long": "-89.650000"})
    assert form.status_code == 200
    assert 'value="39.800000"' in form.content.decode()
