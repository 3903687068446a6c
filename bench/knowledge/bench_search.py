"""Hybrid search latency and recall at scale: 10 agencies x 20,000 chunks (200,000) in one table.

    .venv/bin/python bench/knowledge/bench_search.py [--agencies 10] [--chunks 20000] [--generator distinct] [--keep]

1. Loads faq_eval/en through the production pipeline into a base agency (real MiniLM and lexical vectors).
2. Generates each bench agency's chunks in SQL from pairs of base chunks (vector sums, concatenated text
   and tsvectors), so vectors keep the shape of real ones; 5% of each agency's chunks are staff-only.
   `--generator distinct` (the default) gives every chunk of an agency its own pair of distinct base chunks,
   so no two chunks share a vector, as in a real knowledge base. `--generator pairs` is the generator every
   run before 2026-12-05 07:30 UTC used, kept for comparison: chunk g and g + N (N base chunks) are the same
   pair, so 20,000 chunks hold about 1,958 distinct vectors, most standing 10 times (bench/knowledge/RESULTS.md).
   The two generators' agencies have their own slugs (`bench-<n>` pairs, `bench-d<n>` distinct), so both can
   stand in one database.
3. Builds the per-agency partial HNSW indexes with the production `agency_indexes_ensure`.
4. Runs the eval queries through the production `retrieval.search` against agency 0 and reports p50/p95
   end to end (including the MiniLM query embedding) and for the SQL part alone; then recall@10 of
   each vector list against exact search (index scans disabled) on the same agency.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# Every query is embedded afresh (the public and staff passes ask the same 113 questions): no query cache.
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as the process that searches would at start

from auditlog.context import disable_auditlog  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.knowledge import lists  # noqa: E402
from knowledge import indexes, retrieval, vector_cache  # noqa: E402
from knowledge.embedders import embedder_for, lexical_embedder  # noqa: E402
from knowledge.evaluation import EvalSet, load_kb  # noqa: E402
from knowledge.models import Document, DocumentVersion  # noqa: E402
from knowledge.retrieval.sql import vector_literal  # noqa: E402
from knowledge.text import query_terms  # noqa: E402
from tenants.context import agency_context, cross_agency  # noqa: E402
from tenants.models import Agency  # noqa: E402
from tenants.services import delete_agency  # noqa: E402

DATA = "/work/shared/data/faq_eval/en"


def pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


TIE = 1e-6  # scores this close are the same vector's (PostgreSQL computes each cosine in single precision)


def tie_recall(exact: dict[int, float], approximate: dict[int, float]) -> float:
    """Share of the exact list's places the approximate list fills with a chunk scoring at least the exact
    list's last score: a chunk tied with the last one is as near as the copy the exact scan listed."""
    if not exact:
        return 1.0 if not approximate else 0.0
    floor = min(exact.values()) - TIE
    return min(len(exact), sum(1 for score in approximate.values() if score >= floor)) / len(exact)


# Chunk g (1..count) of an agency is the base chunks a and b, with N base chunks:
#   pairs:    a = g mod N, b = (7919 g + salt) mod N. Since 7919 N = 0 mod N, g and g + N are the same pair.
#   distinct: a = g mod N and b = a + d, where the offset d = 1 + (7919 r + salt) mod ((N - 1) / 2) changes with the
#             round r = g div N. Within a round a -> b is one-to-one; rounds have different offsets (as long as
#             the rounds' 7919 r stay apart modulo (N - 1) / 2), and as every offset is below N / 2 no pair (a, b)
#             is another's (b, a), whose vector sum would be the same. The base is de-duplicated first (the
#             FAQ set repeats one passage). `build` counts the distinct vectors generated and says so.
GENERATORS = {
    "pairs": {
        "prefix": "bench-",
        "base": "",
        "b": "(g * 7919 + %(salt)s) %% %(size)s",
    },
    "distinct": {
        "prefix": "bench-d",
        "base": "DISTINCT ON (lexical::text) ",
        "b": "(g %% %(size)s + 1 + ((g / %(size)s) * 7919 + %(salt)s) %% ((%(size)s - 1) / 2)) %% %(size)s",
    },
}


def build(args):
    with cross_agency(reason="bench: load the base agency and generate the bench agencies' chunks"):
        return _build(args)


