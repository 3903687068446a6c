"""Any OpenAI-compatible embeddings endpoint (`EMBEDDINGS_BASE_URL`, `EMBEDDINGS_API_KEY`, `EMBEDDINGS_MODEL`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from knowledge.embedders.errors import EmbeddingError
from knowledge.embedders.queries import QueryCache, query_cache_size


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint."""

    name = "openai"
    # Text sent here leaves the installation: citizens' questions are masked first (`query_text_for`).
    remote = True

    def __init__(self, *, base_url: str, api_key: str, model: str, dim: int | None = None, timeout: float = 30):
        from openai import OpenAI

        self.model = model
        self.client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=0)
        self._dim = dim
        self.cache = QueryCache(query_cache_size())

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
        return self.cache.cached(text, lambda text: self.embed_documents([text])[0])
