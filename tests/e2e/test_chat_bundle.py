"""In a real browser, as production serves it (DEBUG off, collectstatic's manifest): the chat widget embedded on
another site is one request, the bundle portal/staticstorage.py builds from static/chat/widget.js and its parts,
by its plain name (the README's one tag) and by its hashed one (the staff page's embed snippet), under a strict
Content-Security-Policy."""

import json
import mimetypes

import pytest
from django.core.management import call_command

from tests.e2e.test_chat import _ask, _OtherSite, knowledge_a  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def production_static(settings, tmp_path):
    """collectstatic with the production storage into a temporary STATIC_ROOT (this project's files only)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "portal.staticstorage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def _serve_static_from(page, live_asgi, root):
    """The portal's /static/ answered from `root`, as whitenoise serves STATIC_ROOT with DEBUG off."""

    def answer(route):
        name = route.request.url.split("/static/", 1)[1].split("?")[0]
        path = root / name
        if not path.is_file():
            route.fulfill(status=404, body="not found")
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=path.read_bytes(), headers={"Content-Type": kind})

    page.route(live_asgi.url + "/static/**", answer)


@pytest.mark.parametrize("hashed", [False, True], ids=["one-tag", "hashed"])
def test_the_embedded_widget_is_one_request(live_asgi, knowledge_a, production_static, page, hashed):  # noqa: F811
    name = "chat/widget.js"
    if hashed:
        name = json.loads((production_static / "staticfiles.json").read_text())["paths"][name]
    _serve_static_from(page, live_asgi, production_static)
    portal = live_asgi.url
    socket = portal.replace("http://", "ws://")
    site = _OtherSite(
        f"{portal}/static/{name}",
        csp=f"default-src 'none'; script-src {portal}; style-src {portal}; connect-src {portal} {socket}; img-src {portal}",
    )
    scripts: list[str] = []
    page.on("request", lambda request: request.resource_type == "script" and scripts.append(request.url))
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        page.goto(site.url)
        page.get_by_role("button", name="Chat with us").click()
        _ask(page, "When is trash collected?")
        page.locator(".cd-msg--bot .cd-sources a[href='https://alpha.example/trash']").wait_for()
        assert page.locator(".cd-chat").evaluate("chat => getComputedStyle(chat).position") == "fixed"  # styled
    finally:
        site.stop()
    assert [url for url in scripts if "/static/" in url] == [f"{portal}/static/{name}"]
    assert [url for url in scripts if "/static/" not in url] == [f"{portal}/jsi18n/"]  # the catalogue, as before
    assert errors == []
