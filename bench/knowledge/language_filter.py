"""Language-filtered vector scans in a large agency (issue 19): does a minority language lose candidates?

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/language_filter.py \
        [--others 10] [--chunks 20000] [--minority 500] [--keep] [--build-only]

pgvector before 0.8 (0.6.2 here: no `hnsw.iterative_scan`) filters after the HNSW scan, which yields at most
`hnsw.ef_search` rows. The main search's partial indexes hold one agency's chunks of one embedder (one vector space);
the cross-language step filters the passages' *language* after its scan of the shared space. Data: `lf-big`, the real
faq_eval/en chunks (1,959) + sums of two distinct ones (`bench_search.py --generator distinct`) up to `--chunks`, and
the real faq_eval/de chunks (644) + generated German ones up to `--minority`, all with shared-space vectors and the
production partial indexes; `--others` agencies of `--chunks` English chunks beside it. For faq_eval/de's 107 and
faq_eval/en's 113 questions (public), against the same list with index scans off: (1) the German dense lists'
recall@10; (2) `retrieval.search` for the German questions: top-10 recall, German share, labelled entry found;
(3) the cross-language candidates (`crosslingual._nearest`), German -> English and English -> German, old scan
(HNSW, filter after; kept below) and current code: candidates, recall, best candidate missed, p50 / p95.
"""

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("KNOWLEDGE_QUERY_CACHE", "0")

import django
from django.conf import settings

django.setup()
# No prepared statements in this process: a statement psycopg has prepared may run a cached generic plan, which
# PostgreSQL does not re-plan when `enable_indexscan` changes, so the "exact" scans of a statement that had also
# run with the index became HNSW scans after ~10 runs (measured: "exact" lists of 8-10 candidates instead of ~60).
# Old and new scans are both timed without preparation.
settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from auditlog.context import disable_auditlog  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench.knowledge import lists  # noqa: E402
from knowledge import indexes, retrieval, shared_space  # noqa: E402
from knowledge.embedders import embedder_for, multilingual_embedder  # noqa: E402
from knowledge.evaluation import EvalSet, load_kb  # noqa: E402
from knowledge.models import Document, DocumentVersion  # noqa: E402
from knowledge.retrieval import crosslingual  # noqa: E402
from knowledge.retrieval.sql import audience_filter, vector_literal  # noqa: E402
from knowledge.retrieval.stats import term_stats_generation  # noqa: E402
from tenants.context import agency_context, cross_agency  # noqa: E402
from tenants.models import Agency  # noqa: E402
from tenants.services import delete_agency  # noqa: E402

DATA = Path("/work/shared/data/faq_eval")
STATE = Path(__file__).resolve().parents[2] / "var" / "bench-language-filter.json"
COLUMNS = (
    "heading_path, text, language, search, embedder, embedding, heading_embedding, lexical, shared_embedding, "
    "shared_heading_embedding"
)


def pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


def _base(slug: str, directory: Path) -> tuple[Agency, dict[int, str]]:
    """A base agency loaded through the production pipeline, with its shared-space vectors; chunk id -> entry."""
    agency = Agency.objects.filter(slug=slug).first()
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    if agency is None or slug not in state:
        if agency is not None:
            delete_agency(agency, reason="bench: an incomplete base", audit_trail="purge")
        started = time.monotonic()
        loaded = load_kb(EvalSet.load(directory), slug=slug)
        agency = loaded.agency
        with agency_context(agency):
            shared_space.shared_vectors_fill(agency=agency)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, document_id FROM knowledge_chunk WHERE agency_id = %s AND is_live", [agency.pk]
                )
                state[slug] = {str(chunk): loaded.doc_to_entry[doc] for chunk, doc in cursor.fetchall()}
        STATE.parent.mkdir(exist_ok=True)
        STATE.write_text(json.dumps(state))
        print(f"{slug}: {directory.name} loaded with shared vectors in {time.monotonic() - started:.0f}s", flush=True)
    return agency, {int(chunk): entry for chunk, entry in state[slug].items()}


def _container(agency):
    with agency_context(agency):
        document = Document.objects.create(agency=agency, title="Generated")
        version = DocumentVersion.objects.create(
            agency=agency, document=document, number=1, format="text", checksum="x", status="active"
        )
    return document, version


def _copy_real(cursor, agency, base, document, version):
    """The base's live chunks as they are (`order` keeps the base chunk's id, for the labelled entry; generated ones are 10^9 + g)."""
    cursor.execute(
        f'INSERT INTO knowledge_chunk (agency_id, version_id, document_id, "order", checksum, is_live, audience, {COLUMNS}) '  # noqa: S608
        f"SELECT %s, %s, %s, id, md5('real-' || id::text), true, 'public', {COLUMNS} FROM knowledge_chunk "
        "WHERE agency_id = %s AND is_live",
        [agency.pk, version.pk, document.pk, base.pk],
    )
    return cursor.rowcount


