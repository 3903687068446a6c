"""How HTTP is served: Django's sync middleware chain in one thread hop per request, on reused
threads (portal.handlers), and one Redis connection pool per process for the cache (core.redis_cache)."""

import json
import re
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.core import signals
from django.core.cache import caches

from portal.handlers import PooledThreadASGIHandler


def test_the_http_app_is_the_pooled_handler():
    from portal.asgi import django_asgi_app

    assert isinstance(django_asgi_app, PooledThreadASGIHandler)
    assert not django_asgi_app._middleware_chain.__class__.__name__.startswith("Async")


def test_each_request_runs_on_one_reused_thread(live_asgi):
    seen: list[tuple[str, str]] = []

    def started(**kwargs):
        seen.append(("started", threading.current_thread().name))

    def finished(**kwargs):
        seen.append(("finished", threading.current_thread().name))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    try:
        for _ in range(10):
            with urllib.request.urlopen(live_asgi.url + "/health/") as response:
                assert response.status == 200
        deadline = time.monotonic() + 5
        while len(seen) < 20 and time.monotonic() < deadline:  # the last close runs after the reply
            time.sleep(0.01)
    finally:
        signals.request_started.disconnect(started)
        signals.request_finished.disconnect(finished)
    assert len(seen) == 20
    names = {name for _event, name in seen}
    # sequential requests: one pooled thread serves them all (the stock handler starts one per request)
    assert len(names) == 1 and next(iter(names)).startswith("http")


def test_threads_share_one_redis_pool():
    def pool():
        cache = caches["default"]
        cache.set("serving-test", 1, 5)
        return cache, cache._cache._get_connection_pool(True)

    with ThreadPoolExecutor(4) as executor:
        results = list(executor.map(lambda _i: pool(), range(8)))
    caches_seen = {id(cache) for cache, _pool in results}
    pools = {id(p) for _cache, p in results}
    assert len(caches_seen) > 1  # Django keeps a cache object per thread...
    assert len(pools) == 1  # ...but they share the process's pool


def test_threads_share_one_redis_client():
    """Django builds a `redis.Redis` per cache call; here every thread's calls get the pool's one client."""

    def client():
        cache = caches["default"]
        cache.set("serving-test", 2, 5)
        assert cache.get("serving-test") == 2
        return cache._cache.get_client(write=True), cache._cache.get_client()

    with ThreadPoolExecutor(4) as executor:
        results = list(executor.map(lambda _i: client(), range(8)))
    writers = {id(writer) for writer, _reader in results}
    assert len(writers) == 1
    assert results[0][0].connection_pool is caches["default"]._cache._get_connection_pool(True)


def test_idle_threads_are_capped(live_asgi, monkeypatch):
    """A burst of concurrent requests does not leave more than `max_idle` threads waiting for work."""
    from portal.asgi import django_asgi_app

    monkeypatch.setattr(django_asgi_app, "max_idle", 2)
    with ThreadPoolExecutor(8) as executor:
        statuses = list(executor.map(lambda _i: urllib.request.urlopen(live_asgi.url + "/health/").status, range(24)))
    assert statuses == [200] * 24
    assert len(django_asgi_app._idle) <= 2


def test_static_files_build_the_production_manifest(settings, tmp_path):
    """Without DEBUG (production, `DEBUG=0 make run`) static files come from whitenoise's hashed manifest;
    collectstatic fails on any file a stylesheet or script references but the repository lacks. The chat
    widget is served as one file: `chat/widget.js` and its hashed copy are the bundle of every part in
    static/chat/widget/ and the entry (portal/staticstorage.py); the parts' own files are still there, hashed."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "portal.staticstorage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    for name in ("chat/widget.js", "css/civicdesk.css", "vendor/leaflet/leaflet.js", "favicon.svg"):
        assert f'"{name}"' in manifest

    paths = json.loads(manifest)["paths"]
    sources = Path(settings.BASE_DIR) / "static/chat"
    parts = sorted(f"widget/{path.name}" for path in (sources / "widget").glob("*.js"))
    assert parts
    entry = (sources / "widget.js").read_text()
    named = re.findall(r'"(widget/[a-z0-9_-]+\.js)"', entry)
    assert sorted(named) == parts  # the entry names every part, each once
    for built, names in (
        ((tmp_path / "chat/widget.js").read_text(), named),
        ((tmp_path / paths["chat/widget.js"]).read_text(), [paths[f"chat/{name}"][len("chat/") :] for name in named]),
    ):
        assert built.rstrip().endswith(entry.rstrip()[-200:])  # the entry last
        for name in names:  # each part once, registered where the entry looks for it
            assert built.count(f'[new URL("{name}", document.currentScript.src).href] = install;') == 1
        assert "[document.currentScript.src] = install;" not in built
    for name in named:
        source = (sources / name).read_text()
        body = source.split("(function () {", 1)[1].split("[document.currentScript.src] = install;")[0]
        assert body[:2000] in (tmp_path / "chat/widget.js").read_text()  # up to its registration, rewritten there
        assert (tmp_path / paths[f"chat/{name}"]).is_file() and paths[f"chat/{name}"] != f"chat/{name}"
    assert (tmp_path / "chat/widget.js.gz").is_file()


def _widget_sources(tmp_path) -> Path:
    """A copy of static/chat/ (the widget's entry and parts) as the only static files, to build from."""
    import shutil

    from django.conf import settings

    source = tmp_path / "src"
    shutil.copytree(Path(settings.BASE_DIR) / "static/chat", source / "chat")
    return source


def _production_storage_over(settings, tmp_path) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [_widget_sources(tmp_path)]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "portal.staticstorage.ManifestStaticFilesStorage"},
    }


