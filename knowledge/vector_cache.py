"""Exact dense search for small agencies from a per-process copy of their vectors.

An agency below half the HNSW threshold has no vector index, so each question used to make PostgreSQL
read every live chunk twice and compute both cosines in SQL: ~2,000 eight-kilobyte rows and ~8 ms of
database CPU per question at 2,000 chunks, the largest single cost of a chat turn
(bench/chat/RESULTS.md). Here the agency's live vectors are read once into numpy (a few MB) and each
question is two matrix-vector products (well under a millisecond). The results are the same as the SQL
scan's (`tests/knowledge/test_vector_cache.py`).

Freshness: a trigger on `knowledge_chunk` (migration 0003) gives the agency a new generation number in the
`LexicalTerm` row `GENERATION_FEATURE` whenever a statement inserts, changes or deletes live chunks
(activation, retirement, audience, re-embedding, deletion). Search reads that number in the same
statement as its word statistics, and a copy is used only when it was loaded at that very generation.
The number is read before the vectors are, so a copy can only ever be newer than its number (reloaded
once more), never older. Without a number (an agency whose statistics are being rebuilt) search uses SQL.

Isolation: entries are keyed by agency id and filled by a query filtered on that agency; nothing is shared
between agencies. Memory is bounded per process (`KNOWLEDGE_VECTOR_CACHE_MB`, 0 turns the cache off).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from core.sql import agency_cursor

# BLAS runs on one thread in every process (`core.process.tune`): a product of this size takes ~0.1 ms.

GENERATION_FEATURE = -2  # LexicalTerm row holding the agency's live-chunk generation (see the trigger)


@dataclass
class _Matrix:
    """Unit-length copies of one vector column: `rows[inverse[i]]` is chunk i's vector (identical vectors
    are stored and scored once, so identical passages always get identical scores); `present[i]` is False
    where the column is NULL."""

    rows: np.ndarray
    inverse: np.ndarray
    present: np.ndarray

    @classmethod
    def build(cls, blobs: list[bytes | None], dim: int) -> _Matrix:
        present = np.array([blob is not None for blob in blobs], dtype=bool)
        full = np.zeros((len(blobs), dim), dtype=np.float32)
        for i, blob in enumerate(blobs):
            if blob is not None:
                full[i] = _vector(blob)
        unique, inverse = np.unique(full, axis=0, return_inverse=True)
        norms = np.linalg.norm(unique, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return cls(rows=(unique / norms).astype(np.float32), inverse=inverse.reshape(-1), present=present)

    def cosines(self, query: np.ndarray) -> np.ndarray:
        return (self.rows @ query)[self.inverse]

    @property
    def nbytes(self) -> int:
        return self.rows.nbytes + self.inverse.nbytes + self.present.nbytes


@dataclass
class AgencyVectors:
    generation: int
    ids: np.ndarray
    public: np.ndarray
    body: _Matrix
    head: _Matrix

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.public.nbytes + self.body.nbytes + self.head.nbytes


def _vector(blob: bytes) -> np.ndarray:
    # pgvector's binary format: int16 dimensions, int16 unused, then big-endian float4 values.
    return np.frombuffer(blob, dtype=">f4", offset=4)


class VectorCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[int, str], AgencyVectors] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: set[tuple[int, str]] = set()
        self._too_large: dict[tuple[int, str], int] = {}  # agencies whose copy would not fit, by generation

    def get(self, *, agency_id: int, embedder_key: str, generation: int | None, dim: int) -> AgencyVectors | None:
        """The agency's vectors at exactly `generation`, loading them if this thread can; None: use SQL
        (no generation known, the cache is off, or another thread is loading them right now)."""
        if generation is None or self.max_bytes <= 0:
            return None
        key = (int(agency_id), embedder_key)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.generation == generation:
                self._entries.move_to_end(key)
                return entry
            if key in self._loading or self._too_large.get(key) == generation:
                return None
            self._loading.add(key)
        try:
            entry = _load(agency_id=int(agency_id), embedder_key=embedder_key, generation=generation, dim=dim)
            with self._lock:
                if entry.nbytes > self.max_bytes:
                    # Search this agency in SQL until its chunks change (not a reload for every question).
                    self._too_large[key] = generation
                    self._entries.pop(key, None)
                    return None
                self._too_large.pop(key, None)
                self._entries[key] = entry
                self._entries.move_to_end(key)
                while sum(item.nbytes for item in self._entries.values()) > self.max_bytes:
                    self._entries.popitem(last=False)
            return entry
        finally:
            with self._lock:
                self._loading.discard(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._too_large.clear()


def _load(*, agency_id: int, embedder_key: str, generation: int, dim: int) -> AgencyVectors:
    with agency_cursor(agency_id) as cursor:
        # Binary results: the vectors arrive as pgvector's binary format (no text parsing).
        cursor.execute(
            "SELECT id, audience = 'public', embedding, heading_embedding FROM knowledge_chunk "
            "WHERE agency_id = %s AND is_live AND embedder = %s ORDER BY id",
            [agency_id, embedder_key],
            binary=True,
        )
        rows = cursor.fetchall()
    rows = [row for row in rows if _fits(row[2], dim) and _fits(row[3], dim)]
    return AgencyVectors(
        generation=generation,
        ids=np.array([row[0] for row in rows], dtype=np.int64),
        public=np.array([bool(row[1]) for row in rows], dtype=bool),
        body=_Matrix.build([row[2] for row in rows], dim),
        head=_Matrix.build([row[3] for row in rows], dim),
    )


def _fits(blob: bytes | None, dim: int) -> bool:
    return blob is None or int.from_bytes(blob[:2], "big") == dim


_cache: VectorCache | None = None
_cache_lock = threading.Lock()


def vector_cache() -> VectorCache:
    global _cache
    if _cache is None:
        with _cache_lock:
            if _cache is None:
                _cache = VectorCache(int(getattr(settings, "KNOWLEDGE_VECTOR_CACHE_MB", 256)) * 1024 * 1024)
    return _cache


def nearest_pairs(entry: AgencyVectors, *, vector, audience_public: bool, depth: int):
    """The `depth` nearest chunks by passage vector and by heading vector, each with both cosines:
    (rows of (chunk id, which list, its cosine, the other cosine or None), as `exact_dense_pairs` reads)."""
    query = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(query))
    if norm == 0:
        return []
    query = query / norm
    body = entry.body.cosines(query)
    head = entry.head.cosines(query)
    allowed = entry.public if audience_public else np.ones(len(entry.ids), dtype=bool)
    out = []
    for which, scores, present, other, other_present in (
        (0, body, entry.body.present, head, entry.head.present),
        (1, head, entry.head.present, body, entry.body.present),
    ):
        candidates = np.flatnonzero(allowed & present)
        if not len(candidates):
            continue
        if len(candidates) > depth:
            # Ties at the cut are settled by chunk id (as the sort below does), so the list is deterministic.
            kth = np.partition(-scores[candidates], depth - 1)[depth - 1]
            candidates = candidates[-scores[candidates] <= kth]
        order = np.lexsort((entry.ids[candidates], -scores[candidates]))[:depth]
        for index in candidates[order]:
            out.append(
                (
                    int(entry.ids[index]),
                    which,
                    float(scores[index]),
                    float(other[index]) if other_present[index] else None,
                )
            )
    return out