def _generate(cursor, agency, base, document, version, *, count: int, salt: int, shared: bool):
    """`count` chunks, each the sum of two distinct base chunks (bench_search.py's distinct generator)."""
    if count <= 0:
        return
    cursor.execute("DROP TABLE IF EXISTS lf_base")
    cursor.execute(
        f"CREATE TEMP TABLE lf_base AS SELECT row_number() OVER (ORDER BY lexical::text, id) - 1 AS i, * FROM "  # noqa: S608
        f"(SELECT DISTINCT ON (lexical::text) id, {COLUMNS} FROM knowledge_chunk WHERE agency_id = %s AND is_live "
        "ORDER BY lexical::text, id) b",
        [base.pk],
    )
    cursor.execute("SELECT count(*) FROM lf_base")
    size = cursor.fetchone()[0]
    shared_sql = (
        "a.shared_embedding + b.shared_embedding, a.shared_heading_embedding + b.shared_heading_embedding"
        if shared
        else "NULL, NULL"
    )
    cursor.execute(
        f"""
        INSERT INTO knowledge_chunk (agency_id, version_id, document_id, "order", checksum, is_live, audience, {COLUMNS})
        SELECT %(agency)s, %(version)s, %(document)s, 1000000000 + g, md5(%(salt)s::text || '-' || g::text), true,
            CASE WHEN g %% 20 = 0 THEN 'staff' ELSE 'public' END,
            a.heading_path, a.text || ' ' || b.text, a.language, a.search || b.search, a.embedder,
            a.embedding + b.embedding, a.heading_embedding + b.heading_embedding, a.lexical + b.lexical, {shared_sql}
        FROM generate_series(1, %(count)s) g
        JOIN lf_base a ON a.i = g %% %(size)s
        JOIN lf_base b ON b.i = (g %% %(size)s + 1 + ((g / %(size)s) * 7919 + %(salt)s) %% ((%(size)s - 1) / 2)) %% %(size)s
        """,  # noqa: S608 - constants only
        {
            "agency": agency.pk,
            "version": version.pk,
            "document": document.pk,
            "count": count,
            "size": size,
            "salt": salt,
        },
    )


def _terms(cursor, agency, sources: list[tuple[Agency, float]], total: int):
    """The agency's word statistics: the bases' scaled to the generated counts (as bench_search.py does)."""
    cursor.execute("DELETE FROM knowledge_lexicalterm WHERE agency_id = %s AND feature <> -2", [agency.pk])
    for base, factor in sources:
        cursor.execute(
            "INSERT INTO knowledge_lexicalterm (agency_id, feature, df) SELECT %s, feature, "
            "greatest(1, round(df * %s))::int FROM knowledge_lexicalterm WHERE agency_id = %s AND feature >= 0 "
            "ON CONFLICT (agency_id, feature) DO UPDATE SET df = knowledge_lexicalterm.df + EXCLUDED.df",
            [agency.pk, factor, base.pk],
        )
    cursor.execute(
        "INSERT INTO knowledge_lexicalterm (agency_id, feature, df) VALUES (%s, -1, %s) "
        "ON CONFLICT (agency_id, feature) DO UPDATE SET df = EXCLUDED.df",
        [agency.pk, total],
    )