def test_the_widget_bundle_is_rebuilt_when_a_part_changes(settings, tmp_path):
    """`make run` rebuilds the manifest when a static file changed: the bundle then carries the changed part
    under a new hashed name, and the next build with nothing changed keeps it."""
    from portal.management.commands.runstack import static_manifest_build

    _production_storage_over(settings, tmp_path)
    assert static_manifest_build() is True
    root = settings.STATIC_ROOT
    first = json.loads((root / "staticfiles.json").read_text())["paths"]["chat/widget.js"]
    assert "Chat with us" in (root / "chat/widget.js").read_text()

    part = settings.STATICFILES_DIRS[0] / "chat/widget/panel.js"
    part.write_text(part.read_text().replace('gettext("Chat with us")', 'gettext("Talk to us")'))
    assert static_manifest_build() is True
    second = json.loads((root / "staticfiles.json").read_text())["paths"]["chat/widget.js"]
    for built in (root / "chat/widget.js", root / second):
        assert 'gettext("Talk to us")' in built.read_text() and "Chat with us" not in built.read_text()
    assert second != first
    assert static_manifest_build() is False


def test_a_part_the_bundle_cannot_use_stops_collectstatic(settings, tmp_path):
    """A part that does not end with the one registration line the bundle rewrites (or that the entry names
    but is missing) stops the build with a sentence saying which, rather than serving a widget that never boots."""
    import pytest
    from django.core.management import call_command

    from portal.staticstorage import WidgetBundleError

    _production_storage_over(settings, tmp_path)
    part = settings.STATICFILES_DIRS[0] / "chat/widget/render.js"
    part.write_text(
        part.read_text().replace("[document.currentScript.src] = install;", "[document.currentScript.src] = go;")
    )
    with pytest.raises(WidgetBundleError, match=re.escape("chat/widget/render.js should register itself once")):
        call_command("collectstatic", interactive=False, verbosity=0)
    part.unlink()
    with pytest.raises(WidgetBundleError, match=re.escape("names widget/render.js, which is not in static/chat/")):
        call_command("collectstatic", interactive=False, verbosity=0)


def test_a_changed_static_storage_rebuilds_the_manifest(settings, tmp_path, monkeypatch):
    """What is built depends on the storage's code too (it bundles the chat widget): a change there, with
    the same static files, rebuilds on the next `make run`."""
    import importlib

    from portal.management.commands.runstack import static_fingerprint

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "site.css").write_text("body { color: black }")
    module = tmp_path / "code" / "storage_under_test.py"
    module.parent.mkdir()
    module.write_text("from django.contrib.staticfiles.storage import StaticFilesStorage as Storage\n")
    monkeypatch.syspath_prepend(str(module.parent))
    settings.STATICFILES_DIRS = [tmp_path / "src"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "storage_under_test.Storage"}}
    before = static_fingerprint()
    module.write_text(module.read_text() + "# now bundling something\n")
    importlib.invalidate_caches()
    assert static_fingerprint() != before


def test_make_run_builds_the_static_manifest_once_for_unchanged_files(settings, tmp_path):
    """`make run` (DEBUG off by default) builds the manifest, and skips the 10-15 s rebuild when no
    static file changed since; a changed file rebuilds it."""
    from portal.management.commands.runstack import static_manifest_build

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [tmp_path / "src"]
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "drf_spectacular_sidecar"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "site.css").write_text("body { color: black }")
    assert static_manifest_build() is True
    assert '"site.css"' in (tmp_path / "static" / "staticfiles.json").read_text()
    assert static_manifest_build() is False
    (tmp_path / "src" / "site.css").write_text("body { color: navy }")
    assert static_manifest_build() is True
