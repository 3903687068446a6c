"""The knowledge dashboard with and without one erasure-generation read for the unanswered questions'
vectors (analytics/dashboard/clusters.py `_vectors` inside `one_epoch_read()`), in the same process,
alternating before / after twice, 15 timings each after a warm-up.

    flock /work/bench.lock .venv/bin/python -m bench.analytics.knowledge_epoch

Needs the data of `bench.analytics.run` (its own database). "Before" replaces `one_epoch_read` by a no-op,
which is what the code did before: a Redis GET per question lookup (up to 400 questions on the page).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import time

RUNS = 15


def main() -> None:
    from bench.analytics.run import env_setup

    env_setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    import knowledge.embedders.queries as queries

    real = queries.one_epoch_read
    user = get_user_model().objects.get(username="bench-analyst")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = "/a/big/staff/analytics/?view=knowledge"
    client.get(url)
    variants = {"before (a Redis read per lookup)": contextlib.nullcontext, "after (one read a page)": real}
    results: dict[str, list] = {name: [] for name in variants}
    try:
        for _round in range(2):
            for name, scope in variants.items():
                queries.one_epoch_read = scope
                client.get(url)
                samples = []
                for _ in range(RUNS):
                    started = time.perf_counter()
                    assert client.get(url).status_code == 200
                    samples.append((time.perf_counter() - started) * 1000)
                samples.sort()
                results[name].append((statistics.median(samples), samples[round(0.95 * (len(samples) - 1))]))
    finally:
        queries.one_epoch_read = real
    print(f"load average: {os.getloadavg()}")
    print("| knowledge dashboard, last 30 days | p50 / p95 ms (round 1 · round 2) |\n|---|---|")
    for name, rounds in results.items():
        print(f"| {name} | {' · '.join(f'{p50:.0f} / {p95:.0f}' for p50, p95 in rounds)} |")


if __name__ == "__main__":
    main()
