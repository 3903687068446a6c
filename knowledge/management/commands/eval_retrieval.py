"""python manage.py eval_retrieval DIR [--json] [--per-query FILE]: retrieval quality of the production pipeline.

Prints recall@1, recall@5, MRR@10, the refusal rate at the confidence floor (`KNOWLEDGE_CONFIDENCE_FLOOR`)
and n; the last line is always JSON {"recall@1": …, "recall@5": …, "mrr@10": …, "refusal_rate": …, "n": …,
"document": {"recall@1": …, "recall@5": …, "mrr@10": …}}. The top-level metrics count a folded result
(identical passages in several entries, shown once) as a hit for any of its entries; "document" counts it
once, for its first entry, as the issue's targets do.
`--per-query FILE` writes one JSON line per query (its text, the relevant entries, the rank of the first
relevant one or null, the top result, the confidence and whether it would be refused) in the set's order,
so two runs can be diffed.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge.evaluation import EvalSet, drop_kb, evaluate, load_kb


class Command(BaseCommand):
    help = "Measure retrieval quality on DIR/kb.jsonl + DIR/queries.jsonl (a throwaway agency is used)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--json", action="store_true", help="Print only the JSON line.")
        parser.add_argument("--per-query", metavar="FILE", help="Write each query's rank as JSON lines to FILE.")

    def handle(self, *args, directory, json: bool = False, per_query: str | None = None, **options):
        path = Path(directory)
        if not (path / "kb.jsonl").is_file() or not (path / "queries.jsonl").is_file():
            raise CommandError(f"{directory} must contain kb.jsonl and queries.jsonl")
        try:
            evalset = EvalSet.load(path)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"Could not read the evaluation set: {exc}") from exc
        quiet = json

        def progress(done, total):
            if not quiet:
                self.stderr.write(f"\rindexed {done}/{total} entries", ending="")
                self.stderr.flush()

        loaded = load_kb(evalset, progress=progress)
        try:
            if not quiet:
                self.stderr.write("")
                self.stdout.write(
                    f"loaded {len(evalset.kb)} entries ({loaded.chunks} live chunks) in {loaded.seconds:.1f} s "
                    f"{loaded.timings}"
                )
            rows: list | None = [] if per_query else None
            result = evaluate(loaded=loaded, queries=evalset.queries, per_query=rows)
        finally:
            drop_kb(loaded)
        if per_query:
            with open(per_query, "w", encoding="utf-8") as out:
                out.writelines(_dumps(row) + "\n" for row in rows)
        summary = {key: result[key] for key in ("recall@1", "recall@5", "mrr@10", "refusal_rate", "n", "document")}
        if not quiet:
            self.stdout.write(
                f"recall@1 {result['recall@1']:.3f}  recall@5 {result['recall@5']:.3f}  "
                f"MRR@10 {result['mrr@10']:.3f}  refused {result['refusal_rate']:.3f}  n {result['n']}  "
                f"(search p50 {result['latency_p50_ms']} ms, p95 {result['latency_p95_ms']} ms)"
            )
            document = result["document"]
            self.stdout.write(
                f"per document: recall@1 {document['recall@1']:.3f}  recall@5 {document['recall@5']:.3f}  "
                f"MRR@10 {document['mrr@10']:.3f}"
            )
        self.stdout.write(_dumps(summary))
        sys.stdout.flush()


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
