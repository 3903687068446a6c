"""Collect every raw retrieval list per query once, then compare fusion rules offline (research helper).

KNOWLEDGE_EMBEDDER=minilm .venv/bin/python bench/knowledge/fusion_lab.py collect DIR SLUG OUT.json
.venv/bin/python bench/knowledge/fusion_lab.py fuse OUT.json
"""

import json
import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def collect(directory, slug, out):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from core.process import tune

    tune(serves_sockets=False)  # as the process that searches would at start
    from bench.knowledge import lists
    from bench.knowledge.variants import reuse
    from knowledge import retrieval
    from knowledge.embedders import dense_embedder, dense_embedder_key, lexical_embedder
    from knowledge.evaluation import EvalSet
    from knowledge.models import Chunk
    from knowledge.text import query_terms
    from tenants.context import agency_context

    evalset = EvalSet.load(directory)
    loaded = reuse(slug, evalset)
    agency = loaded.agency
    rows = []
    with agency_context(agency):
        chunk_doc = {
            pk: loaded.doc_to_entry[doc]
            for pk, doc in Chunk.objects.for_agency(agency).filter(is_live=True).values_list("pk", "document_id")
        }
        embedder = dense_embedder()
        lexical = lexical_embedder()
        for item in evalset.queries:
            q = item["query"]
            lang = item.get("lang", "en")
            terms = query_terms(q, lang)
            idf, unseen = retrieval.query_idf(agency=agency, features=lexical.feature_set(q))
            entry = {"query": q, "relevant": item["relevant"], "lang": lang}
            entry["fts"] = retrieval.fts_list(agency=agency, terms=terms, audience="staff", depth=200)
            tidf = lists.term_idf(agency=agency, terms=terms)
            all_terms = list(dict.fromkeys(__import__("knowledge.text", fromlist=["tokenize"]).tokenize(q)))
            tidf_all = lists.term_idf(agency=agency, terms=all_terms)
            for norm in (0, 1, 2):
                entry[f"bm{norm}"] = retrieval.fts_bm25_list(
                    agency=agency, terms=terms, idf=tidf, audience="staff", depth=200, normalization=norm
                )
            entry["bm_all"] = retrieval.fts_bm25_list(
                agency=agency, terms=all_terms, idf=tidf_all, audience="staff", depth=200
            )
            entry["bm_title"] = retrieval.fts_bm25_list(
                agency=agency, terms=terms, idf=tidf, audience="staff", depth=200, weights="{0.05, 0.1, 0.2, 1.0}"
            )
            entry["bm_flat"] = retrieval.fts_bm25_list(
                agency=agency, terms=terms, idf=tidf, audience="staff", depth=200, weights="{0.3, 0.2, 0.4, 1.0}"
            )
            entry["lexical"] = retrieval.lexical_list(
                agency=agency, vector=lexical.embed(q, idf=idf, unseen_idf=unseen), audience="staff", depth=200
            )
            if embedder is not None:
                import numpy as np

                vec = embedder.embed_query(q)
                # corpus-adaptive: drop very common words (df > 10% of chunks) from a second query view
                tokens = q.split()
                from knowledge.text import tokenize as _tok

                all_idf = lists.term_idf(agency=agency, terms=list(dict.fromkeys(_tok(q))))
                n_common = [t for t, v in all_idf.items() if v < 2.0]
                kept = [w for w in tokens if not any(t in n_common for t in _tok(w))]
                q2 = " ".join(kept) or q
                vec2 = embedder.embed_query(q2)
                entry["q_rare"] = q2
                for column in ("embedding", "heading_embedding"):
                    entry["rare_" + column] = lists.single_dense_list(
                        agency=agency,
                        vector=vec2,
                        audience="staff",
                        depth=200,
                        embedder_key=dense_embedder_key(),
                        column=column,
                    )
                # PRF: add the mean of the top-3 heading vectors
                top = lists.single_dense_list(
                    agency=agency,
                    vector=vec,
                    audience="staff",
                    depth=3,
                    embedder_key=dense_embedder_key(),
                    column="heading_embedding",
                )
                tv = [
                    np.array(v)
                    for v in Chunk.objects.filter(pk__in=list(top)).values_list("heading_embedding", flat=True)
                ]
                for beta in (0.3, 0.6):
                    pv = np.array(vec) + beta * np.mean(tv, axis=0)
                    pv = (pv / np.linalg.norm(pv)).tolist()
                    for column in ("embedding", "heading_embedding"):
                        entry[f"prf{beta}_" + column] = lists.single_dense_list(
                            agency=agency,
                            vector=pv,
                            audience="staff",
                            depth=200,
                            embedder_key=dense_embedder_key(),
                            column=column,
                        )
                for column in ("embedding", "heading_embedding"):
                    entry[column] = lists.single_dense_list(
                        agency=agency,
                        vector=vec,
                        audience="staff",
                        depth=200,
                        embedder_key=dense_embedder_key(),
                        column=column,
                    )
            rows.append(entry)
    Path(out).write_text(json.dumps({"chunk_doc": chunk_doc, "rows": rows}))


