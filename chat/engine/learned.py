"""A learned intent model: multinomial logistic regression over what a turn already has.

The features of a message are its sentence vector (the encoder the semantic layer reads it with:
MiniLM for a message surely English when MiniLM is the dense embedder, the multilingual USE-m3 otherwise;
both cached per process, and knowledge search asks the same encoder for the same text) and hashed
character n-grams of its normalized text (lower case, no accents: a phone's "den duong" and "đèn đường"
share them). Nothing else is run: no encoder of its own.

The weights (`data/intent_model.npz`, one model per space) are trained by `bench/chat/intent_train.py`
from every labelled utterance we have (`data/intent_examples.tsv`, the skills' examples, the evaluation sets
`bench/chat/data/intents_*.tsv` and the training-only `bench/chat/data/intents_train.tsv` and
`intents_train_blind23.tsv`); it is deterministic, and the command is written in that script and in
bench/chat/RESULTS.md. Inference is numpy only: a softmax over the intents the agency offers.
"""

from __future__ import annotations

import io
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chat.engine.intents import ask_tail, normalize

WEIGHTS = Path(__file__).resolve().parent / "data" / "intent_model.npz"
HASH_BITS = 13
HASH_SIZE = 1 << HASH_BITS
NGRAMS = (2, 3, 4)  # character n-grams across word boundaries (Han and Hangul have no spaces)
NGRAM_WEIGHT = 1.0  # the n-gram block's norm against the sentence vector's (1.0: both unit vectors)


def ngram_indices(text: str, *, normalized: str | None = None) -> dict[int, float]:
    """Hashed character n-grams and words of `text` (normalized), sublinear counts, unit norm: {bucket: weight}."""
    normalized = f" {normalize(text) if normalized is None else normalized} "
    counts: dict[int, int] = {}
    grams = [normalized[i : i + n] for n in NGRAMS for i in range(len(normalized) - n + 1)]
    grams.extend("w:" + word for word in normalized.split())
    for gram in grams:
        bucket = zlib.crc32(gram.encode("utf-8")) & (HASH_SIZE - 1)
        counts[bucket] = counts.get(bucket, 0) + 1
    if not counts:
        return {}
    weights = {bucket: 1.0 + float(np.log(count)) for bucket, count in counts.items()}
    norm = float(np.sqrt(sum(w * w for w in weights.values())))
    return {bucket: NGRAM_WEIGHT * w / norm for bucket, w in weights.items()}


def tail_indices(text: str) -> dict[int, float]:
    """The n-grams of the message's end (`chat.engine.tails.ask_tail`: a long message's last clause, at most its
    last twelve words; a short message whole), a block of their own: where a long message asks is read apart from
    its context."""
    return ngram_indices(text, normalized=ask_tail(normalize(text)))


def blocks(text: str, tail: bool) -> list[dict[int, float]]:
    """The message's n-gram blocks: the whole text's, and with `tail` its end's."""
    return [ngram_indices(text), tail_indices(text)] if tail else [ngram_indices(text)]


def feature_row(text: str, vector: np.ndarray, tail: bool = False) -> np.ndarray:
    """The dense feature row (training): the unit sentence vector, then each n-gram block's buckets."""
    parts = blocks(text, tail)
    row = np.zeros(len(vector) + HASH_SIZE * len(parts), dtype=np.float32)
    row[: len(vector)] = vector
    for number, part in enumerate(parts):
        for bucket, weight in part.items():
            row[len(vector) + number * HASH_SIZE + bucket] = weight
    return row


@dataclass(frozen=True)
class SpaceModel:
    intents: tuple[str, ...]
    weights: np.ndarray  # (intents, vector dim + HASH_SIZE per n-gram block)
    bias: np.ndarray  # (intents,)
    tail: bool = False  # a second n-gram block: the message's end (`tail_indices`)

    @property
    def dim(self) -> int:
        return self.weights.shape[1] - HASH_SIZE * (2 if self.tail else 1)

    def logits(self, text: str, vector: np.ndarray) -> np.ndarray:
        out = self.weights[:, : self.dim] @ vector + self.bias
        for number, ngrams in enumerate(blocks(text, self.tail)):
            if ngrams:
                offset = self.dim + number * HASH_SIZE
                buckets = np.fromiter(ngrams.keys(), dtype=np.int64, count=len(ngrams)) + offset
                values = np.fromiter(ngrams.values(), dtype=np.float32, count=len(ngrams))
                out = out + self.weights[:, buckets] @ values
        return out

    def probabilities(self, text: str, vector: np.ndarray, allowed) -> dict[str, float]:
        """P(intent | message) over the intents in `allowed` (a softmax over them only)."""
        logits = self.logits(text, np.asarray(vector, dtype=np.float32))
        keep = [i for i, intent in enumerate(self.intents) if intent in allowed]
        if not keep:
            return {}
        chosen = logits[keep].astype(np.float64)
        chosen = np.exp(chosen - chosen.max())
        chosen /= chosen.sum()
        return {self.intents[i]: float(p) for i, p in zip(keep, chosen, strict=True)}


def save(path: Path, models: dict[str, SpaceModel], meta: str) -> None:
    """Write the models byte for byte the same for the same weights (fixed zip dates, float16 weights)."""
    arrays = {"meta": np.array(meta)}
    for space, model in models.items():
        arrays[f"{space}.intents"] = np.array(model.intents)
        arrays[f"{space}.weights"] = model.weights.astype(np.float16)
        arrays[f"{space}.bias"] = model.bias.astype(np.float32)
        if model.tail:
            arrays[f"{space}.tail"] = np.array(1, dtype=np.int8)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def load(path: Path = WEIGHTS) -> dict[str, SpaceModel]:
    models = {}
    with np.load(path, allow_pickle=False) as data:
        spaces = {name.split(".", 1)[0] for name in data.files if "." in name}
        for space in sorted(spaces):
            models[space] = SpaceModel(
                tuple(str(intent) for intent in data[f"{space}.intents"]),
                data[f"{space}.weights"].astype(np.float32),
                data[f"{space}.bias"].astype(np.float32),
                f"{space}.tail" in data.files,
            )
    return models


_models: dict[str, SpaceModel] | None = None
_lock = threading.Lock()


def models() -> dict[str, SpaceModel]:
    """The shipped models, loaded once per process ({} when the file is missing or unreadable)."""
    global _models
    if _models is None:
        with _lock:
            if _models is None:
                try:
                    _models = load()
                except (OSError, ValueError, KeyError):
                    import logging

                    logging.getLogger(__name__).exception("the learned intent model did not load; rules only")
                    _models = {}
    return _models


def probabilities(text: str, space: str, vector, allowed) -> dict[str, float] | None:
    """P(intent) among `allowed` for `text` read in `space` ("use" or "en"), or None without a model for it."""
    model = models().get(space)
    if model is None or len(vector) != model.dim:
        return None
    return model.probabilities(text, vector, allowed)


def use_models(replacement: dict[str, SpaceModel] | None) -> None:
    """Use `replacement` instead of the shipped file (a benchmark's fold; None: the shipped file again)."""
    global _models
    with _lock:
        _models = replacement
