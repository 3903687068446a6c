"""Build a larger FAQ evaluation set from faq_eval/en by repetition with variation (for timing
`manage.py eval_retrieval` at the size the issue names: 5,000 entries and 2,000 queries).

    .venv/bin/python bench/knowledge/make_eval_set.py /tmp/eval5k --entries 5000 --queries 2000

Every KB entry is copied as often as needed; each copy after the first names a different district in its
title and text, so no two texts are identical (identical chunks would reuse stored vectors and make
ingestion look faster than it is). Queries are the set's 113 queries in varied citizen wordings; a query's
relevant entries are all copies of its original relevant entries. Deterministic (seeded).
"""

import argparse
import json
import random
from pathlib import Path

SOURCE = Path("/work/shared/data/faq_eval/en")
DISTRICTS = ["North", "South", "East", "West", "Central", "Harbor", "Hill", "River", "Lake", "Valley", "Airport"]
PREFIXES = ["", "", "Quick question: ", "Can you tell me: ", "I was wondering, ", "Please help: "]
SUFFIXES = ["", "", " Thanks!", " Thank you.", " I need to know soon."]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target")
    parser.add_argument("--source", default=str(SOURCE))
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kb, queries = read(Path(args.source) / "kb.jsonl"), read(Path(args.source) / "queries.jsonl")
    out_kb, copies = [], {}
    for index in range(args.entries):
        entry = kb[index % len(kb)]
        copy = index // len(kb)
        new = dict(entry)
        if copy:
            district = f"{DISTRICTS[copy % len(DISTRICTS)]} district {copy}"
            new["id"] = f"{entry['id']}-c{copy}"
            new["title"] = f"{entry.get('title') or ''} ({district})".strip()
            new["text"] = f"{entry['text']}\n\nThis answer applies in the {district}."
        copies.setdefault(entry["id"], []).append(new["id"])
        out_kb.append(new)
    out_queries = []
    for index in range(args.queries):
        query = queries[index % len(queries)]
        text = query["query"]
        if index >= len(queries):
            if rng.random() < 0.3:
                text = text.lower()
            text = f"{rng.choice(PREFIXES)}{text}{rng.choice(SUFFIXES)}"
        relevant = [copy for original in query.get("relevant") or [] for copy in copies.get(original, [])]
        out_queries.append({**query, "query": text, "relevant": relevant})
    target = Path(args.target)
    target.mkdir(parents=True, exist_ok=True)
    (target / "kb.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in out_kb), "utf-8")
    (target / "queries.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in out_queries), "utf-8"
    )
    print(f"{target}: {len(out_kb)} entries, {len(out_queries)} queries")


if __name__ == "__main__":
    main()
