"""BM25 over title + text: the baseline issue 19's retrieval targets are stated against.

    .venv/bin/python bench/knowledge/bm25_baseline.py DIR [--tokenizer project|jieba] [--k1 1.2] [--b 0.75]

DIR holds `kb.jsonl` and `queries.jsonl` in `manage.py eval_retrieval`'s format. Each entry is one document
(title and text, Okapi BM25, no stemming, no stop words); entries with the same title and text are folded into
the first, as eval_retrieval's "per document" counting does. Prints recall@1, recall@5 and MRR@10.

Tokenizers: `project` is the search's own (`knowledge.text.tokenize`: NFKC + casefold words, overlapping
bigrams of CJK runs); `jieba` segments Chinese into words with the jieba package (not a project dependency:
`pip install --target DIR jieba` and put DIR on PYTHONPATH), for a Chinese baseline a segmenter makes stronger.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()  # knowledge.evaluation reads the set as eval_retrieval does (no database is touched)
from knowledge.evaluation import EvalSet  # noqa: E402
from knowledge.text import normalize, tokenize  # noqa: E402


def jieba_tokenize(text: str) -> list[str]:
    import jieba

    return [word for word in (w.strip() for w in jieba.cut(normalize(text))) if word and any(c.isalnum() for c in word)]


def evaluate(kb: list[dict], queries: list[dict], tokenizer, k1: float, b: float) -> dict[str, float]:
    first_of: dict[tuple[str, str], str] = {}
    documents: list[tuple[str, list[str]]] = []
    alias: dict[str, str] = {}
    for entry in kb:
        key = (entry["title"].strip(), entry["text"].strip())
        if key in first_of:
            alias[entry["id"]] = first_of[key]
            continue
        first_of[key] = alias[entry["id"]] = entry["id"]
        documents.append((entry["id"], tokenizer(f"{entry['title']}\n{entry['text']}")))
    counts = [Counter(tokens) for _, tokens in documents]
    average = sum(len(tokens) for _, tokens in documents) / len(documents)
    df = Counter(term for c in counts for term in c)
    n = len(documents)
    idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}

    hits1 = hits5 = 0
    reciprocal = 0.0
    for query in queries:
        terms = set(tokenizer(query["query"]))
        scores = []
        for (doc_id, tokens), c in zip(documents, counts, strict=True):
            norm = k1 * (1 - b + b * len(tokens) / average)
            score = sum(idf[t] * c[t] * (k1 + 1) / (c[t] + norm) for t in terms if t in c)
            scores.append((score, doc_id))
        ranked = [doc_id for score, doc_id in sorted(scores, key=lambda s: -s[0]) if score > 0]
        relevant = {alias.get(r, r) for r in query["relevant"]}
        rank = next((i for i, doc_id in enumerate(ranked[:10], 1) if doc_id in relevant), None)
        hits1 += rank == 1
        hits5 += rank is not None and rank <= 5
        reciprocal += 1 / rank if rank else 0.0
    total = len(queries)
    return {"recall@1": hits1 / total, "recall@5": hits5 / total, "mrr@10": reciprocal / total, "n": total}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--tokenizer", choices=("project", "jieba"), default="project")
    parser.add_argument("--k1", type=float, default=1.2)
    parser.add_argument("--b", type=float, default=0.75)
    args = parser.parse_args()
    evalset = EvalSet.load(args.directory)
    tokenizer = jieba_tokenize if args.tokenizer == "jieba" else tokenize
    result = evaluate(evalset.kb, evalset.queries, tokenizer, args.k1, args.b)
    print(
        f"{args.directory} BM25 ({args.tokenizer}, k1 {args.k1}, b {args.b}): recall@1 {result['recall@1']:.3f} "
        f"recall@5 {result['recall@5']:.3f} MRR@10 {result['mrr@10']:.3f} (n {result['n']})"
    )
    print(json.dumps({"tokenizer": args.tokenizer, **result}))


if __name__ == "__main__":
    main()
