"""Load the shared FAQ set (shared/data/faq_eval/en/kb.jsonl, 978 entries) into a `chatbench` agency, so
the chat load benchmark asks questions the knowledge base can answer. Idempotent.

    .venv/bin/python bench/chat/seed_kb.py [--kb /work/shared/data/faq_eval/en/kb.jsonl]

Uses the production knowledge services and the configured embedder (KNOWLEDGE_EMBEDDER).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from auditlog.context import disable_auditlog  # noqa: E402
from django.db import transaction  # noqa: E402

from knowledge import services  # noqa: E402
from knowledge.models import Document  # noqa: E402
from tenants.context import agency_context  # noqa: E402
from tenants.models import Agency  # noqa: E402

SLUG = "chatbench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", default="/work/shared/data/faq_eval/en/kb.jsonl")
    args = parser.parse_args()
    agency, _created = Agency.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Chat Benchmark Agency",
            "languages": ["en"],
            "office_hours": "Monday to Friday, 9:00-17:00",
            "description": "Load-test tenant for bench/chat (FAQ set from shared/data/faq_eval).",
        },
    )
    entries = [json.loads(line) for line in Path(args.kb).read_text(encoding="utf-8").splitlines() if line.strip()]
    with agency_context(agency), disable_auditlog():
        existing = Document.objects.for_agency(agency).count()
        if existing >= len(entries):
            print(f"{SLUG}: {existing} documents already loaded")
            return
        started = time.monotonic()
        version_ids = []
        with transaction.atomic():
            for entry in entries:
                title = (entry.get("title") or "").strip()[:300] or entry["text"][:80]
                source = (entry.get("source") or "").strip()
                document = services.document_create(
                    agency=agency,
                    actor=None,
                    title=title,
                    language="en",
                    source_url=source if source.startswith(("http://", "https://")) and len(source) <= 500 else "",
                    content=json.dumps([{"question": title, "answer": entry["text"]}], ensure_ascii=False),
                    format="faq_json",
                    queue=False,
                )
                version_ids.append(document.versions.get().pk)
        for start in range(0, len(version_ids), 200):
            with transaction.atomic():
                services.versions_index(agency=agency, version_ids=version_ids[start : start + 200])
            print(f"indexed {min(start + 200, len(version_ids))}/{len(version_ids)}", flush=True)
        print(f"{SLUG}: loaded {len(entries)} documents in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