def build(args):
    with cross_agency(reason="bench: language-filtered scans"), disable_auditlog():
        base_en, entries_en = _base("lf-base-en", DATA / "en")
        base_de, entries_de = _base("lf-base-de", DATA / "de")
        big = Agency.objects.filter(slug="lf-big").first()
        state = json.loads(STATE.read_text())
        if big is not None and not state.get("lf-big"):
            delete_agency(big, reason="bench: an incomplete build", audit_trail="purge")
            big = None
        if big is None:
            big = Agency.objects.create(
                slug="lf-big", name="Bench: mostly English", is_active=False, languages=["en", "de"]
            )
            document, version = _container(big)
            started = time.monotonic()
            with connection.cursor() as cursor:
                english = _copy_real(cursor, big, base_en, document, version)
                german = _copy_real(cursor, big, base_de, document, version)
                _generate(
                    cursor, big, base_en, document, version, count=args.chunks - english, salt=104729, shared=True
                )
                _generate(cursor, big, base_de, document, version, count=args.minority - german, salt=7, shared=True)
                _terms(
                    cursor,
                    big,
                    [(base_en, args.chunks / max(1, english)), (base_de, args.minority / max(1, german))],
                    args.chunks + args.minority,
                )
            print(f"lf-big generated in {time.monotonic() - started:.0f}s", flush=True)
            STATE.write_text(json.dumps({**state, "lf-big": True}))
        for n in range(args.others):
            if Agency.objects.filter(slug=f"lf-other-{n}").exists():
                continue
            other = Agency.objects.create(slug=f"lf-other-{n}", name=f"Bench other {n}", is_active=False)
            document, version = _container(other)
            with connection.cursor() as cursor:
                _generate(
                    cursor, other, base_en, document, version, count=args.chunks, salt=104729 * (n + 2), shared=False
                )
            print(f"lf-other-{n}: {args.chunks} chunks", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_chunk")
            cursor.execute(
                "SELECT language, count(*) FROM knowledge_chunk WHERE agency_id = %s AND is_live GROUP BY 1 ORDER BY 1",
                [big.pk],
            )
            print("lf-big live chunks by language:", dict(cursor.fetchall()), flush=True)
            cursor.execute("SELECT count(*) FROM knowledge_chunk")
            print("knowledge_chunk rows:", cursor.fetchone()[0], flush=True)
            cursor.execute("SET maintenance_work_mem = '512MB'")
        with agency_context(big):
            started = time.monotonic()
            result = indexes.agency_indexes_ensure(agency=big)
            if result["created"]:
                print(
                    f"lf-big: {len(result['created'])} partial HNSW indexes in {time.monotonic() - started:.0f}s",
                    flush=True,
                )
        entries = {}
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT id, "order" FROM knowledge_chunk WHERE agency_id = %s AND "order" < 1000000000', [big.pk]
            )
            for chunk, origin in cursor.fetchall():
                entry = entries_en.get(origin) or entries_de.get(origin)
                if entry:
                    entries[chunk] = entry
    return big, entries


@contextmanager
def exact_scans():
    """Index scans off inside the block: the vector lists are exact (sequential scans, sorted)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        yield


def old_nearest(*, agency, vector, audience: str, own: str, first: str) -> dict[int, tuple[float, float | None]]:
    """The cross-language candidates as before the fix (main 250c2d1): HNSW with the main search's beam,
    the language filter after it. Only the ids matter here."""
    literal = vector_literal(vector)
    audience_sql, audience_params = audience_filter(audience)
    language_sql = " AND NOT (language = %s OR language LIKE %s)"
    language_params = [own, f"{own}-%"]
    if own != first:
        language_sql += " AND (language = %s OR language LIKE %s)"
        language_params += [first, f"{first}-%"]
    ids: set[int] = set()
    with transaction.atomic():
        indexes.prepare_session(200)
        for column in ("shared_embedding", "shared_heading_embedding"):
            sql = (
                f"SELECT id FROM knowledge_chunk "  # noqa: S608 - our column names
                f"WHERE agency_id = {int(agency.pk)} AND is_live AND {column} IS NOT NULL{audience_sql}{language_sql} "
                f"ORDER BY {column} <=> %s::vector LIMIT %s"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*audience_params, *language_params, literal, crosslingual.DEPTH])
                ids.update(row[0] for row in cursor.fetchall())
    return dict.fromkeys(ids, (0.0, None))


def _best(agency, vector, ids: set) -> tuple[int | None, float]:
    """The candidate the answer would come from (the better of its two cosines, before the carried names) and
    that score."""
    if not ids:
        return None, 0.0
    literal = vector_literal(vector)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, greatest(1 - (shared_embedding <=> %s::vector), "
            "coalesce(1 - (shared_heading_embedding <=> %s::vector), -1)) FROM knowledge_chunk "
            "WHERE agency_id = %s AND id = ANY(%s)",
            [literal, literal, agency.pk, list(ids)],
        )
        return max(cursor.fetchall(), key=lambda row: (row[1], -row[0]))


def _recall(exact: set, found: set) -> float:
    return len(exact & found) / len(exact) if exact else 1.0


def measure_main(agency, entries, questions):
    """1 and 2: the German questions' dense lists and whole search."""
    embedder, key = embedder_for("de")
    recalls = {"embedding": [], "heading_embedding": []}
    search_recall, german_share, hits_new, hits_exact, ms = [], [], [], [], []
    for q in questions:
        vector = embedder.embed_query(q["query"])
        found = {}
        for exact in (False, True):
            with exact_scans() if exact else transaction.atomic():
                indexes.prepare_session(retrieval.SearchConfig().ef_search)
                found[exact] = {
                    column: set(
                        lists.single_dense_list(
                            agency=agency, vector=vector, audience="public", depth=10, embedder_key=key, column=column
                        )
                    )
                    for column in recalls
                }
        for column in recalls:
            recalls[column].append(_recall(found[True][column], found[False][column]))
        started = time.perf_counter()
        passages = retrieval.search(agency=agency, query=q["query"], audience="public", language="de", limit=10)
        ms.append(1000 * (time.perf_counter() - started))
        with exact_scans():
            exact = retrieval.search(agency=agency, query=q["query"], audience="public", language="de", limit=10)
        ids = {p.chunk_id for p in passages}
        search_recall.append(_recall({p.chunk_id for p in exact}, ids))
        german_share.append(sum(1 for p in passages if p.language == "de") / max(1, len(passages)))
        relevant = set(q["relevant"])
        hits_new.append(any(entries.get(p.chunk_id) in relevant for p in passages))
        hits_exact.append(any(entries.get(p.chunk_id) in relevant for p in exact))
    return {
        "questions": len(questions),
        "dense_recall@10_vs_exact": {c: round(statistics.mean(v), 4) for c, v in recalls.items()},
        "search_top10_recall_vs_exact": round(statistics.mean(search_recall), 4),
        "search_german_share_top10": round(statistics.mean(german_share), 4),
        "labelled_entry_in_top10": {"hnsw": sum(hits_new), "exact": sum(hits_exact)},
        "search_ms": {"p50": pct(ms, 0.5), "p95": pct(ms, 0.95)},
    }


