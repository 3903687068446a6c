"""CPU cost of understanding a message (the intent step of a chat turn), with and without the semantic
layer, interleaved in one process on the same messages, each followed by what knowledge search does next
with it: embedding the question in its language's dense space (MiniLM for English, the multilingual
encoder otherwise). The difference between the two is what the layer adds to a turn: an English message
read in MiniLM's space shares that embedding (one cache), another language shares the multilingual one.

    .venv/bin/python bench/chat/intent_cost.py [--rounds 5] [--learned]

`--learned`: the two arms are the semantic layer with its nearest utterances deciding (`CHAT_LEARNED_INTENTS=0`,
the code before the learned model) and with the learned model (`chat/engine/learned.py`), instead of off and on.

Messages: the queries of ../shared/data/faq_eval/en (plain questions: the layer's worst case, since a
question is never decided by a strong word match) and the labelled intent sets of bench/chat/data/.
Each message is new to the encoder's per-process question cache (as a citizen's new question is), so the
cache is cleared before every pass. Prints CPU ms per message (process time) per pass and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from chat.engine import registry, semantic  # noqa: E402
from chat.understanding import classify  # noqa: E402
from core.language import detect as detect_language  # noqa: E402
from core.process import tune  # noqa: E402
from knowledge.embedders import dense_embedder, embedder_for, multilingual_embedder  # noqa: E402

SHARED_DIR = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), ROOT.parent / "shared")
SHARED = SHARED_DIR / "data" / "faq_eval" / "en" / "queries.jsonl"


def messages() -> list[str]:
    texts = [json.loads(line)["query"] for line in SHARED.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name in ("dev", "held"):
        for line in (ROOT / "bench" / "chat" / "data" / f"intents_{name}.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                texts.append(line.split("\t", 2)[2])
    return texts


def one_pass(texts, *, on: bool, learned: bool = False) -> float:
    if learned:
        settings.CHAT_SEMANTIC_INTENTS, settings.CHAT_LEARNED_INTENTS = True, on
    else:
        settings.CHAT_SEMANTIC_INTENTS, settings.CHAT_LEARNED_INTENTS = on, False
    semantic.reset()  # rebuilt (off: none) outside the timing
    available = {skill.name for skill in registry.all_skills()}
    classify("warm up", available=available)
    for encoder in (multilingual_embedder(), dense_embedder()):
        if encoder is not None:
            encoder.cache._items.clear()  # every message new, as a citizen's new question is
    started = time.process_time()
    for text in texts:
        classify(text, available=available)
        embedder, _key = embedder_for(detect_language(text).written)  # retrieval's question vector
        if embedder is not None:
            embedder.embed_query(text.strip())
    return (time.process_time() - started) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--learned", action="store_true", help="nearest utterances vs the learned model")
    args = parser.parse_args()
    tune(serves_sockets=True)  # as the web process would at start
    texts = messages()
    results = {True: [], False: []}
    for round_ in range(args.rounds):
        for on in (False, True) if round_ % 2 == 0 else (True, False):
            results[on].append(one_pass(texts, on=on, learned=args.learned))
            arm = ("learned" if on else "nearest") if args.learned else ("semantic on " if on else "semantic off")
            print(f"round {round_ + 1} {arm}: {results[on][-1]:.2f} ms CPU per message")
    off, on = statistics.median(results[False]), statistics.median(results[True])
    names = ("the nearest utterances", "the learned model") if args.learned else ("words only", "the semantic layer")
    print(
        f"{len(texts)} messages; median CPU per message and its search embedding: {names[0]} {off:.2f} ms, "
        f"{names[1]} {on:.2f} ms ({on - off:+.2f} ms); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
