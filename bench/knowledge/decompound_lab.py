"""Issue 19: German decompounding for full text, measured through the production search (research helper; the
splitters are installed outside the venv and put on the path with --path).

    nice -n 10 .venv/bin/python bench/knowledge/decompound_lab.py /work/shared/data/faq_eval/de --keep lab-de-dc \
        --splitter german-nouns --path /tmp/dc-german-nouns

Loads the set once into a kept agency (reused), then for German chunks rewrites the full-text column with each long
word's compound parts added next to it (heading weight A, body D, stemmed by the German configuration as in
production), and adds the question's compound parts to its words: "Personalausweis" also finds "Ausweis".
Per-document R@1 / R@5 / MRR@10 on the whole set and on halves by FAQ entry, production vs decompounded, and the
splitter's CPU per word.

Splitters: `german-nouns` (Wiktionary noun list, `Nouns().parse_compound`), `compound-split` (character n-gram
probabilities, `char_split.split_compound`, best split if its score is above --threshold, applied to both halves
once more).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stemming_lab

import knowledge.retrieval.pipeline as pipeline
from core.sql import agency_cursor
from knowledge.evaluation import EvalSet, evaluate, load_kb
from knowledge.retrieval import SearchConfig
from knowledge.text import fts_config, tokenize
from tenants.context import agency_context

MIN_WORD = 8  # shorter words are rarely compounds
MIN_PART = 3


def splitter(name: str, threshold: float):
    if name == "german-nouns":
        from german_nouns.lookup import Nouns

        nouns = Nouns()

        def split(word: str) -> list[str]:
            try:
                parts = nouns.parse_compound(word[:1].upper() + word[1:])
            except Exception:
                return []
            parts = [part.lower() for part in parts]
            return parts if len(parts) > 1 and all(len(part) >= MIN_PART for part in parts) else []

        return split
    from compound_split import char_split

    def split_cs(word: str, depth: int = 2) -> list[str]:
        best = char_split.split_compound(word)[0]
        score, head, tail = best
        if score <= threshold:
            return []
        out = []
        for part in (head.lower(), tail.lower()):
            if len(part) < MIN_PART:
                return []
            more = split_cs(part, depth - 1) if depth > 1 and len(part) >= MIN_WORD else []
            out.extend(more or [part])
        return out

    return split_cs


def expand(tokens: list[str], split) -> list[str]:
    extra = []
    for token in tokens:
        if len(token) >= MIN_WORD and token.isalpha():
            extra.extend(part for part in split(token) if part != token)
    return tokens + extra


def reindex(agency, split=None, weight: str = "") -> None:
    """The production full-text column; with `split`, German chunks' compound parts added next to their words
    (heading parts weigh A, body parts D), or all parts at one `weight` of their own."""
    with agency_context(agency), agency_cursor(agency) as cursor:
        cursor.execute("SELECT id, language, heading_path, text FROM knowledge_chunk WHERE agency_id = %s", [agency.pk])
        rows = cursor.fetchall()

        def text(value, language, *, parts_only=False):
            tokens = tokenize(value or "")
            if not (split and language == "de"):
                return "" if parts_only else " ".join(tokens)
            expanded = expand(tokens, split)
            if weight:
                return " ".join(expanded[len(tokens) :] if parts_only else tokens)
            return "" if parts_only else " ".join(expanded)

        cursor.execute(
            "UPDATE knowledge_chunk AS c SET search = setweight(to_tsvector(v.cfg::regconfig, v.h), 'A') || "
            "setweight(to_tsvector(v.cfg::regconfig, v.b), 'D') || setweight(to_tsvector(v.cfg::regconfig, v.p), "
            '%s::"char") FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS v(id, cfg, h, b, p) '
            "WHERE c.id = v.id AND c.agency_id = %s",
            [
                weight or "D",
                [r[0] for r in rows],
                [fts_config(r[1]) for r in rows],
                [text(r[2], r[1]) for r in rows],
                [text(r[3], r[1]) for r in rows],
                [text(f"{r[2] or ''} {r[3] or ''}", r[1], parts_only=True) for r in rows],
                agency.pk,
            ],
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--keep", required=True)
    parser.add_argument("--splitter", choices=["german-nouns", "compound-split"], required=True)
    parser.add_argument("--path", required=True, help="directory the splitter is installed in")
    parser.add_argument("--weight", default="", help="all parts at this full-text weight (A-D) instead of their word's")
    parser.add_argument("--threshold", type=float, default=0.0, help="compound-split: lowest score that splits")
    args = parser.parse_args()
    sys.path.insert(0, args.path)
    started = time.process_time()
    split = functools.lru_cache(maxsize=None)(splitter(args.splitter, args.threshold))
    split("Personalausweis")
    print(f"{args.splitter}: loaded in {time.process_time() - started:.2f} s CPU", flush=True)
    evalset = EvalSet.load(Path(args.directory))
    loaded = stemming_lab.reuse(args.keep, evalset) or load_kb(evalset, slug=args.keep)
    print(f"{args.directory}: {loaded.chunks} live chunks, {len(evalset.queries)} queries", flush=True)

    words = sorted({t for e in evalset.kb for t in tokenize(e.get("text", "")) if len(t) >= MIN_WORD and t.isalpha()})
    split.cache_clear()
    started = time.process_time()
    split_count = sum(bool(split(word)) for word in words)
    per_word = (time.process_time() - started) / max(1, len(words))
    print(f"{len(words)} distinct long words, {split_count} split, {1000 * per_word:.3f} ms CPU per word", flush=True)
    for word in ("personalausweis", "wertstoffhof", "gewerbeanmeldung", "hundesteuer", "anwohnerparkausweis"):
        print(f"  {word} -> {split(word)}")

    def report(name) -> None:
        rows: list = []
        evaluate(loaded=loaded, queries=evalset.queries, config=SearchConfig(), per_query=rows)
        result = {
            "all": stemming_lab.metrics(rows),
            "A": stemming_lab.metrics([r for r in rows if stemming_lab.half(r) == "A"]),
            "B": stemming_lab.metrics([r for r in rows if stemming_lab.half(r) == "B"]),
        }
        print(stemming_lab.line(name, result), flush=True)

    print("| variant | all R@1/R@5/MRR | half A | half B | refused |")
    reindex(loaded.agency)
    report("production (stemmed)")
    reindex(loaded.agency, split, args.weight)
    original = pipeline.query_terms
    pipeline.query_terms = lambda query, language=None: list(
        dict.fromkeys(expand(original(query, language), split) if language == "de" else original(query, language))
    )
    try:
        report(f"decompounded ({args.splitter}, parts weight {args.weight or 'of their word'})")
        pipeline.query_terms = original
        report(f"passages only decompounded ({args.splitter})")
    finally:
        pipeline.query_terms = original
        reindex(loaded.agency)


if __name__ == "__main__":
    main()
