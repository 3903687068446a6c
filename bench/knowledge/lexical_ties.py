"""Why the lexical list's recall@10 against an exact scan moves between builds of the same data.

    DEBUG=0 .venv/bin/python bench/knowledge/lexical_ties.py [--agency bench-0] [--reindex]

Run after `bench_search.py --keep` (the bench agencies stay). Reads the agency's live lexical vectors once
and computes the exact reference in numpy (cosine, ties broken by chunk id), so no sequential scans are
needed; then asks `retrieval.lexical_list` (the search's own list, through the agency's partial HNSW
index at its ef_search) for each eval question, public and staff. Prints, per audience:

- `ids_recall`: share of the exact top 10's ids returned (what `bench_search.py` reported before 2026-12-05);
- `tie_aware_recall`: share of the top 10 filled with a chunk at least as near as the exact 10th;
- `queries_with_tie_at_10th`: questions whose 10th and 11th exact distances are equal;
- `missed_clusters`: questions where the index returned farther chunks than the exact 10th, with distances;
- the data's fingerprint (md5 of the vectors in id order) and how many identical copies each vector has.

`--reindex` rebuilds the agency's two lexical HNSW indexes first (same data, same code: a new graph); under
row-level security that needs the owner role (`DATABASE_URL=$DATABASE_OWNER_URL`), as the app role owns no index.
"""

import argparse
import hashlib
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django

django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from pgvector.psycopg import register_vector  # noqa: E402

from knowledge import indexes, retrieval  # noqa: E402
from knowledge.embedders import lexical_embedder  # noqa: E402
from knowledge.evaluation import EvalSet  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

K = 10
TIE = 1e-6


def _array(value) -> np.ndarray:
    """A vector column's value as float32 (pgvector's Vector where the app registered its type, else an array)."""
    return np.asarray(value.to_numpy() if hasattr(value, "to_numpy") else value, dtype=np.float32)


def live_vectors(agency):
    connection.ensure_connection()
    register_vector(connection.connection)
    # The driver's own cursor passes by the app's row-level security wrapper: name the agency for this
    # transaction as the wrapper would (tenants.rls), or the app role reads no rows.
    with transaction.atomic(), connection.connection.cursor(binary=True) as cursor:
        cursor.execute("SELECT set_config('civicdesk.agency_id', %s, true)", [str(agency.pk)])
        cursor.execute(
            "SELECT id, audience, lexical FROM knowledge_chunk WHERE agency_id = %s AND is_live "
            "AND lexical IS NOT NULL ORDER BY id",
            [agency.pk],
        )
        rows = cursor.fetchall()
    ids = np.array([row[0] for row in rows])
    public = np.array([row[1] == "public" for row in rows])
    matrix = np.stack([_array(row[2]) for row in rows])
    return ids, public, matrix


def measure(agency, evalset, ids, public, matrix, audience):
    lexical = lexical_embedder()
    vectors = matrix.astype(np.float64)
    norms = np.linalg.norm(vectors, axis=1)
    mask = public if audience == "public" else np.ones(len(ids), bool)
    id_recall, tie_recall, ties, missed = [], [], 0, []
    for number, question in enumerate(evalset.queries):
        query = np.asarray(lexical.embed(question["query"]), dtype=np.float64)
        distance = np.where(mask, 1 - (vectors @ query) / (norms * np.linalg.norm(query)), np.inf)
        order = np.lexsort((ids, distance))[: K + 1]
        tenth = distance[order[K - 1]]
        ties += int(abs(distance[order[K]] - tenth) < TIE)
        with transaction.atomic():
            indexes.prepare_session(retrieval.SearchConfig().ef_search)
            got = list(retrieval.lexical_list(agency=agency, vector=query.tolist(), audience=audience, depth=K))
        by_id = dict(zip(ids.tolist(), distance.tolist(), strict=True))
        id_recall.append(len(set(ids[order[:K]].tolist()) & set(got)) / K)
        tie_recall.append(sum(1 for chunk in got if by_id.get(chunk, 9.0) <= tenth + TIE) / K)
        if tie_recall[-1] < 1:
            missed.append(
                {
                    "question": number,
                    "exact_distances": [round(float(distance[i]), 5) for i in order],
                    "returned_distances": [round(by_id.get(chunk, 9.0), 5) for chunk in got],
                }
            )
    return {
        "ids_recall": round(statistics.mean(id_recall), 4),
        "tie_aware_recall": round(statistics.mean(tie_recall), 4),
        "queries_with_tie_at_10th": ties,
        "missed_clusters": missed,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agency", default="bench-0")
    parser.add_argument("--data", default="/work/shared/data/faq_eval/en")
    parser.add_argument("--reindex", action="store_true")
    args = parser.parse_args()
    agency = Agency.objects.get(slug=args.agency)
    if args.reindex:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for audience in ("all", "public"):
                cursor.execute(f"REINDEX INDEX {indexes.index_name(agency.pk, 'lexcos', audience)}")
    evalset = EvalSet.load(args.data)
    ids, public, matrix = live_vectors(agency)
    _, copies = np.unique(matrix, axis=0, return_counts=True)
    result = {
        "chunks": len(ids),
        "vectors_md5": hashlib.md5(matrix.tobytes()).hexdigest(),  # noqa: S324 - a fingerprint
        "distinct_vectors": len(copies),
        "copies_median_max": [float(np.median(copies)), int(copies.max())],
    }
    with agency_context(agency):
        for audience in ("public", "staff"):
            result[audience] = measure(agency, evalset, ids, public, matrix, audience)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