def _build(args):
    generator = GENERATORS[args.generator]
    evalset = EvalSet.load(args.data)
    base = Agency.objects.filter(slug="bench-base").first()
    if base is None:
        started = time.monotonic()
        base = load_kb(evalset, slug="bench-base").agency
        print(f"base KB loaded through the pipeline in {time.monotonic() - started:.0f}s", flush=True)
    agencies = []
    with disable_auditlog():
        for n in range(args.agencies):
            agency, created = Agency.objects.get_or_create(
                slug=f"{generator['prefix']}{n}", defaults={"name": f"Bench agency {n}", "is_active": False}
            )
            agencies.append(agency)
            if not created:
                continue
            with agency_context(agency):
                document = Document.objects.create(agency=agency, title="Generated")
                version = DocumentVersion.objects.create(
                    agency=agency, document=document, number=1, format="text", checksum="x", status="active"
                )
            started = time.monotonic()
            with connection.cursor() as cursor:
                order = "lexical::text, id" if generator["base"] else "id"
                cursor.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS bench_base AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, * "  # noqa: S608 - constants only
                    f"FROM (SELECT {generator['base']}id, heading_path, text, language, search, embedder, embedding, "
                    f"heading_embedding, lexical FROM knowledge_chunk WHERE agency_id = %s AND is_live ORDER BY {order}) b",
                    [base.pk],
                )
                cursor.execute("SELECT count(*) FROM bench_base")
                size = cursor.fetchone()[0]
                cursor.execute(
                    """
                    INSERT INTO knowledge_chunk (agency_id, version_id, document_id, "order", heading_path, text, language,
                        checksum, search, embedder, embedding, heading_embedding, lexical, is_live, audience)
                    SELECT %(agency)s, %(version)s, %(document)s, g, a.heading_path, a.text || ' ' || b.text, a.language,
                        md5(g::text), a.search || b.search, a.embedder, a.embedding + b.embedding,
                        a.heading_embedding + b.heading_embedding, a.lexical + b.lexical, true,
                        CASE WHEN g %% 20 = 0 THEN 'staff' ELSE 'public' END
                    FROM generate_series(1, %(count)s) g
                    JOIN bench_base a ON a.i = g %% %(size)s
                    JOIN bench_base b ON b.i = """  # noqa: S608 - the generator's constant expression
                    + generator["b"],
                    {
                        "agency": agency.pk,
                        "version": version.pk,
                        "document": document.pk,
                        "count": args.chunks,
                        "size": size,
                        "salt": 104729 * (n + 1),
                    },
                )
                # The live-chunk trigger already gave the agency its own generation row (-2): not copied.
                cursor.execute(
                    "INSERT INTO knowledge_lexicalterm (agency_id, feature, df) SELECT %s, feature, "
                    "CASE WHEN feature = -1 THEN %s ELSE df * %s END FROM knowledge_lexicalterm "
                    "WHERE agency_id = %s AND feature <> %s",
                    [agency.pk, args.chunks, max(1, args.chunks // size), base.pk, vector_cache.GENERATION_FEATURE],
                )
                cursor.execute(
                    "SELECT count(DISTINCT md5(lexical::text)), count(DISTINCT md5(embedding::text)) "
                    "FROM knowledge_chunk WHERE agency_id = %s",
                    [agency.pk],
                )
                lexical, dense = cursor.fetchone()
            print(
                f"agency {agency.slug}: {args.chunks} chunks generated ({args.generator}) in "
                f"{time.monotonic() - started:.1f}s from {size} base chunks; distinct vectors: {lexical} lexical, "
                f"{dense} dense",
                flush=True,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_chunk")
        cursor.execute("SELECT count(*) FROM knowledge_chunk")
        print(f"knowledge_chunk rows: {cursor.fetchone()[0]}", flush=True)
    return evalset, agencies


def ensure_indexes(agencies, all_agencies: bool):
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
    for agency in agencies if all_agencies else agencies[:1]:
        started = time.monotonic()
        # In the agency's scope: under row-level security its live count is 0 outside it (and no index is built).
        with agency_context(agency):
            result = indexes.agency_indexes_ensure(agency=agency)
        if result["created"]:
            print(
                f"{agency.slug}: built {len(result['created'])} partial HNSW indexes in "
                f"{time.monotonic() - started:.0f}s",
                flush=True,
            )


def measure(evalset, agency, audience="public"):
    queries = [q["query"] for q in evalset.queries]
    # The English questions' space: MiniLM by default; the multilingual encoder's with KNOWLEDGE_DENSE_LANGUAGES=none.
    embedder, key = embedder_for("en")
    lexical = lexical_embedder()
    end_to_end, lists_only, embed_ms = [], [], []
    with agency_context(agency):
        retrieval.search(agency=agency, query="warm up", audience=audience)
        for query in queries:
            started = time.perf_counter()
            retrieval.search(agency=agency, query=query, audience=audience)
            end_to_end.append(1000 * (time.perf_counter() - started))
        # The SQL side alone, with the query vector computed beforehand.
        for query in queries:
            started = time.perf_counter()
            vector = embedder.embed_query(query)
            embed_ms.append(1000 * (time.perf_counter() - started))
            terms = query_terms(query, "en")
            started = time.perf_counter()
            dfs, _total = retrieval.term_stats(agency=agency, terms=terms)
            with transaction.atomic():
                indexes.prepare_session(retrieval.SearchConfig().ef_search)
                retrieval.fts_list(
                    agency=agency,
                    terms=terms,
                    audience=audience,
                    depth=100,
                    dfs=dfs,
                    budget=retrieval.SearchConfig().fts_candidate_budget,
                )
                lists.dense_list(agency=agency, vector=vector, audience=audience, depth=100, embedder_key=key)
            lists_only.append(1000 * (time.perf_counter() - started))
        # Recall of the approximate (HNSW) lists against exact scans of the same agency. The generated
        # chunks repeat: each pair of base chunks stands 10-20 times with the same vectors, so the exact 10th
        # place is often a tie, and which of the equal copies a scan returns is arbitrary. `recall@10_vs_exact`
        # counts a returned chunk when it scores at least the exact 10th score (a tie is as good as the copy
        # the scan happened to list); `recall@10_ids` counts only the exact scan's own ids (earlier sessions'
        # number, which measures that tie-breaking too).
        recalls = {"embedding": [], "heading_embedding": [], "lexical": []}
        id_recalls = {"embedding": [], "heading_embedding": [], "lexical": []}
        exact_ms = []
        for query in queries:
            vector = embedder.embed_query(query)
            lvec = lexical.embed(query)
            for exact in (False, True):
                with transaction.atomic():
                    indexes.prepare_session(retrieval.SearchConfig().ef_search)
                    if exact:
                        with connection.cursor() as cursor:
                            cursor.execute("SET LOCAL enable_indexscan = off")
                            cursor.execute("SET LOCAL enable_bitmapscan = off")
                    started = time.perf_counter()
                    found = {
                        column: lists.single_dense_list(
                            agency=agency,
                            vector=vector,
                            audience=audience,
                            depth=10,
                            embedder_key=key,
                            column=column,
                        )
                        for column in ("embedding", "heading_embedding")
                    }
                    found["lexical"] = retrieval.lexical_list(agency=agency, vector=lvec, audience=audience, depth=10)
                    if exact:
                        exact_ms.append(1000 * (time.perf_counter() - started))
                if not exact:
                    approximate = found
            for column, scores in found.items():
                id_recalls[column].append(len(set(scores) & set(approximate[column])) / max(1, len(scores)))
                recalls[column].append(tie_recall(scores, approximate[column]))
    return {
        "queries": len(queries),
        "audience": audience,
        "search_end_to_end_ms": {"p50": pct(end_to_end, 0.5), "p95": pct(end_to_end, 0.95)},
        "sql_lists_ms": {"p50": pct(lists_only, 0.5), "p95": pct(lists_only, 0.95)},
        "query_embedding_ms": {"p50": pct(embed_ms, 0.5), "p95": pct(embed_ms, 0.95)},
        "exact_vector_scans_ms": {"p50": pct(exact_ms, 0.5), "p95": pct(exact_ms, 0.95)},
        "recall@10_vs_exact": {column: round(statistics.mean(values), 4) for column, values in recalls.items()},
        "recall@10_ids": {column: round(statistics.mean(values), 4) for column, values in id_recalls.items()},
    }


def plans(agency, evalset):
    embedder, key = embedder_for("en")
    vector = vector_literal(embedder.embed_query(evalset.queries[0]["query"]))
    dim = int(embedder.dim)
    with agency_context(agency), connection.cursor() as cursor:
        cursor.execute(
            f"EXPLAIN SELECT id FROM knowledge_chunk WHERE agency_id = {agency.pk} AND is_live AND embedder = %s "  # noqa: S608 - ints only
            f"AND embedding IS NOT NULL AND audience = 'public' ORDER BY (embedding::vector({dim})) <=> "
            f"%s::vector({dim}) LIMIT 100",
            [key, vector],
        )
        return [row[0] for row in cursor.fetchall()][:3]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--chunks", type=int, default=20000)
    parser.add_argument("--data", default=DATA)
    parser.add_argument(
        "--generator",
        choices=sorted(GENERATORS),
        default="distinct",
        help="distinct: every chunk its own vectors (default); pairs: the repeating generator of earlier runs.",
    )
    parser.add_argument("--all-indexes", action="store_true", help="Build indexes for every bench agency.")
    parser.add_argument("--keep", action="store_true", help="Keep the bench agencies for another run.")
    parser.add_argument("--build-only", action="store_true", help="Build the data and indexes, measure nothing.")
    parser.add_argument(
        "--audiences",
        default="public,staff",
        help="The audiences measured, in this order (each pass warms the caches the next one finds).",
    )
    args = parser.parse_args()
    evalset, agencies = build(args)
    if args.build_only:
        ensure_indexes(agencies, args.all_indexes)
        return
    try:
        ensure_indexes(agencies, args.all_indexes)
        print("plan:", *plans(agencies[0], evalset), sep="\n  ", flush=True)
        for audience in args.audiences.split(","):
            print(json.dumps(measure(evalset, agencies[0], audience)), flush=True)
    finally:
        if not args.keep:
            for agency in [*agencies, Agency.objects.filter(slug="bench-base").first()]:
                if agency is not None:
                    delete_agency(agency, reason="bench/knowledge/bench_search.py's agencies", audit_trail="purge")
            # 200k deleted rows: vacuum now, or autovacuum rewrites the table (GBs) during the next benchmark.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) knowledge_chunk")


if __name__ == "__main__":
    main()
