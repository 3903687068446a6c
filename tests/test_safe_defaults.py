"""The default run is safe to show to a citizen: DEBUG is off unless a developer asks for it, and
error pages (404, 403, 400, API errors) are friendly, with no URL patterns and no tracebacks."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

from django.conf import settings

DEBUG_MARKERS = ("URLconf", "urlpatterns", "Traceback", "Django tried these URL patterns", "DEBUG = True")


def _settings_of_a_plain_run(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "DEBUG", "ALLOWED_HOSTS", "HOST")) and key != "CIVICDESK_TESTING"
    }
    # The test's own servers, so the child starts no embedded ones.
    env.update(DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL, **extra)
    code = "from django.conf import settings; import json; print(json.dumps([settings.DEBUG, settings.ALLOWED_HOSTS]))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    debug, hosts = json.loads(result.stdout.strip().splitlines()[-1])
    return {"DEBUG": debug, "ALLOWED_HOSTS": hosts}


def test_debug_is_off_unless_a_developer_switches_it_on(db):
    plain = _settings_of_a_plain_run()
    assert plain == {"DEBUG": False, "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]"]}
    assert _settings_of_a_plain_run(DEBUG="1")["DEBUG"] is True
    assert "192.168.1.20" in _settings_of_a_plain_run(HOST="192.168.1.20")["ALLOWED_HOSTS"]


def _get(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_error_pages_over_http_are_friendly_and_leak_nothing(live_asgi, agency_a):
    base = live_asgi.url
    status, body, _ = _get(base + "/no/such/page/")
    assert status == 404 and "Page not found" in body
    status, body, _ = _get(base + "/a/alpha/no-such-page/")
    assert status == 404 and "Page not found" in body
    status, body, _ = _get(base + "/media/knowledge/agency-1/doc-1/secret.pdf")
    assert status == 404 and "Page not found" in body
    status, body, _ = _get(base + "/staff/login/", data=b"username=a&password=b")  # no CSRF token
    assert status == 403 and "Your form expired" in body
    status, body, _ = _get(
        base + "/api/v1/a/alpha/ask/", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert status == 400 and "detail" in json.loads(body)
    status, body, _ = _get(base + "/api/v1/a/alpha/no-such-endpoint/")
    assert status == 404
    status, body, _ = _get(base + "/", headers={"Host": "evil.example"})
    assert status == 400 and "We could not read that request" in body
    for text in (body,):
        assert not any(marker in text for marker in DEBUG_MARKERS)
    status, css, _ = _get(base + "/static/css/civicdesk.css")
    assert status == 200 and "{" in css


def test_no_error_page_shows_debug_markers(live_asgi, agency_a):
    base = live_asgi.url
    for url, data in (
        ("/no/such/page/", None),
        ("/a/alpha/staff/requests/999999/", None),
        ("/api/v1/a/alpha/ask/", b"{not json"),
        ("/staff/login/", b"username=a"),
        ("/open311/v2/requests.json?jurisdiction_id=nope", None),
    ):
        status, body, _ = _get(base + url, data=data, headers={"Content-Type": "application/json"} if data else None)
        assert status < 500, url
        assert not any(marker in body for marker in DEBUG_MARKERS), url
