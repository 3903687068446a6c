"""The service directory and public contacts across agencies."""

import pytest

from tests.frontdoor.conftest import SECRET


@pytest.mark.django_db
def test_services_are_searched_across_agencies_with_typos_and_in_the_citizens_language(front, client):
    body = client.get("/api/v1/services/", {"q": "matress pickup"}).json()
    first = body["results"][0]
    assert first["name"] == "Schedule a bulk item pickup"
    assert first["agency"]["slug"] == "alpha"
    assert first["url"] == "https://alpha.example/bulk" and first["fees"]
    spanish = client.get("/api/v1/services/", {"q": "recogida voluminosos", "lang": "es"}).json()
    assert spanish["results"][0]["name"] == "Programar la recogida de objetos voluminosos"
    reports = client.get("/api/v1/services/", {"q": "pothole", "agency": "beta"}).json()
    assert [(r["kind"], r["agency"]["slug"]) for r in reports["results"]] == [("report", "beta")]


@pytest.mark.django_db
def test_only_public_contacts_are_listed(front, client):
    body = client.get("/api/v1/officials/", {"q": "business tax registration"}).json()
    assert body["results"][0]["name"] == "Rita Ledger"
    assert body["results"][0]["email"] == "rita@beta.example"
    everything = client.get("/api/v1/officials/").content.decode()
    assert SECRET not in everything and "Internal auditor" not in everything
    page = client.get("/services/", {"q": "director"}).content.decode()
    assert "Dana Street" in page and SECRET not in page


@pytest.mark.django_db
def test_bad_listing_parameters_are_refused(front, client):
    assert client.get("/api/v1/services/", {"limit": "x"}).status_code == 400
    assert client.get("/api/v1/officials/", {"q": "y" * 10_000}).status_code == 400
