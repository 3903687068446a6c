"""Question vectors: a per-process LRU of them, and the batching of questions that arrive at once."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

# The generation of every process's question-vector caches, held in Redis. Erasing a citizen's data bumps it
# (`query_vectors_forget`): each cache compares it on every lookup and drops all it holds when it moved, so
# no process serves, or keeps, a vector built from the erased person's words past its next question.
EPOCH_KEY = "knowledge:query-vectors:epoch"


# Inside `one_epoch_read()` (a chat turn) the generation is read once, on first use, and kept for the scope.
_scope: ContextVar[dict | None] = ContextVar("query_vectors_epoch_scope", default=None)


@contextmanager
def one_epoch_read() -> Iterator[None]:
    """Read the erasure generation at most once within: a chat turn embeds its question two or three times
    (intent layer, retrieval), each a cache lookup that would otherwise ask Redis. An erasure that commits
    during the turn is seen by the next turn, which empties the cache before reading it: no vector from the
    erased words is served or kept past the next question."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def query_vectors_epoch() -> int | None:
    """The current generation (0 before any erasure); None when Redis cannot say (then nothing is cached)."""
    scope = _scope.get()
    if scope is not None:
        if "epoch" not in scope:
            scope["epoch"] = _read_epoch()
        return scope["epoch"]
    return _read_epoch()


def _read_epoch() -> int | None:
    from django.core.cache import cache

    try:
        return int(cache.get(EPOCH_KEY, 0))
    except Exception:  # noqa: BLE001 - Redis down: the cache steps aside rather than guess
        return None


def query_vectors_forget() -> None:
    """Make every process drop its cached question vectors (called after an erasure commits)."""
    from django.core.cache import cache

    cache.add(EPOCH_KEY, 0, timeout=None)
    cache.incr(EPOCH_KEY)


class QueryCache:
    """LRU of query vectors by exact query text: citizens ask the same questions again and again.

    A vector depends only on the text and the model (global, not tenant data); each embedder instance
    (one per model) has its own cache. `KNOWLEDGE_QUERY_CACHE` entries (0: off). Every lookup reads the
    erasure generation from Redis (one GET) and empties the cache when it changed; a vector computed while an
    erasure happened is not stored (`cached`)."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, ...]] = OrderedDict()
        self._epoch: int | None = None
        self.hits = 0
        self.misses = 0

    def _sync(self, epoch: int) -> None:
        # Under the lock: a new generation empties the cache before anything is read or stored.
        if epoch != self._epoch:
            self._items.clear()
            self._epoch = epoch

    def get(self, text: str, *, epoch: int | None = None) -> list[float] | None:
        if self.size <= 0:
            return None
        epoch = query_vectors_epoch() if epoch is None else epoch
        if epoch is None:
            return None
        with self._lock:
            self._sync(epoch)
            vector = self._items.get(text)
            if vector is None:
                self.misses += 1
                return None
            self._items.move_to_end(text)
            self.hits += 1
        return list(vector)

    def put(self, text: str, vector: Sequence[float], *, epoch: int | None = None) -> None:
        """Store `vector`; `epoch` is the generation read before it was computed (stored only if unchanged)."""
        if self.size <= 0:
            return
        now = query_vectors_epoch()
        if now is None or (epoch is not None and now != epoch):
            return
        with self._lock:
            self._sync(now)
            self._items[text] = tuple(vector)
            self._items.move_to_end(text)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def cached(self, text: str, compute) -> list[float]:
        """The vector of `text`: from the cache, or `compute(text)` (stored unless an erasure came between)."""
        epoch = query_vectors_epoch() if self.size > 0 else None
        vector = self.get(text, epoch=epoch) if epoch is not None else None
        if vector is None:
            vector = compute(text)
            if epoch is not None:
                self.put(text, vector, epoch=epoch)
        return vector

    def stats(self) -> dict:
        with self._lock:
            lookups = self.hits + self.misses
            return {
                "size": len(self._items),
                "capacity": self.size,
                "hits": self.hits,
                "misses": self.misses,
                "hit_rate": round(self.hits / lookups, 4) if lookups else 0.0,
            }


def query_cache_size() -> int:
    return int(getattr(settings, "KNOWLEDGE_QUERY_CACHE", 4096))


class _Slot:
    __slots__ = ("done", "error", "text", "vector")

    def __init__(self, text: str):
        self.text, self.vector, self.error, self.done = text, None, None, False


class QueryBatcher:
    """Encodes queries that arrive at the same time from many threads in one forward pass.

    No thread of its own (safe across fork): the first caller to find the model idle encodes every
    query waiting at that moment (up to `max_batch`) and wakes their callers; callers arriving
    meanwhile wait for the next round. One model call at a time also keeps the CPU from being
    oversubscribed by many threads each running the model."""

    def __init__(self, encode, max_batch: int = 16):
        self._encode = encode
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Slot] = []
        self._busy = False
        self.batches = 0
        self.queries = 0

    def embed(self, text: str) -> list[float]:
        slot = _Slot(text)
        with self._cond:
            self._pending.append(slot)
        while True:
            with self._cond:
                while self._busy and not slot.done:
                    self._cond.wait()
                if slot.done:
                    break
                self._busy = True
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            try:
                vectors = self._encode([item.text for item in batch])
                for item, vector in zip(batch, vectors, strict=True):
                    item.vector = vector
            except BaseException as exc:  # noqa: BLE001 - every waiting caller gets the error, not a hang
                for item in batch:
                    item.error = exc
            finally:
                with self._cond:
                    for item in batch:
                        item.done = True
                    self.batches += 1
                    self.queries += len(batch)
                    self._busy = False
                    self._cond.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.vector
