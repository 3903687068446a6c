"""What multilingual-e5-small would give a question asked across languages (issue 19, session 27): observations for
`e5_across_lab.py`.

    .venv/bin/python -m knowledge.embedders.e5_build          # the production model (`make` builds it)
    .venv/bin/python bench/knowledge/e5_across.py [--set PATH] --out OBS.json

For each question of the set (default: the calibration set bench/knowledge/crosslingual_set.jsonl; `--set`: a
JSONL file of lines {"agency", "lang", "query", "answer": heading | null}), what `translated_lab.observe` records
of today's path (the same-language answer, the cross-language candidates with their scores, the same-language and
loanword suggestions), and, for every live public chunk of the agency in its first language (the passages a
question in another language may be answered from; identical chunks folded as the search folds them):

- its e5 cosines with the question ("query: " + question against "passage: " + heading and text, and against
  "passage: " + the heading as the shared space embeds it, `shared_space.heading_text`), with production's model
  and encoder (`knowledge.embedders.e5`: one passage at a time, as production stores them);
- its cosines in today's shared space (USE-m3, the chunk's stored `shared_embedding` / `shared_heading_embedding`;
  None for a language USE-m3 does not know);
- whether it answers the question and its suggestion label's key (`related._key`).

Passage vectors are cached per text in `--cache` (an .npz), so a second set reuses them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.knowledge import translated_lab  # sets Django up (crosslingual_floor): first of the project's
from core.language import primary as primary_language
from core.sql import agency_cursor
from knowledge import related
from knowledge.asker import without_asker
from knowledge.embedders import multilingual_embedder
from knowledge.embedders.e5 import E5Embedder
from knowledge.embedders.e5_build import build
from knowledge.indexing import embedding_text
from knowledge.models import Audience
from knowledge.retrieval.pipeline import chunks_read, identical_groups, passage_of
from knowledge.retrieval.sql import audience_filter
from knowledge.shared_space import heading_text, shared_vectors_fill
from tenants.context import agency_context


def _vector(text) -> np.ndarray | None:
    if text is None:
        return None
    return np.array(json.loads(text) if isinstance(text, str) else list(text), dtype=np.float32)


def agency_passages(agency) -> list[dict]:
    """The agency's live public chunks in its first language, identical ones folded: passage (for rightness and
    the label), e5 texts, and the stored shared-space vectors."""
    first = primary_language((agency.languages or ["en"])[0])
    audience_sql, params = audience_filter(Audience.PUBLIC)
    with agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT id, language, shared_embedding::text, shared_heading_embedding::text FROM knowledge_chunk "  # noqa: S608 - our filter
            f"WHERE agency_id = %s AND is_live{audience_sql} ORDER BY id",
            [agency.pk, *params],
        )
        rows = [r for r in cursor.fetchall() if primary_language(r[1]) == first]
    shared = {r[0]: (_vector(r[2]), _vector(r[3])) for r in rows}
    chunks = chunks_read(agency=agency, ids=list(shared))
    ordered = [chunks[i] for i in sorted(chunks)]
    out = []
    for lead, *twins in identical_groups(ordered):
        passage = passage_of(
            lead,
            score=0.0,
            signals={},
            confidence=0.0,
            also=[passage_of(t, score=0.0, signals={}, confidence=0.0) for t in twins],
        )
        out.append(
            {
                "passage": passage,
                "body": embedding_text(lead.heading_path, lead.text),
                "head": heading_text(lead.heading_path, lead.language) if lead.heading_path else None,
                "shared": shared[lead.pk],
            }
        )
    return out


class Cache:
    """e5 passage vectors by text, kept in an .npz between runs."""

    def __init__(self, path: Path | None):
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path and path.exists():
            with np.load(path) as data:
                self.vectors = {k: data[k] for k in data.files}

    def passages(self, model: E5Embedder, texts: list[str]) -> list[np.ndarray]:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]  # noqa: S324 - a cache key
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items())
        if missing:
            started = time.process_time()
            for (key, _text), vector in zip(missing, model.embed_documents([t for _k, t in missing]), strict=True):
                self.vectors[key] = np.asarray(vector, dtype=np.float32)
            print(f"  e5: {len(missing)} passages embedded in {time.process_time() - started:.1f} s CPU", flush=True)
            if self.path:
                np.savez(self.path, **self.vectors)
        return [self.vectors[k] for k in keys]


def observe(path: Path | None, model: E5Embedder, cache: Cache) -> list[dict]:
    rows, agencies, is_right = translated_lab.load_set(path)
    for agency in agencies.values():
        with agency_context(agency):
            shared_vectors_fill(agency=agency)
    observed = translated_lab.observe(rows, agencies, is_right)
    use = multilingual_embedder()
    by_agency = {}
    for kb, agency in agencies.items():
        with agency_context(agency):
            found = agency_passages(agency)
        bodies = cache.passages(model, [p["body"] for p in found])
        heads = cache.passages(model, [p["head"] or p["body"] for p in found])
        by_agency[kb] = (found, np.stack(bodies), np.stack(heads))
    cpu = 0.0
    for row, obs in zip(rows, observed, strict=True):
        found, bodies, heads = by_agency[row["kb"]]
        own = primary_language(row["lang"])
        started = time.process_time()
        q = model.embed_query(" ".join(row["query"].split())[:1000])  # as the answer service cleans it
        cpu += time.process_time() - started
        e5_body, e5_head = bodies @ q, heads @ q
        u = None
        if own in use.languages:
            u = np.asarray(use.embed_query(without_asker(row["query"], own)), dtype=np.float32)
        cells = []
        for i, p in enumerate(found):
            body, head = p["shared"]
            cells.append(
                [
                    round(float(e5_body[i]), 5),
                    round(float(e5_head[i]), 5) if p["head"] else None,
                    round(float(body @ u), 5) if u is not None and body is not None else None,
                    round(float(head @ u), 5) if u is not None and head is not None else None,
                    bool(is_right(row, p["passage"])),
                    related._key(p["passage"]),
                ]
            )
        obs["e5"] = cells
    print(f"  e5: {len(rows)} questions, {1000 * cpu / max(1, len(rows)):.1f} ms CPU per question", flush=True)
    return observed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, help="a JSONL set (default: the calibration set)")
    parser.add_argument("--cache", type=Path, help="an .npz of e5 passage vectors kept between runs")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    model = E5Embedder(build())
    observed = observe(args.set, model, Cache(args.cache))
    args.out.write_text(json.dumps(observed, ensure_ascii=False, default=str))
    print(f"{len(observed)} questions observed → {args.out}")


if __name__ == "__main__":
    main()
