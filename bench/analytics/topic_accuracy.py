"""Topic and sentiment accuracy of the feedback classifier on bench/analytics/feedback_labelled.jsonl.

    .venv/bin/python -m bench.analytics.topic_accuracy

The set: 60 pieces of feedback (48 English, 12 Spanish) written for this benchmark in the style of public
comments to a city (311 comments, council feedback forms), labelled with the default city topics and a
sentiment by the same person: not copied from anywhere, and not seen by the seeds (which were written first).
Two measures, both with the classifier's own code (analytics.feedback.classifier):
- seeds only: what a new agency gets on day one;
- with staff corrections, 5-fold: four folds are added as corrections (as `centroids` weighs them), the fifth is scored.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    from analytics.feedback import classifier
    from analytics.feedback.topics import default_topics

    rows = [json.loads(line) for line in (Path(__file__).parent / "feedback_labelled.jsonl").read_text().splitlines()]
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
    sentiment_hits = sum(classifier.sentiment(row["text"])[0] == row["sentiment"] for row in rows)
    print(f"feedback set: {len(rows)} texts, {len(slugs)} topics")
    print(f"topic accuracy, seeds only: {seed_acc:.3f} ({int(seed_acc * len(rows))}/{len(rows)})")
    print(f"topic accuracy, with corrections (5-fold): {cv_acc:.3f} ({hits}/{len(rows)})")
    print(f"sentiment accuracy (lexicon, no rating): {sentiment_hits / len(rows):.3f} ({sentiment_hits}/{len(rows)})")
    for t, slug in enumerate(slugs):
        mask = labels == t
        if mask.any():
            print(f"  {slug}: seeds {float((seed_pred[mask] == t).mean()):.2f} ({int(mask.sum())})")


if __name__ == "__main__":
    import django

    django.setup()
    main()