# --- offline fusion -------------------------------------------------------------------------------


def metrics(rankings, rows):
    r1 = r5 = mrr = 0
    for ranked, row in zip(rankings, rows, strict=True):
        rel = set(row["relevant"])
        r1 += bool(ranked) and ranked[0] in rel
        r5 += any(d in rel for d in ranked[:5])
        mrr += next((1 / i for i, d in enumerate(ranked[:10], 1) if d in rel), 0)
    n = len(rows)
    return round(r1 / n, 3), round(r5 / n, 3), round(mrr / n, 3)


def to_docs(scores, chunk_doc):
    best = {}
    for chunk, s in scores.items():
        d = chunk_doc.get(str(chunk), chunk_doc.get(chunk))
        if d is not None and s > best.get(d, -1e9):
            best[d] = s
    return best


def ranked(scores):
    return [d for d, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))]


def rrf_docs(lists, weights, k=60):
    acc = {}
    for name, docs in lists.items():
        w = weights.get(name, 0)
        if not w:
            continue
        for r, d in enumerate(ranked(docs)[:100], 1):
            acc[d] = acc.get(d, 0) + w / (k + r)
    return acc


LISTS = (
    "fts",
    "lexical",
    "embedding",
    "heading_embedding",
    "bm0",
    "bm1",
    "bm2",
    "bm_all",
    "bm_title",
    "bm_flat",
    "rare_embedding",
    "rare_heading_embedding",
    "prf0.3_embedding",
    "prf0.3_heading_embedding",
    "prf0.6_embedding",
    "prf0.6_heading_embedding",
)


