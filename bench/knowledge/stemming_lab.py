"""Issue 19: full text stemmed per passage language vs 'simple', and the fusion bonuses, on one kept KB
(research helper; the official numbers are `manage.py eval_retrieval`).

    nice -n 10 .venv/bin/python bench/knowledge/stemming_lab.py /work/shared/data/faq_eval/de --keep lab-de

Loads the set once into a kept agency (reused on the next run), then for each index mode ('simple' or each
chunk's snowball configuration, rebuilt in place with the production tokenizer) and query mode, runs the
production search (`knowledge.evaluation.evaluate`) and prints per-document R@1 / R@5 / MRR@10 and refusals
on the whole set and on two halves split by FAQ entry (a query's first relevant entry, by md5 parity), so a
choice made on half A is reported on half B. `--grid` also scans the fusion bonuses: the point with the best
MRR@10 on half A is reported on half B, and the other way round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)

from core.sql import agency_cursor  # noqa: E402
from knowledge.evaluation import EvalSet, LoadedKB, evaluate, load_kb  # noqa: E402
from knowledge.models import Chunk, Document  # noqa: E402
from knowledge.retrieval import SearchConfig  # noqa: E402
from knowledge.text import FTS_CONFIGS, fts_config, tokenize  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402


def reuse(slug: str, evalset: EvalSet) -> LoadedKB | None:
    """The kept agency of an earlier run (documents were created in KB order)."""
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        return None
    with agency_context(agency):
        documents = sorted(Document.objects.for_agency(agency).values_list("pk", flat=True))
        chunks = Chunk.objects.for_agency(agency).filter(is_live=True).count()
    doc_to_entry = {pk: entry["id"] for pk, entry in zip(documents, evalset.kb, strict=True)}
    return LoadedKB(agency, doc_to_entry, 0.0, chunks)


def reindex(agency, *, stemmed: bool) -> None:
    with agency_context(agency), agency_cursor(agency) as cursor:
        cursor.execute("SELECT id, language, heading_path, text FROM knowledge_chunk WHERE agency_id = %s", [agency.pk])
        rows = cursor.fetchall()
        cursor.execute(
            "UPDATE knowledge_chunk AS c SET search = setweight(to_tsvector(v.cfg::regconfig, v.h), 'A') || "
            "setweight(to_tsvector(v.cfg::regconfig, v.b), 'D') FROM unnest(%s::bigint[], %s::text[], %s::text[], "
            "%s::text[]) AS v(id, cfg, h, b) WHERE c.id = v.id AND c.agency_id = %s",
            [
                [r[0] for r in rows],
                [fts_config(r[1]) if stemmed else "simple" for r in rows],
                [" ".join(tokenize(r[2] or "")) for r in rows],
                [" ".join(tokenize(r[3] or "")) for r in rows],
                agency.pk,
            ],
        )


def half(row) -> str:
    return "A" if hashlib.md5(row["relevant"][0].encode()).digest()[0] % 2 == 0 else "B"  # noqa: S324


def metrics(rows) -> dict:
    n = len(rows) or 1
    ranks = [row["document_rank"] for row in rows]
    return {
        "r1": round(sum(rank == 1 for rank in ranks) / n, 3),
        "r5": round(sum(rank is not None and rank <= 5 for rank in ranks) / n, 3),
        "mrr": round(sum(1 / rank for rank in ranks if rank) / n, 3),
        "refused": round(sum(row["refused"] for row in rows) / n, 3),
        "n": len(rows),
    }


def run(loaded, queries, config) -> dict:
    rows: list = []
    evaluate(loaded=loaded, queries=queries, config=config, per_query=rows)
    return {
        "all": metrics(rows),
        "A": metrics([r for r in rows if half(r) == "A"]),
        "B": metrics([r for r in rows if half(r) == "B"]),
        "ranks": [r["document_rank"] for r in rows],
    }


def line(name, result) -> str:
    parts = [
        f"{key} {result[key]['r1']:.3f}/{result[key]['r5']:.3f}/{result[key]['mrr']:.3f}" for key in ["all", "A", "B"]
    ]
    return f"| {name} | " + " | ".join(parts) + f" | {result['all']['refused']:.3f} |"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--keep", required=True)
    parser.add_argument("--grid", action="store_true")
    parser.add_argument(
        "--wide",
        action="store_true",
        help="with --grid in the multilingual space: full-text bonus x lexical bonus x body weight (48 points)",
    )
    parser.add_argument("--modes", default="simple,stemmed", help="index modes to run, comma-separated")
    parser.add_argument(
        "--stem", action="append", default=[], help="LANG=CONFIG: also stem LANG (e.g. en=english, left out by default)"
    )
    parser.add_argument("--points", help="with --grid: a JSON list of [fts, multilingual fts, lexical, body] points")
    parser.add_argument("--json", help="write every variant's per-query document ranks here")
    args = parser.parse_args()
    for item in args.stem:
        language, config = item.split("=", 1)
        FTS_CONFIGS[language] = config
    evalset = EvalSet.load(Path(args.directory))
    loaded = reuse(args.keep, evalset) or load_kb(evalset, slug=args.keep)
    print(f"{args.directory}: {loaded.chunks} live chunks, {len(evalset.queries)} queries")
    print("| variant | all R@1/R@5/MRR | half A | half B | refused |")
    out = {}
    for stemmed in [mode == "stemmed" for mode in args.modes.split(",")]:
        reindex(loaded.agency, stemmed=stemmed)
        name = "stemmed" if stemmed else "simple"
        out[name] = run(loaded, evalset.queries, SearchConfig(stemming=stemmed))
        print(line(name, out[name]), flush=True)
        if not args.grid:
            continue
        grid = {}
        # Only the bonuses of the question's space matter: MiniLM's (English) or the multilingual encoder's.
        english = all((query.get("lang") or "en") == "en" for query in evalset.queries)
        if args.points:
            points = [tuple(point) for point in json.loads(args.points)]
        elif english:
            points = [(bonus, 0.25, 0.1, 1.0) for bonus in (0.1, 0.15, 0.25)]
        elif args.wide:  # body weight 0.5: the heading (question) counts double; 2: the passage does
            points = [
                (0.15, fts, lex, body)
                for fts in (0.15, 0.25, 0.4, 0.6)
                for lex in (0.0, 0.1, 0.2, 0.3)
                for body in (0.5, 1.0, 2.0)
            ]
        else:
            points = [(0.15, fts, lex, 1.0) for fts in (0.25, 0.4) for lex in (0.1, 0.2)]
        for fts_bonus, ml_fts, ml_lex, body in points:
            config = SearchConfig(
                stemming=stemmed,
                fts_bonus=fts_bonus,
                multilingual_fts_bonus=ml_fts,
                multilingual_lexical_bonus=ml_lex,
                body_weight=body,
            )
            grid[fts_bonus, ml_fts, ml_lex, body] = run(loaded, evalset.queries, config)
        for tune_on, report_on in (("A", "B"), ("B", "A")):
            best = max(grid, key=lambda key: (grid[key][tune_on]["mrr"], grid[key][tune_on]["r1"]))
            print(
                f"{name}: tuned on {tune_on} -> fts {best[0]}, multilingual fts {best[1]}, lexical {best[2]}, "
                f"body {best[3]}: "
                f"{tune_on} {grid[best][tune_on]} | held out {report_on} {grid[best][report_on]}",
                flush=True,
            )
        out[name + " grid"] = {
            str(key): {k: v for k, v in value.items() if k != "ranks"} for key, value in grid.items()
        }
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
