"""The multilingual path's two constants (full-text bonus, lexical-vector bonus), cross-validated on a kept KB.

The path serves languages MiniLM does not know; no German or Chinese evaluation set is available here, so it
is measured on faq_eval/en routed through it (`KNOWLEDGE_DENSE_LANGUAGES=none`: every English chunk and
question goes to the multilingual encoder), through the production `retrieval.search`:

    KNOWLEDGE_DENSE_LANGUAGES=none flock /work/bench.lock .venv/bin/python bench/knowledge/variants.py \
        /work/shared/data/faq_eval/en --keep evaluse --only "default (language-gated)"    # load once
    KNOWLEDGE_DENSE_LANGUAGES=none .venv/bin/python bench/knowledge/multilingual_cv.py evaluse

(`make run` re-embeds every agency into the spaces the running configuration wants, a kept `evaluse` too: load
it again under a new slug afterwards.) Prints every grid point on the full set, then the held-out mean of 300 splits of the queries by relevant FAQ
into halves (the grid point with the best MRR@10, then R@1, on one half is scored on the other) against the
fixed point (0.25, 0), as in quality_run.py.
"""

import itertools
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as the process that searches would at start

from bench.knowledge.variants import reuse  # noqa: E402
from knowledge.evaluation import EvalSet, rank_documents  # noqa: E402
from knowledge.retrieval import SearchConfig  # noqa: E402
from tenants.context import agency_context  # noqa: E402

FTS_BONUS = (0.15, 0.2, 0.25, 0.3)
LEXICAL_BONUS = (0.0, 0.05, 0.1, 0.15, 0.2)
BASE = (0.25, 0.0)


def main(slug: str, directory: str = "/work/shared/data/faq_eval/en") -> None:
    evalset = EvalSet.load(directory)
    loaded = reuse(slug, evalset)
    relevant = [set(item["relevant"]) for item in evalset.queries]
    grid = list(itertools.product(FTS_BONUS, LEXICAL_BONUS))
    per: dict[tuple, np.ndarray] = {}
    with agency_context(loaded.agency):
        for fts_bonus, lexical_bonus in grid:
            config = SearchConfig(multilingual_fts_bonus=fts_bonus, multilingual_lexical_bonus=lexical_bonus)
            rows = []
            for item, rel in zip(evalset.queries, relevant, strict=True):
                ranked = rank_documents(loaded=loaded, query=item["query"], language=item.get("lang"), config=config)
                rows.append(
                    [
                        bool(ranked) and bool(ranked[0] & rel),
                        any(entries & rel for entries in ranked[:5]),
                        next((1 / k for k, entries in enumerate(ranked[:10], 1) if entries & rel), 0.0),
                    ]
                )
            per[fts_bonus, lexical_bonus] = np.array(rows, dtype=float)
            print(
                f"fts bonus {fts_bonus}, lexical bonus {lexical_bonus}: R@1/R@5/MRR {per[fts_bonus, lexical_bonus].mean(0).round(3)}"
            )
    groups = np.array([sorted(rel)[0] for rel in relevant])
    distinct = np.unique(groups)
    for name, points in (
        ("full-text bonus only", [p for p in grid if p[1] == 0.0]),
        ("full-text + lexical-vector bonus", grid),
    ):
        rng = np.random.default_rng(7)
        held, fixed = [], []
        for _ in range(300):
            train = np.isin(groups, rng.permutation(distinct)[: len(distinct) // 2])
            best = max(points, key=lambda p: tuple(per[p][train].mean(0)[[2, 0]]))
            held.append(per[best][~train].mean(0))
            fixed.append(per[BASE][~train].mean(0))
        held, fixed = np.array(held), np.array(fixed)
        diff = held - fixed
        print(
            f"{name}: held-out {held.mean(0).round(3)} vs fixed {BASE} {fixed.mean(0).round(3)}: "
            f"dR@1 {diff[:, 0].mean():+.3f} ({np.mean(diff[:, 0] > 0):.0%} of splits > 0), "
            f"dMRR {diff[:, 2].mean():+.3f} ({np.mean(diff[:, 2] > 0):.0%} > 0)"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
