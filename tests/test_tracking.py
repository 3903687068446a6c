"""The one status lookup: providers registered by apps, the track page and the status API. `status_provider`
(tests/conftest.py) is the only lookup: one reference, in agency A."""


def test_api_finds_reference_case_insensitively(status_provider, client):
    response = client.get("/api/v1/a/alpha/status/alp-2026-000001/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == "ALP-2026-000001" and body["status"] == "acknowledged"
    assert body["history"][0]["note"] == "Crew on it"


def test_api_unknown_reference_is_404(status_provider, client):
    assert client.get("/api/v1/a/alpha/status/NOPE-1/").status_code == 404


def test_reference_of_one_agency_is_404_under_another(status_provider, agency_b, client):
    assert client.get("/api/v1/a/beta/status/ALP-2026-000001/").status_code == 404
    page = client.get("/a/beta/track/", {"reference": "ALP-2026-000001"})
    assert "Pothole" not in page.text and "Nothing was found" in page.text


def test_track_page(status_provider, client):
    page = client.get("/a/alpha/track/", {"reference": "ALP-2026-000001"})
    assert page.status_code == 200
    assert "Pothole" in page.text and "Crew on it" in page.text
    assert "Nothing was found" in client.get("/a/alpha/track/", {"reference": "X"}).text
