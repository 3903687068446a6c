"""The one status lookup: providers registered by apps, the track page and the status API."""

from datetime import UTC, datetime

import pytest

from portal import tracking


@pytest.fixture
def provider(agency_a):
    """A provider that knows one reference, in agency A only."""
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)

    def lookup(*, agency, reference):
        if agency.pk != agency_a.pk or reference != "ALP-2026-000001":
            return None
        return tracking.StatusView(
            reference=reference,
            kind="service_request",
            title="Pothole",
            status="acknowledged",
            status_label="Acknowledged",
            submitted_at=now,
            updated_at=now,
            history=[
                tracking.StatusEvent(at=now, status="acknowledged", status_label="Acknowledged", note="Crew assigned")
            ],
        )

    saved = tracking.status_providers()
    tracking._providers.clear()
    tracking.register_status_provider("probe", lookup)
    yield
    tracking._providers.clear()
    tracking._providers.update(saved)


def test_api_finds_reference_case_insensitively(provider, client):
    response = client.get("/api/v1/a/alpha/status/alp-2026-000001/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == "ALP-2026-000001" and body["status"] == "acknowledged"
    assert body["history"][0]["note"] == "Crew assigned"


def test_api_unknown_reference_is_404(provider, client):
    assert client.get("/api/v1/a/alpha/status/NOPE-1/").status_code == 404


def test_reference_of_one_agency_is_404_under_another(provider, agency_b, client):
    assert client.get("/api/v1/a/beta/status/ALP-2026-000001/").status_code == 404
    page = client.get("/a/beta/track/", {"reference": "ALP-2026-000001"})
    assert "Pothole" not in page.text and "Nothing was found" in page.text


def test_track_page(provider, client):
    page = client.get("/a/alpha/track/", {"reference": "ALP-2026-000001"})
    assert page.status_code == 200
    assert "Pothole" in page.text and "Crew assigned" in page.text
    assert "Nothing was found" in client.get("/a/alpha/track/", {"reference": "X"}).text
