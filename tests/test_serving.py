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
    widget's hashed entry loads its parts by their hashed names; the unhashed one (the one-tag embed) by
    theirs, and every part in static/chat/widget/ is loaded (portal/staticstorage.py)."""
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
    parts = sorted(f"chat/widget/{path.name}" for path in (Path(settings.BASE_DIR) / "static/chat/widget").glob("*.js"))
    assert parts
    plain = [
        "chat/" + name for name in re.findall(r'"(widget/[a-z0-9_-]+\.js)"', (tmp_path / "chat/widget.js").read_text())
    ]
    entry = (tmp_path / paths["chat/widget.js"]).read_text()
    hashed = ["chat/" + name for name in re.findall(r'"(widget/[a-z0-9_.-]+\.js)"', entry)]
    assert sorted(plain) == parts  # every part, each once
    assert hashed == [paths[part] for part in plain]
    assert all((tmp_path / paths[part]).is_file() and paths[part] != part for part in parts)


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
