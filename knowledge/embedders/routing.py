"""Which embedder a text or question goes to: `KNOWLEDGE_EMBEDDER` picks the dense one,
`KNOWLEDGE_MULTILINGUAL_EMBEDDER` the one for the languages it does not know; one instance of each per
process."""

from __future__ import annotations

from django.conf import settings

from core.language import primary as primary_language
from knowledge.embedders.errors import EmbeddingError
from knowledge.embedders.minilm import MiniLMEmbedder
from knowledge.embedders.multilingual import MultilingualEmbedder
from knowledge.embedders.remote import OpenAIEmbedder


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


def dense_covers(language: str) -> bool:
    """Whether the dense embedder understands `language` (MiniLM: English only; an API model: all), unless
    `KNOWLEDGE_DENSE_LANGUAGES` says otherwise."""
    configured = getattr(settings, "KNOWLEDGE_DENSE_LANGUAGES", None)
    if configured is None:
        configured = ["*"] if dense_embedder_key().startswith("openai") else ["en"]
    return "*" in configured or primary_language(language) in configured


def multilingual_embedder() -> MultilingualEmbedder | None:
    name = getattr(settings, "KNOWLEDGE_MULTILINGUAL_EMBEDDER", "none") or "none"
    if name == "none":
        return None
    if name != "use":
        raise EmbeddingError(f"Unknown KNOWLEDGE_MULTILINGUAL_EMBEDDER {name!r} (use use or none).")
    if ("use",) not in _dense_cache:
        _dense_cache[("use",)] = MultilingualEmbedder()
    return _dense_cache[("use",)]


def embedder_for(language: str) -> tuple[object | None, str]:
    """(embedder, key) for text or a question in `language`: the dense embedder where it knows the language,
    else the multilingual one where that knows it, else (None, ""): lexical vectors and full text only.
    `KNOWLEDGE_EMBEDDER=none` means no dense vectors at all, in any language."""
    language = primary_language(language)
    embedder = dense_embedder()
    if embedder is None:
        return None, ""
    if dense_covers(language):
        return embedder, dense_embedder_key()
    multilingual = multilingual_embedder()
    if multilingual is not None and language in multilingual.languages:
        return multilingual, multilingual.key
    return None, ""


def query_cache_stats() -> dict | None:
    """Hit statistics of the dense embedder's query cache in this process (None without one)."""
    embedder = dense_embedder()
    cache = getattr(embedder, "cache", None)
    return cache.stats() if cache is not None else None


def query_text_for(embedder, *, agency, text: str) -> str:
    """The question as `embedder` may see it: a remote embedding service (outside the installation) gets
    the citizen's words with personal data masked per the agency's policy, exactly as an LLM prompt does
    (`core.pii.mask_for_llm`: e-mail addresses, phone numbers, SSNs, cards and IBANs unless `llm_allowed`);
    a model running in this process gets them as typed."""
    if getattr(embedder, "remote", False):
        from core.pii import mask_for_llm

        return mask_for_llm(agency, text)
    return text
