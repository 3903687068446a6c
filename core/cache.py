"""Small per-process caches of rarely changing rows (settings, catalogue entries, API keys).

One helper for all of them: a `cachetools.TTLCache` behind a lock (cachetools is not thread-safe and
web processes serve requests on many threads). Entries live `ttl` seconds, so a change made by another
process is seen within that time; the process that makes a change clears its own copy at once.
The least recently used entry makes room when the cache is full.

    _settings = TTLCache("request settings", ttl=30, maxsize=10_000)
    found = _settings.get_or_load(agency.pk, lambda: load(agency))
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

import cachetools

_MISSING = object()
_registry: list[TTLCache] = []


def _now() -> float:
    # Looked up on every call (not bound once) so tests can move the clock: `monkeypatch.setattr(core.cache,
    # "_now", …)`.
    return time.monotonic()


class TTLCache:
    def __init__(self, name: str, *, ttl: float, maxsize: int = 10_000):
        self.name = name
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: cachetools.TTLCache = cachetools.TTLCache(maxsize=maxsize, ttl=ttl, timer=lambda: _now())
        _registry.append(self)

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            return self._items.get(key, default)

    def set(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value

    def get_or_load(self, key: Hashable, load: Callable[[], Any], *, fresh: bool = False, keep_none: bool = True):
        """The cached value, or `load()`'s (stored unless it is None and `keep_none` is false).

        `fresh`: load and store again even when cached. The load runs outside the lock: two threads may
        both load a missing key once, which is cheaper than serialising every miss."""
        if not fresh:
            with self._lock:
                value = self._items.get(key, _MISSING)
            if value is not _MISSING:
                return value
        value = load()
        with self._lock:
            if value is None and not keep_none:
                self._items.pop(key, None)
            else:
                self._items[key] = value
        return value

    def pop(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def caches_clear_all() -> None:
    """Empty every cache of this process (tests; an admin change that affects many entries)."""
    for cache in list(_registry):
        cache.clear()