def measure_across(agency, questions, *, own: str, first: str, label: str):
    """3: the cross-language candidates, old scan / current code, each against exact."""
    encoder = multilingual_embedder()
    out = {}
    for name, nearest in (("old", old_nearest), ("new", crosslingual._nearest)):
        recalls, counts, exact_counts, ms, best_missed, answer_lost = [], [], [], [], 0, 0
        for q in questions:
            vector = encoder.embed_query(q["query"])
            # The search reads the generation in the statement it already makes (the carried words' statistics).
            extra = {"generation": term_stats_generation(agency=agency, terms=[])[2]} if name == "new" else {}
            started = time.perf_counter()
            found = set(nearest(agency=agency, vector=vector, audience="public", own=own, first=first, **extra))
            ms.append(1000 * (time.perf_counter() - started))
            with exact_scans():
                exact = set(old_nearest(agency=agency, vector=vector, audience="public", own=own, first=first))
            recalls.append(_recall(exact, found))
            best, score = _best(agency, vector, exact)
            if best is not None and best not in found:
                best_missed += 1
                answer_lost += score >= crosslingual.crosslingual_floor()
            counts.append(len(found))
            exact_counts.append(len(exact))
        out[name] = {
            "candidates_mean": round(statistics.mean(counts), 1),
            "candidates_min": min(counts),
            "exact_candidates_mean": round(statistics.mean(exact_counts), 1),
            "recall_vs_exact": round(statistics.mean(recalls), 4),
            "questions_with_recall_below_0.5": sum(1 for r in recalls if r < 0.5),
            "best_candidate_missed": best_missed,
            "of_which_above_the_floor": answer_lost,
            "ms": {"p50": pct(ms, 0.5), "p95": pct(ms, 0.95)},
        }
    return {"direction": label, "questions": len(questions), **out}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--others", type=int, default=10)
    parser.add_argument("--chunks", type=int, default=20000)
    parser.add_argument("--minority", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="Keep the agencies for another run.")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    big, entries = build(args)
    if args.build_only:
        return
    try:
        de = EvalSet.load(DATA / "de").queries
        en = EvalSet.load(DATA / "en").queries
        print(f"load average {os.getloadavg()}", flush=True)
        with agency_context(big):
            retrieval.search(agency=big, query="warm up", audience="public", language="de")
            print(json.dumps({"main_search_german": measure_main(big, entries, de)}), flush=True)
            print(
                json.dumps(measure_across(big, de, own="de", first="en", label="de question -> en passages")),
                flush=True,
            )
            print(
                json.dumps(measure_across(big, en, own="en", first="en", label="en question -> other languages (de)")),
                flush=True,
            )
        print(f"load average {os.getloadavg()}", flush=True)
    finally:
        if not args.keep:
            with cross_agency(reason="bench: remove the language-filter agencies"):
                for agency in Agency.objects.filter(slug__startswith="lf-"):
                    delete_agency(agency, reason="bench/knowledge/language_filter.py", audit_trail="purge")
            STATE.unlink(missing_ok=True)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) knowledge_chunk")


if __name__ == "__main__":
    main()
