"""Public pages and the agency directory API."""

import pytest
from django.test import Client
from django.urls import reverse


def test_home_lists_agencies_and_searches(agency_a, agency_b, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Alpha City" in response.text and "Beta State Revenue" in response.text
    response = client.get("/", {"q": "revenue"})
    assert "Beta State Revenue" in response.text
    assert "Alpha City" not in response.text.split("<main", 1)[1]


def test_inactive_agency_is_hidden(agency_a, agency_b, client):
    agency_b.is_active = False
    agency_b.save()
    assert "Beta State Revenue" not in client.get("/").text
    assert client.get("/a/beta/").status_code == 404


def test_agency_home(agency_a, client):
    response = client.get("/a/alpha/")
    assert response.status_code == 200
    assert "<h1>Alpha City</h1>" in response.text


def test_crisis_banner_on_agency_pages(agency_a, client):
    agency_a.crisis_mode = True
    agency_a.crisis_message = "Boil water advisory until Friday."
    agency_a.save()
    response = client.get("/a/alpha/")
    assert 'class="crisis-banner"' in response.text
    assert "Boil water advisory" in response.text


@pytest.mark.parametrize(
    "path", ["/a/nope/", "/a/nope/staff/", "/a/alpha/no-such-page/", "/a/", "/this/does/not/exist"]
)
def test_unknown_and_malformed_paths_are_404(agency_a, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def test_unknown_agency_api_is_json_404(client, db):
    response = client.get("/api/v1/a/nope/anything/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_agency_directory_api(agency_a, agency_b, client):
    response = client.get("/api/v1/agencies/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["slug"] for item in results] == ["alpha", "beta"]
    first = results[0]
    assert set(first) >= {"slug", "name", "kind", "languages", "links"}
    assert first["links"]["html"].endswith("/a/alpha/")
    assert client.get("/api/v1/agencies/", {"search": "beta"}).json()["count"] == 1


def test_openapi_schema_and_docs_are_local(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/agencies/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "http://" not in docs.text.replace("http://testserver", "")
    assert "https://" not in docs.text


def test_server_error_shows_no_traceback(db, settings):
    """With DEBUG off, an exception in a view gives the plain 500 page."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.urls_errors"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "ZeroDivisionError" not in response.text and "Traceback" not in response.text
    api = client.get("/api-boom/")
    assert api.status_code == 500
    assert api.json() == {"detail": "Internal error. The problem has been logged."}


def test_database_unavailable_is_a_clean_503(db, settings):
    """While PostgreSQL restarts (issue 13 fault), a request gets a 503 to retry, not a 500 or a traceback."""
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.urls_errors"
    client = Client(raise_request_exception=False)
    page = client.get("/db-gone/")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "Temporarily unavailable" in page.text
    assert "OperationalError" not in page.text and "server closed" not in page.text
    api = client.get("/api-db-gone/")
    assert api.status_code == 503
    assert api["Retry-After"] == "5"
    assert api.json() == {"detail": "Service temporarily unavailable. Please try again in a few seconds."}


def test_language_switch_changes_ui_text(agency_a, client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert 'lang="zh-hans"' in page.text
    assert "所有机构" in page.text
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Todas las agencias" in client.get("/").text


def test_health(client, db):
    response = client.get("/health/")
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_websocket_origin_is_checked(live_asgi):
    import asyncio

    import websockets

    async def connect(origin):
        headers = {"Origin": origin} if origin else None
        async with websockets.connect(f"{live_asgi.ws_url}/ws/health/", additional_headers=headers) as ws:
            return (await asyncio.wait_for(ws.recv(), 5))[:20]

    assert "hello" in asyncio.run(connect(None))  # no Origin: not a browser
    assert "hello" in asyncio.run(connect(f"http://127.0.0.1:{live_asgi.port}"))
    try:
        asyncio.run(connect("https://evil.example.com"))
    except websockets.exceptions.InvalidStatus as refused:
        assert refused.response.status_code == 403
    else:
        raise AssertionError("a foreign Origin was accepted")
