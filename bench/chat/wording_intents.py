"""What the chat load's question wordings are taken as: every FAQ question of faq_eval/en, worded the way
`bench/chat/load.py` words them (`load_support.vary`, seeded), classified as the chat does. They are all
questions for the knowledge base; anything else (a handoff, a status question) is counted and listed.

    DEBUG=0 nice -n 10 .venv/bin/python bench/chat/wording_intents.py [--per-question 4] [--list handoff,status]
        [--floor 0.4] [--refused-sure 0.7]
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from load_support import faq_questions, vary  # noqa: E402

from chat.engine import registry  # noqa: E402
from chat.understanding import classify  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-question", type=int, default=4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--list", default="handoff", help="print the wordings taken as these intents (a,b)")
    parser.add_argument("--refused-sure", type=float, help="chat.understanding_learned.REFUSED_SURE (above 1: off)")
    parser.add_argument("--floor", type=float, help="chat.understanding_learned.LEARNED_FLOOR")
    parser.add_argument(
        "--no-act-over-question", action="store_true", help="chat.understanding_learned.ACT_OVER_QUESTION off"
    )
    args = parser.parse_args()
    import chat.understanding_learned

    if args.no_act_over_question:
        chat.understanding_learned.ACT_OVER_QUESTION = False
    if args.refused_sure is not None:
        chat.understanding_learned.REFUSED_SURE = args.refused_sure
    if args.floor is not None:
        chat.understanding_learned.LEARNED_FLOOR = args.floor
    available = {skill.name for skill in registry.all_skills()}
    rng = random.Random(args.seed)
    texts = [vary(question, rng) for question in faq_questions() for _ in range(args.per_question)]
    counts: collections.Counter = collections.Counter()
    for text in texts:
        classified = classify(text, available=available)
        counts[classified.intent] += 1
        if classified.intent in args.list.split(","):
            print(f"  {classified.intent} {classified.confidence:.2f} {classified.detector}: {text}")
    print(f"{len(texts)} wordings: " + ", ".join(f"{intent} {n}" for intent, n in counts.most_common()))


if __name__ == "__main__":
    main()
