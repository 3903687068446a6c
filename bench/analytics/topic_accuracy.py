"""Topic and sentiment accuracy of the feedback classifier.

    .venv/bin/python -m bench.analytics.topic_accuracy                 # the held-out set (the numbers to report)
    .venv/bin/python -m bench.analytics.topic_accuracy --set labelled  # the development set

`feedback_heldout.jsonl` is only ever scored; `feedback_labelled.jsonl` is the development set below.

The set: 60 pieces of feedback (48 English, 12 Spanish) written for this benchmark in the style of public
comments to a city (311 comments, council feedback forms), labelled with the default city topics and a
sentiment by the same person: not copied from anywhere, and not seen by the seeds (which were written first).
Two measures, both with the classifier's own code (analytics.feedback.classifier):
- seeds only: what a new agency gets on day one;
- with staff corrections, 5-fold: four folds are added as corrections (as `centroids` weighs them), the fifth is scored.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    from analytics.feedback import classifier
    from analytics.feedback.topics import default_topics

    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=("heldout", "labelled"), default="heldout")
    args = parser.parse_args()
    name = f"feedback_{args.set}.jsonl"
    rows = [json.loads(line) for line in (Path(__file__).parent / name).read_text().splitlines()]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    topics = default_topics("city")
    slugs = [slug for slug, _name, _examples in topics]
    seeds = [classifier.embed(examples) for _slug, _name, examples in topics]
    vectors = classifier.embed([row["text"] for row in rows])
    labels = np.array([slugs.index(row["topic"]) for row in rows])

    def centres(extra_idx):
        out = []
        for t, seed in enumerate(seeds):
            total, weight = seed.sum(axis=0), len(seed)
            mine = [i for i in extra_idx if labels[i] == t]
            if mine:
                total = total + classifier.CORRECTION_WEIGHT * vectors[mine].sum(axis=0)
                weight += classifier.CORRECTION_WEIGHT * len(mine)
            c = total / weight
            out.append(c / np.linalg.norm(c))
        return np.array(out)

    seed_pred = (vectors @ centres([]).T).argmax(axis=1)
    seed_acc = float((seed_pred == labels).mean())
    order = list(range(len(rows)))
    random.Random(18).shuffle(order)
    folds = [order[i::5] for i in range(5)]
    hits = 0
    for k, fold in enumerate(folds):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        pred = (vectors[fold] @ centres(train).T).argmax(axis=1)
        hits += int((pred == labels[fold]).sum())
    cv_acc = hits / len(rows)
    started = time.perf_counter()
    classifier.sentiment_centroids()  # the example sentences' vectors, once per process
    centroid_ms = (time.perf_counter() - started) * 1000
    moods, timings = [], []
    for vector in vectors:
        started = time.perf_counter()
        moods.append(classifier.sentiment(vector)[0])
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    for row in rows:
        classifier.embed([row["text"]])
    embed_ms = (time.perf_counter() - started) * 1000 / len(rows)
    gold = [row["sentiment"] for row in rows]
    sentiment_hits = sum(m == g for m, g in zip(moods, gold, strict=True))
    print(f"feedback set {name}: {len(rows)} texts, {len(slugs)} topics")
    print(f"topic accuracy, seeds only: {seed_acc:.3f} ({round(seed_acc * len(rows))}/{len(rows)})")
    print(f"topic accuracy, with corrections (5-fold): {cv_acc:.3f} ({hits}/{len(rows)})")
    print(f"sentiment accuracy (no rating): {sentiment_hits / len(rows):.3f} ({sentiment_hits}/{len(rows)})")
    for t, slug in enumerate(slugs):
        mask = labels == t
        if mask.any():
            print(f"  topic {slug}: seeds {float((seed_pred[mask] == t).mean()):.2f} ({int(mask.sum())})")
    for mood in classifier.SENTIMENTS:
        wanted = [i for i, g in enumerate(gold) if g == mood]
        said = [i for i, m in enumerate(moods) if m == mood]
        right = sum(moods[i] == mood for i in wanted)
        precision = right / len(said) if said else 0.0
        print(f"  sentiment {mood}: recall {right}/{len(wanted)}, precision {right}/{len(said)} ({precision:.2f})")
    print(
        f"sentiment cost: centroids built once in {centroid_ms:.0f} ms; per feedback p50 "
        f"{statistics.median(timings) * 1000:.0f} µs, max {max(timings) * 1000:.0f} µs on top of the sentence "
        f"vector the topic needs anyway ({embed_ms:.1f} ms a text); peak RSS {rss_before / 1024:.0f} MB before "
        f"loading, {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB after (the encoder)"
    )


if __name__ == "__main__":
    import django

    django.setup()
    main()