def fuse(path):
    data = json.loads(Path(path).read_text())
    chunk_doc = data["chunk_doc"]
    rows = data["rows"]
    per = []
    for row in rows:
        lists = {name: {int(c): s for c, s in row.get(name, {}).items()} for name in LISTS}
        docs = {name: to_docs(v, chunk_doc) for name, v in lists.items()}
        dense = {}
        for name in ("embedding", "heading_embedding"):
            for d, s in docs[name].items():
                dense[d] = max(dense.get(d, -1), s)
        docs["dense"] = dense
        for prefix in ("rare_", "prf0.3_", "prf0.6_"):
            dd = {}
            for name in ("embedding", "heading_embedding"):
                for d, sc in docs[prefix + name].items():
                    dd[d] = max(dd.get(d, -1), sc)
            docs[prefix + "dense"] = dd
        per.append(docs)

    def run(label, fn):
        print(f"{label:55s}", metrics([fn(p) for p in per], rows))

    for name in (*LISTS, "dense", "rare_dense", "prf0.3_dense", "prf0.6_dense"):
        run(f"single {name}", lambda p, n=name: ranked(p[n]))
    for extra in ("rare_dense", "prf0.3_dense", "prf0.6_dense"):
        run(f"rrf dense+fts+{extra}", lambda p, n=extra: ranked(rrf_docs(p, {"dense": 1, "fts": 1, n: 1})))
        run(f"rrf {extra}+fts", lambda p, n=extra: ranked(rrf_docs(p, {"fts": 1, n: 1})))
        run(f"rrf dense+{extra}", lambda p, n=extra: ranked(rrf_docs(p, {"dense": 1, n: 1})))
    for k in (10, 20, 30, 60, 100):
        for wd in (1, 1.5, 2):
            run(f"rrf k={k} dense={wd} fts=1", lambda p, k=k, wd=wd: ranked(rrf_docs(p, {"dense": wd, "fts": 1}, k)))
    for name in LISTS[4:]:
        run(f"rrf dense+{name}", lambda p, n=name: ranked(rrf_docs(p, {"dense": 1, n: 1})))
        run(f"rrf dense+{name}+lex.5", lambda p, n=name: ranked(rrf_docs(p, {"dense": 1, n: 1, "lexical": 0.5})))
    for w in (
        {"dense": 1, "fts": 1},
        {"dense": 1, "lexical": 1},
        {"dense": 1, "lexical": 1, "fts": 1},
        {"dense": 1, "lexical": 0.5, "fts": 0.5},
        {"dense": 2, "lexical": 1, "fts": 1},
        {"embedding": 1, "heading_embedding": 1, "fts": 1},
        {"embedding": 1, "heading_embedding": 1, "fts": 1, "lexical": 1},
        {"embedding": 0.5, "heading_embedding": 1, "fts": 1},
        {"embedding": 1, "heading_embedding": 0.5, "fts": 1, "lexical": 0.5},
    ):
        for k in (60,):
            run(f"rrf k={k} {w}", lambda p, w=w, k=k: ranked(rrf_docs(p, w, k)))

    # score-based: z-normalise each list over its top 100, weighted sum, missing = min
    def zfuse(p, weights, depth=100):
        acc = {}
        for name, w in weights.items():
            items = sorted(p[name].items(), key=lambda kv: -kv[1])[:depth]
            if not items:
                continue
            vals = [s for _, s in items]
            mean = sum(vals) / len(vals)
            sd = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals)) or 1
            floor = (min(vals) - mean) / sd
            scores = {d: (s - mean) / sd for d, s in items}
            for d in set(acc) | set(scores):
                acc[d] = acc.get(d, 0) + w * scores.get(d, floor)
        return acc

    for w in (
        {"dense": 1, "fts": 1},
        {"dense": 1, "lexical": 1},
        {"dense": 1, "lexical": 1, "fts": 1},
        {"dense": 1, "lexical": 0.5, "fts": 0.5},
        {"dense": 2, "lexical": 1, "fts": 1},
        {"embedding": 1, "heading_embedding": 1, "fts": 1, "lexical": 1},
        {"dense": 1.5, "lexical": 0.5, "fts": 1},
    ):
        run(f"z-sum {w}", lambda p, w=w: ranked(zfuse(p, w)))

    def minmax(p, weights, depth=100):
        acc = {}
        for name, w in weights.items():
            items = sorted(p[name].items(), key=lambda kv: -kv[1])[:depth]
            if not items:
                continue
            hi, lo = items[0][1], items[-1][1]
            span = (hi - lo) or 1
            for d, s in items:
                acc[d] = acc.get(d, 0) + w * (s - lo) / span
        return acc

    for w in (
        {"dense": 1, "fts": 1},
        {"dense": 1, "lexical": 1, "fts": 1},
        {"dense": 1, "lexical": 0.5, "fts": 0.5},
        {"dense": 2, "lexical": 1, "fts": 1},
    ):
        run(f"minmax {w}", lambda p, w=w: ranked(minmax(p, w)))


if __name__ == "__main__":
    if sys.argv[1] == "collect":
        collect(*sys.argv[2:5])
    else:
        fuse(sys.argv[2])
