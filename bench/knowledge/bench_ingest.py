"""Ingestion throughput with the configured (default) embedder, through the production pipeline.

    .venv/bin/python bench/knowledge/bench_ingest.py [--entries 600] [--profile] [--shared]

Loads FAQ entries of faq_eval/en as documents into a throwaway agency (`versions_index`, the code the
Celery task runs), reports chunks per second for parse+chunk+embed+store+activate, and deletes the agency.
`--shared` then times the follow-up task that gives the English chunks their vectors in the multilingual space
(`knowledge.shared_space.shared_vectors_fill`, run after activation) and reports what ingestion would reach if
it embedded them inline (`inline_chunks_per_s`: both times together).
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.process import tune  # noqa: E402

tune(serves_sockets=False)  # as the process that searches would at start

from auditlog.context import disable_auditlog  # noqa: E402

from knowledge import services  # noqa: E402
from knowledge.embedders import dense_embedder, dense_embedder_key  # noqa: E402
from knowledge.models import Chunk  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402
from tenants.services import delete_agency  # noqa: E402

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "faq_eval" / "en" / "kb.jsonl"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=600)
    parser.add_argument("--data", default=str(DATA if DATA.exists() else "/work/shared/data/faq_eval/en/kb.jsonl"))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--shared", action="store_true", help="also time the shared-space follow-up")
    parser.add_argument(
        "--documents",
        choices=["faq", "large"],
        default="large",
        help="faq: one small FAQ document per entry; large: Markdown documents of 50 entries each",
    )
    args = parser.parse_args()
    entries = [json.loads(line) for line in Path(args.data).read_text().splitlines()][: args.entries]
    embedder = dense_embedder()
    if embedder is not None:
        embedder.embed_documents(["warm up the model"])  # model load is a one-off, not throughput
    agency = Agency.objects.create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Ingestion bench", is_active=False)
    try:
        with agency_context(agency), disable_auditlog():
            ids = []
            if args.documents == "faq":
                for entry in entries:
                    document = services.document_create(
                        agency=agency,
                        actor=None,
                        title=entry["title"][:300],
                        format="faq_json",
                        queue=False,
                        content=json.dumps([{"question": entry["title"], "answer": entry["text"]}]),
                    )
                    ids.append(document.versions.get().pk)
            else:
                for start in range(0, len(entries), 50):
                    group = entries[start : start + 50]
                    content = "\n\n".join(f"## {e['title']}\n\n{e['text']}" for e in group)
                    document = services.document_create(
                        agency=agency,
                        actor=None,
                        title=f"Guide {start // 50 + 1}",
                        format="markdown",
                        queue=False,
                        content=content,
                    )
                    ids.append(document.versions.get().pk)
            profiler = cProfile.Profile() if args.profile else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            for start in range(0, len(ids), 200):
                services.versions_index(agency=agency, version_ids=ids[start : start + 200], maintain_indexes=False)
            if profiler:
                profiler.disable()
            seconds = time.perf_counter() - started
            chunks = Chunk.objects.for_agency(agency).filter(is_live=True).count()
            shared = {}
            if args.shared:
                from knowledge.embedders import multilingual_embedder
                from knowledge.shared_space import shared_vectors_fill

                multilingual_embedder().embed_documents(["warm up the model"])
                started = time.perf_counter()
                filled = shared_vectors_fill(agency=agency)
                follow = time.perf_counter() - started
                shared = {
                    "shared_filled": filled,
                    "shared_seconds": round(follow, 1),
                    "shared_chunks_per_s": round(filled / follow, 1) if follow else None,
                    "inline_chunks_per_s": round(chunks / (seconds + follow), 1),
                }
        print(
            json.dumps(
                {
                    "embedder": dense_embedder_key() or "lexical only",
                    "mode": args.documents,
                    "documents": len(ids),
                    "chunks": chunks,
                    "seconds": round(seconds, 1),
                    "chunks_per_s": round(chunks / seconds, 1),
                    **shared,
                }
            )
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
    finally:
        delete_agency(agency, reason="bench/knowledge/bench_ingest.py's throwaway agency", audit_trail="purge")


if __name__ == "__main__":
    main()
