"""The lexical list of a non-English question limited to its vector space's rows (issue 19): quality and time.

    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/lexical_mixed.py quality [--keep]
    flock /work/bench.lock nice -n 10 env DEBUG=0 .venv/bin/python bench/knowledge/lexical_mixed.py latency \
        [--passes 3] [--order question|pass]

In the multilingual encoder's space the lexical vectors add a bonus to the dense candidates (`pipeline.search_gather`).
That list used to rank every live row of the agency; it now ranks the rows of the question's vector space (a German
question: the German rows; `pipeline.space_languages`), exactly when they are few (`vectors.lexical_scan`). Variants,
switched in this process: "old" (`space_languages` → None: every row, as before), "new" (the production code),
"old ef 400" (every row, `LEXICAL_EF_SEARCH` 400).

`quality`: faq_eval/en and faq_eval/de loaded into one throwaway agency through the production pipeline (as
`manage.py eval_retrieval` does), scored per document as eval_retrieval's "document" numbers: (1) with the agency's
HNSW indexes forced (a large agency's scans: old at ef 800 and 400, new), (2) without them (old: an exact scan of
every row), (3) faq_eval/de alone (eval_retrieval's 0.327 / 0.403), (4) the German questions in
language_filter.py's `lf-big` (97 % English; the labelled entry through the copied chunks' `order`), if it exists.
For the German questions also: how many of the top 10 are English, and the questions whose rank changed.

`latency`: the German (and English) questions in `lf-big`, old and new in one process (`--order question`: each
question by both, back to back, alternating which goes first; `pass`: whole passes, alternating order), end-to-end `retrieval.search` p50 / p95 per pass; the lexical list alone: old, new and an exact scan of every
row (recall@10 of the old list against it and of the new one against its German rows, German share); and the plan
of the filtered HNSW branch (a language with most of the rows: English, beam 800 x total / wanted).
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
settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None  # see language_filter.py
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from django.db import connection, transaction  # noqa: E402

from knowledge import indexes, retrieval  # noqa: E402
from knowledge.embedders import lexical_embedder  # noqa: E402
from knowledge.evaluation import EvalSet, LoadedKB, _document_ranks, _search, drop_kb, load_kb  # noqa: E402
from knowledge.retrieval import pipeline, vectors  # noqa: E402
from knowledge.retrieval.sql import vector_literal  # noqa: E402
from knowledge.retrieval.stats import query_idf  # noqa: E402
from tenants.context import agency_context, cross_agency  # noqa: E402
from tenants.models import Agency  # noqa: E402

DATA = Path("/work/shared/data/faq_eval")
STATE = Path(__file__).resolve().parents[2] / "var" / "bench-lexical-mixed.json"
LANGUAGE_FILTER_STATE = Path(__file__).resolve().parents[2] / "var" / "bench-language-filter.json"
_space_languages = pipeline.space_languages


@contextmanager
def variant(name: str):
    """ "new": the production code; "old": the lexical list over every row; "old ef 400": and a beam of 400."""
    saved = vectors.LEXICAL_EF_SEARCH
    if name.startswith("old"):
        pipeline.space_languages = lambda agency, plan: None
    if name.endswith("ef 400"):
        vectors.LEXICAL_EF_SEARCH = 400
    try:
        yield
    finally:
        pipeline.space_languages = _space_languages
        vectors.LEXICAL_EF_SEARCH = saved


def pct(values, q):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None


def score(loaded: LoadedKB, queries: list[dict]) -> tuple[dict, dict]:
    """Per document R@1 / R@5 / MRR@10 (eval_retrieval's "document"), refusals, English results in the top 10;
    and query index → document rank."""
    from knowledge.services import confidence_floor

    floor = confidence_floor()
    ranks, english_top10, english_first, refused = {}, [], 0, 0
    with agency_context(loaded.agency):
        for at, item in enumerate(queries):
            passages = _search(loaded, item["query"], item.get("lang"), None)
            by_document = _document_ranks(loaded, passages)
            relevant = set(item.get("relevant") or [])
            rank = next((rank for rank, entry in enumerate(by_document, 1) if entry in relevant), None)
            top3 = max(passages[:3], key=lambda p: p.confidence, default=None)
            answered = top3 is not None and top3.confidence >= floor
            # the rank, and whether (and in what language) it would be answered
            ranks[at] = (rank, f"answered ({top3.language}, {top3.confidence})" if answered else "refused")
            top = passages[:10]
            english_top10.append(sum(1 for p in top if p.language == "en"))
            english_first += bool(top) and top[0].language == "en"
            refused += not answered
    n = len(queries) or 1
    return {
        "R@1": round(sum(r == 1 for r, _ in ranks.values()) / n, 3),
        "R@5": round(sum(r is not None and r <= 5 for r, _ in ranks.values()) / n, 3),
        "MRR@10": round(sum(1 / r for r, _ in ranks.values() if r) / n, 3),
        "refused": round(refused / n, 3),
        "english_in_top10_mean": round(statistics.mean(english_top10), 2) if english_top10 else 0,
        "english_first": english_first,
        "n": len(queries),
    }, ranks


def changed(before: dict, after: dict, queries: list[dict]) -> list[str]:
    out = []
    for at, rank in before.items():
        if rank != after[at]:
            out.append(f"{queries[at]['query'][:60]!r}: {rank} -> {after[at]}")
    return out


def load(slug: str, evalset: EvalSet, keep: bool) -> LoadedKB:
    state = json.loads(STATE.read_text()) if STATE.exists() else {}
    with cross_agency(reason="bench: find a kept agency"):
        agency = Agency.objects.filter(slug=slug).first()
    if keep and agency is not None and slug in state:
        return LoadedKB(agency, {int(k): v for k, v in state[slug].items()}, 0.0, 0)
    if agency is not None:
        drop_kb(LoadedKB(agency, {}, 0.0, 0))
    started = time.monotonic()
    loaded = load_kb(evalset, slug=slug)
    print(f"{slug}: {loaded.chunks} live chunks loaded in {time.monotonic() - started:.0f} s", flush=True)
    if keep:
        state[slug] = {str(k): v for k, v in loaded.doc_to_entry.items()}
        STATE.parent.mkdir(exist_ok=True)
        STATE.write_text(json.dumps(state))
    return loaded


def report(title: str, loaded: LoadedKB, queries: list[dict], names: list[str]):
    print(f"\n== {title} (load {os.getloadavg()[0]:.2f})", flush=True)
    results = {}
    for name in names:
        with variant(name):
            results[name] = score(loaded, queries)
        print(f"  {name}: {json.dumps(results[name][0])}", flush=True)
    base = results[names[0]][1]
    for name in names[1:]:
        diff = changed(base, results[name][1], queries)
        print(f"  {names[0]} -> {name}: {len(diff)} questions' rank changed", flush=True)
        for line in diff:
            print(f"    {line}")
    return results


def quality(args):
    en, de = EvalSet.load(DATA / "en"), EvalSet.load(DATA / "de")
    mixed = load("lexmix-en-de", EvalSet(en.kb + de.kb, en.queries + de.queries), args.keep)
    try:
        with agency_context(mixed.agency):
            print("indexes", indexes.agency_indexes_ensure(agency=mixed.agency, force=True), flush=True)
        for language, queries in (("de", de.queries), ("en", en.queries)):
            report(
                f"mixed en+de, HNSW indexes forced, {language} questions", mixed, queries, ["old", "new", "old ef 400"]
            )
        with agency_context(mixed.agency):
            print("indexes", indexes.agency_indexes_ensure(agency=mixed.agency, force=False), flush=True)
        for language, queries in (("de", de.queries), ("en", en.queries)):
            report(f"mixed en+de, no index (exact scans), {language} questions", mixed, queries, ["old", "new"])
    finally:
        if not args.keep:
            drop_kb(mixed)
    alone = load("lexmix-de", de, args.keep)
    try:
        report("faq_eval/de alone (eval_retrieval)", alone, de.queries, ["old", "new"])
    finally:
        if not args.keep:
            drop_kb(alone)
    big_german(de.queries)


def big_german(queries):
    """The German questions in lf-big: the labelled entry's rank among the results' entries (copied chunks keep
    their base chunk's id in `order`)."""
    with cross_agency(reason="bench: find language_filter.py's kept agency"):
        big = Agency.objects.filter(slug="lf-big").first()
    if big is None or not LANGUAGE_FILTER_STATE.exists():
        print("no lf-big (language_filter.py --keep): skipped")
        return
    from knowledge.services import confidence_floor

    floor = confidence_floor()
    entry_of_base = {int(k): v for k, v in json.loads(LANGUAGE_FILTER_STATE.read_text())["lf-base-de"].items()}
    print(f"\n== lf-big, German questions, public (load {os.getloadavg()[0]:.2f})", flush=True)
    ranks = {}
    with agency_context(big):
        for name in ("old", "new"):
            ranks[name], english = {}, []
            with variant(name):
                for at, item in enumerate(queries):
                    passages = retrieval.search(
                        agency=big, query=item["query"], audience="public", language="de", limit=40
                    )
                    with connection.cursor() as cursor:
                        cursor.execute(
                            'SELECT id, "order" FROM knowledge_chunk WHERE id = ANY(%s)',
                            [[p.chunk_id for p in passages]],
                        )
                        order = dict(cursor.fetchall())
                    entries = []
                    for p in passages:
                        entry = entry_of_base.get(order.get(p.chunk_id)) if p.language == "de" else f"en-{p.chunk_id}"
                        if entry and entry not in entries:
                            entries.append(entry)
                    relevant = set(item["relevant"])
                    rank = next((r for r, e in enumerate(entries[:10], 1) if e in relevant), None)
                    top3 = max(passages[:3], key=lambda p: p.confidence, default=None)
                    answered = top3 is not None and top3.confidence >= floor
                    ranks[name][at] = (
                        rank,
                        f"answered ({top3.language}, {top3.confidence})" if answered else "refused",
                    )
                    english.append(sum(1 for p in passages[:10] if p.language == "en"))
            values = [rank for rank, _ in ranks[name].values()]
            refused = sum(answer == "refused" for _, answer in ranks[name].values())
            n = len(queries)
            print(
                f"  {name}: R@1 {sum(r == 1 for r in values) / n:.3f} R@5 {sum(bool(r) and r <= 5 for r in values) / n:.3f} "
                f"MRR@10 {sum(1 / r for r in values if r) / n:.3f} refused {refused / n:.3f} "
                f"English in top 10 mean {statistics.mean(english):.2f}",
                flush=True,
            )
    diff = changed(ranks["old"], ranks["new"], queries)
    print(f"  old -> new: {len(diff)} questions' rank changed")
    for line in diff:
        print(f"    {line}")


def latency(args):
    with cross_agency(reason="bench: find language_filter.py's kept agency"):
        big = Agency.objects.get(slug="lf-big")
    questions = {language: [q["query"] for q in EvalSet.load(DATA / language).queries] for language in ("de", "en")}
    print("load", os.getloadavg(), flush=True)
    with agency_context(big):
        for q in questions["de"][:10] + questions["en"][:10]:  # warm-up
            for name in ("old", "new"):
                with variant(name):
                    retrieval.search(agency=big, query=q, audience="public", language=None, limit=8)
        for run in range(args.passes):
            for language in ("de", "en"):
                ms = {"old": [], "new": []}
                if args.order == "pass":
                    # whole passes, one variant after the other (each question once per pass, as trace_language.py
                    # asks them), the order swapped every pass
                    for name in ("old", "new") if run % 2 == 0 else ("new", "old"):
                        with variant(name):
                            for q in questions[language]:
                                ms[name].append(timed_search(big, q, language))
                else:
                    # each question by both variants back to back, which goes first alternating: robust to the load
                    # drifting (other helpers' suites), but the second search of a question finds its rows cached
                    for at, q in enumerate(questions[language]):
                        for name in ("old", "new") if at % 2 == 0 else ("new", "old"):
                            with variant(name):
                                ms[name].append(timed_search(big, q, language))
                print(
                    f"pass {run + 1} {language}: "
                    + ", ".join(
                        f"{name} p50 {pct(ms[name], 0.5)} p95 {pct(ms[name], 0.95)} mean {statistics.mean(ms[name]):.1f}"
                        for name in ("old", "new")
                    )
                    + f" ms (load {os.getloadavg()[0]:.2f})",
                    flush=True,
                )
        lexical_lists(big, questions["de"])
    print("load", os.getloadavg(), flush=True)


def timed_search(big, query: str, language: str) -> float:
    started = time.perf_counter()
    retrieval.search(agency=big, query=query, audience="public", language=language, limit=8)
    return 1000 * (time.perf_counter() - started)


def lexical_lists(big, questions):
    """The German questions' lexical list alone: old (HNSW ef 800, every row), new (as the search reads it), and an
    exact scan of every row; recall@10 against that exact scan, German share of each list."""
    embedder = lexical_embedder()
    plan = retrieval.search_plan(agency=big, query=questions[0], language="de", audience="public")
    languages = pipeline.space_languages(big, plan)
    scan = vectors.lexical_scan(pipeline.language_counts(big, plan.generation), languages, indexed=not plan.exact)
    print(f"lexical list: space languages {languages}, scan {scan}", flush=True)
    ms = {"old": [], "new": [], "exact": []}
    recall = {"old": [], "new": []}
    german = {"old": [], "new": [], "exact": []}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM knowledge_chunk WHERE agency_id = %s AND is_live AND language = 'de'", [big.pk])
        german_ids = {row[0] for row in cursor.fetchall()}
    for q in questions:
        idf, unseen = query_idf(agency=big, features=embedder.feature_set(q))
        vector = embedder.embed(q, idf=idf, unseen_idf=unseen)
        found = {}
        for name in ms:
            with transaction.atomic():
                if name == "exact":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT set_config('enable_indexscan', 'off', true)")
                started = time.perf_counter()
                got = vectors.lexical_list(
                    agency=big,
                    vector=vector,
                    audience="public",
                    depth=100,
                    **({"languages": languages, "scan": scan} if name == "new" else {}),
                )
                ms[name].append(1000 * (time.perf_counter() - started))
            found[name] = sorted(got, key=lambda i: (-got[i], i))
        exact10 = set(found["exact"][:10])
        exact_german10 = [i for i in found["exact"] if i in german_ids][:10]
        recall["old"].append(len(set(found["old"][:10]) & exact10) / max(1, len(exact10)))
        # the new list's reference: the exact list's German rows
        recall["new"].append(len(set(found["new"][:10]) & set(exact_german10)) / max(1, len(exact_german10)))
        for name in german:
            german[name].append(sum(1 for i in found[name] if i in german_ids) / max(1, len(found[name])))
    # The filtered HNSW branch, for a language that holds most rows (English here): does the planner keep the index?
    counts = pipeline.language_counts(big, plan.generation)
    how, beam = vectors.lexical_scan(counts, ["en"], indexed=True)
    literal = vector_literal(vector)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(beam)])
        cursor.execute(
            "EXPLAIN (ANALYZE, COSTS OFF) SELECT id, 1 - (lexical <=> %s::vector) FROM knowledge_chunk "
            "WHERE agency_id = %s AND is_live AND lexical IS NOT NULL AND audience = 'public' AND language = ANY(%s) "
            "ORDER BY lexical <=> %s::vector LIMIT 100",
            [literal, big.pk, ["en"], literal],
        )
        plan_lines = [row[0] for row in cursor.fetchall()]
    print(f"  English rows only ({how}, beam {beam}), last German question's vector:")
    for line in plan_lines:
        if "Scan" in line or "Execution" in line or "Rows Removed" in line:
            print("    " + line.strip())
    for name, values in ms.items():
        print(
            f"  {name}: p50 {pct(values, 0.5)} p95 {pct(values, 0.95)} mean {statistics.mean(values):.2f} ms",
            flush=True,
        )
    print(
        f"  recall@10: old vs exact (every row) {statistics.mean(recall['old']):.3f}, new vs exact's German rows "
        f"{statistics.mean(recall['new']):.3f}; German share of the list: "
        + ", ".join(f"{name} {statistics.mean(v):.3f}" for name, v in german.items()),
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("quality", "latency"))
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the loaded agencies")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--order", choices=("question", "pass"), default="question", help="latency: see the docstring")
    args = parser.parse_args()
    quality(args) if args.what == "quality" else latency(args)


if __name__ == "__main__":
    main()
