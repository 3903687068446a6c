"""The lexical-vector list of a German question in language_filter.py's `lf-big` agency (issue 19): HNSW (the
production scan, `hnsw.ef_search` 800; and 400, 200) vs an exact scan of every row vs one of the German rows only.

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/lexical_language.py

Runs in a tree that has `language_filter.py --keep`'s agencies. For faq_eval/de's 107 questions (public), the
production statement's shape (depth 100) three ways, each timed alone without prepared statements; prints p50 / p95 /
mean ms, each HNSW beam's recall@10 against the exact scan, and how much of the exact top 100 is German (what a list limited
to the question's language would keep).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django
from django.conf import settings

django.setup()
settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
from django.db import connection, transaction  # noqa: E402

from knowledge.embedders import lexical_embedder  # noqa: E402
from knowledge.evaluation import EvalSet  # noqa: E402
from knowledge.retrieval.pipeline import query_idf  # noqa: E402
from knowledge.retrieval.sql import vector_literal  # noqa: E402
from tenants.context import agency_context, cross_agency  # noqa: E402
from tenants.models import Agency  # noqa: E402

DATA = Path("/work/shared/data/faq_eval/de")
SCANS = (
    ("hnsw, ef_search 800", "", 800),
    ("exact, every row", "", 0),
    ("exact, German rows", "de", 0),
    ("hnsw, ef_search 400", "", 400),
    ("hnsw, ef_search 200", "", 200),
)


def main():
    with cross_agency(reason="bench: find language_filter.py's kept agency"):
        agency = Agency.objects.get(slug="lf-big")
    questions = [q["query"] for q in EvalSet.load(DATA).queries]
    embedder = lexical_embedder()
    ms = {name: [] for name, _, _ in SCANS}
    recall, german_share = {name: [] for name, _, beam in SCANS if beam}, []
    print("load", os.getloadavg())
    with agency_context(agency):
        for question in questions:
            idf, unseen = query_idf(agency=agency, features=embedder.feature_set(question))
            literal = vector_literal(embedder.embed(question, idf=idf, unseen_idf=unseen))
            found = {}
            for name, language, beam in SCANS:
                sql = (
                    "SELECT id FROM knowledge_chunk WHERE agency_id = %s AND is_live AND lexical IS NOT NULL "  # noqa: S608 - constant text
                    "AND audience = 'public'"
                    + (" AND language = %s" if language else "")
                    + " ORDER BY lexical <=> %s::vector LIMIT 100"
                )
                params = [agency.pk, *([language] if language else []), literal]
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('hnsw.ef_search', %s, true), set_config('enable_indexscan', %s, true)",
                        [str(beam or 40), "on" if beam else "off"],
                    )
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    found[name] = [row[0] for row in cursor.fetchall()]
                    ms[name].append(1000 * (time.perf_counter() - started))
            exact, german = found["exact, every row"], found["exact, German rows"]
            for name, values in recall.items():
                values.append(len(set(found[name][:10]) & set(exact[:10])) / max(1, min(10, len(exact))))
            german_share.append(len(set(exact) & set(german)) / max(1, len(exact)))
    for name, values in ms.items():
        values.sort()
        print(
            f"{name}: p50 {values[len(values) // 2]:.2f} p95 {values[int(len(values) * 0.95)]:.2f} "
            f"mean {statistics.mean(values):.2f} ms"
        )
    for name, values in recall.items():
        print(f"{name}: recall@10 vs exact {statistics.mean(values):.3f}")
    german_share.sort()
    print(
        f"German share of the exact top 100: mean {statistics.mean(german_share):.3f}, "
        f"min {german_share[0]:.2f}, median {german_share[len(german_share) // 2]:.2f}"
    )
    print("load", os.getloadavg())


if __name__ == "__main__":
    main()
