"""The one per-process TTL cache (core.cache)."""

import threading

import core.cache
from core.cache import TTLCache, caches_clear_all


def _clock(monkeypatch, start=1000.0):
    now = [start]
    monkeypatch.setattr(core.cache, "_now", lambda: now[0])
    return now


def test_a_value_is_kept_for_its_ttl_then_loaded_again(monkeypatch):
    now = _clock(monkeypatch)
    cache = TTLCache("test", ttl=10, maxsize=10)
    loads = []

    def load():
        loads.append(now[0])
        return len(loads)

    assert cache.get_or_load("k", load) == 1
    now[0] += 9.9
    assert cache.get_or_load("k", load) == 1
    now[0] += 0.2
    assert cache.get_or_load("k", load) == 2
    assert cache.get_or_load("k", load, fresh=True) == 3


def test_none_is_kept_unless_told_otherwise(monkeypatch):
    _clock(monkeypatch)
    cache = TTLCache("test", ttl=10, maxsize=10)
    calls = []
    assert cache.get_or_load("a", lambda: calls.append(1)) is None
    assert cache.get_or_load("a", lambda: calls.append(1)) is None
    assert len(calls) == 1
    cache.set("b", "stale")
    assert cache.get_or_load("b", lambda: None, keep_none=False, fresh=True) is None
    assert cache.get("b", "gone") == "gone"


def test_full_cache_drops_the_least_recently_used(monkeypatch):
    _clock(monkeypatch)
    cache = TTLCache("test", ttl=10, maxsize=2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.get("a")
    cache.set("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_clear_all_empties_every_cache():
    first, second = TTLCache("one", ttl=10), TTLCache("two", ttl=10)
    first.set("x", 1)
    second.set("y", 2)
    caches_clear_all()
    assert len(first) == 0 and len(second) == 0


def test_many_threads_share_one_cache():
    cache = TTLCache("test", ttl=60, maxsize=50)
    errors = []

    def work(offset):
        try:
            for i in range(2000):
                key = (offset + i) % 80
                assert cache.get_or_load(key, lambda key=key: key * 2) == key * 2
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(cache) <= 50
