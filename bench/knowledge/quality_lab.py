"""Offline lab for English retrieval quality ideas (research helper; the official number is eval_retrieval).

    # once, heavy (loads/reuses the kept KB, embeds sentence windows and query variants): under the lock
    flock /work/bench.lock env KNOWLEDGE_EMBEDDER=minilm .venv/bin/python bench/knowledge/quality_lab.py \
        collect /work/shared/data/faq_eval/en qlab /tmp/qlab.npz
    # then, seconds: every variant, full set + cross-validation (same protocol as fusion_cv.py)
    .venv/bin/python bench/knowledge/quality_lab.py run /work/shared/data/faq_eval/en /tmp/qlab.npz
    # only some families (substrings, comma-separated; the re-tuned baseline always runs first):
    QLAB_FAMILIES=PRF .venv/bin/python bench/knowledge/quality_lab.py run /work/shared/data/faq_eval/en /tmp/qlab.npz

`collect` stores, from the production code on a kept agency: every live chunk's passage and heading
vectors, each query's MiniLM vector and production full-text list (depth 100), plus extra material the
variants need: MiniLM vectors of sentence windows of every chunk (1, 2 and 3 sentences, with and without
the heading in front), of each query without its leading interrogative, and PostgreSQL `english`
(Snowball-stemmed) ts_rank of each query against every chunk.

`run` simulates `retrieval.search` at chunk level exactly as fusion_cv.py does (the baseline reproduces the
production score fusion), then scores each variant on the full set and by cross-validation: 300 random
splits of the queries by relevant FAQ into halves; the variant's parameters are picked on one half (best
MRR@10, then R@1) and scored on the other; the default (production) is scored on the same halves.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

DEPTH = 100
INTERROGATIVE = re.compile(
    r"^\s*(what|how|why|when|where|who|which|whom|whose|is|are|am|can|could|should|would|will|do|does|did|"
    r"may|might|must|shall|has|have|had)\b\s*",
    re.IGNORECASE,
)


def _windows(sentence_list: list[str], size: int) -> list[str]:
    if len(sentence_list) <= size:
        return [" ".join(sentence_list)]
    return [" ".join(sentence_list[i : i + size]) for i in range(len(sentence_list) - size + 1)]


def collect(directory: str, slug: str, target: str) -> None:
    import django

    django.setup()
    from core.process import tune

    tune(serves_sockets=False)  # as the process that searches would at start
    from django.db import connection

    from bench.knowledge.variants import reuse
    from knowledge import retrieval
    from knowledge.embedders import dense_embedder
    from knowledge.evaluation import EvalSet, load_kb
    from knowledge.models import Chunk
    from knowledge.text import query_terms, sentences
    from tenants.context import agency_context

    evalset = EvalSet.load(directory)
    loaded = reuse(slug, evalset) or load_kb(evalset, slug=slug)
    agency = loaded.agency
    embedder = dense_embedder()
    with agency_context(agency):
        rows = list(
            Chunk.objects.for_agency(agency)
            .filter(is_live=True)
            .order_by("pk")
            .values_list("pk", "document_id", "heading_path", "text", "embedding", "heading_embedding")
        )
        position = {row[0]: n for n, row in enumerate(rows)}
        fts, english, vectors, stripped = [], [], [], []
        for item in evalset.queries:
            terms = query_terms(item["query"], item.get("lang") or "en")
            dfs, _total = retrieval.term_stats(agency=agency, terms=terms)
            found = retrieval.fts_list(agency=agency, terms=terms, audience="staff", depth=DEPTH, dfs=dfs, budget=1000)
            fts.append({position[pk]: score for pk, score in found.items()})
            # Snowball-stemmed ts_rank (title A, body D) of the OR query against every live chunk.
            words = [re.sub(r"[^\w]", "", t) for t in terms]
            words = [w for w in words if w]
            stemmed = {}
            if words:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id, ts_rank(setweight(to_tsvector('english', heading_path), 'A') || "
                        "setweight(to_tsvector('english', text), 'D'), to_tsquery('english', %s)) FROM "
                        "knowledge_chunk WHERE agency_id = %s AND is_live",
                        [" | ".join(words), agency.pk],
                    )
                    stemmed = {position[pk]: float(s) for pk, s in cursor.fetchall() if s and s > 0}
            english.append(stemmed)
            vectors.append(embedder.embed_query(item["query"]))
            bare = INTERROGATIVE.sub("", item["query"]).strip() or item["query"]
            stripped.append(embedder.embed_query(bare))
    owners, texts = {}, {}
    for name, size, with_heading in (("s1", 1, False), ("s2", 2, False), ("h2", 2, True), ("h3", 3, True)):
        owner, batch = [], []
        for n, row in enumerate(rows):
            for window in _windows(sentences(row[3]) or [row[3]], size):
                owner.append(n)
                batch.append(f"{row[2]}\n{window}" if with_heading and row[2] else window)
        owners[name], texts[name] = owner, batch
    window_vectors = {
        name: np.array(embedder.embed_documents(batch), dtype=np.float32) for name, batch in texts.items()
    }
    np.savez_compressed(
        target,
        ids=np.array([row[0] for row in rows]),
        entry=np.array([loaded.doc_to_entry[row[1]] for row in rows]),
        heading=np.array([row[2] for row in rows]),
        text=np.array([row[3] for row in rows]),
        body=np.array([row[4] for row in rows], dtype=np.float32),
        head=np.array([row[5] for row in rows], dtype=np.float32),
        q=np.array(vectors, dtype=np.float32),
        q_bare=np.array(stripped, dtype=np.float32),
        fts=np.array(json.dumps([{str(k): v for k, v in f.items()} for f in fts])),
        english=np.array(json.dumps([{str(k): v for k, v in f.items()} for f in english])),
        **{f"win_{name}": vecs for name, vecs in window_vectors.items()},
        **{f"own_{name}": np.array(owner) for name, owner in owners.items()},
    )
    print({name: len(batch) for name, batch in texts.items()}, "windows;", len(rows), "chunks ->", target)


if __name__ == "__main__":
    if sys.argv[1] == "collect":
        collect(*sys.argv[2:5])
    else:
        import django

        django.setup()
        from core.process import tune

        tune(serves_sockets=False)  # as the process that searches would at start
        from bench.knowledge.quality_run import main

        main(sys.argv[2], sys.argv[3])
