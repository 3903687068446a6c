"""Retrieval quality measurement on a FAQ set (`kb.jsonl` + `queries.jsonl`, see shared/data/faq_eval).

The KB is loaded into a throwaway agency through the production services (one FAQ document per entry,
indexed by the production pipeline), the queries run through the production `retrieval.search`, and the
agency is deleted afterwards. Documents are ranked by their best passage; identical passages of several
entries are one result of the search, so those entries share its rank.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from auditlog.context import disable_auditlog

from core.language import normalize as normalize_language
from core.sql import platform_cursor
from knowledge import indexes, retrieval, services
from knowledge.models import Chunk
from tenants.context import agency_context
from tenants.models import Agency


@dataclass
class EvalSet:
    kb: list[dict]
    queries: list[dict]

    @classmethod
    def load(cls, directory: str | Path) -> EvalSet:
        directory = Path(directory)
        kb = [
            json.loads(line)
            for line in (directory / "kb.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        queries = [
            json.loads(line)
            for line in (directory / "queries.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        return cls(kb, queries)


@dataclass
class LoadedKB:
    agency: Agency
    doc_to_entry: dict[int, str]
    seconds: float
    chunks: int
    timings: dict = field(default_factory=dict)


def load_kb(evalset: EvalSet, *, slug: str | None = None, progress=None) -> LoadedKB:
    """Create a throwaway agency and index the KB through the production ingestion and embedding code."""
    started = time.monotonic()
    languages = sorted({normalize_language(entry.get("lang")) or "en" for entry in evalset.kb})
    agency = Agency.objects.create(
        slug=slug or f"eval-{uuid.uuid4().hex[:10]}",
        name="Retrieval evaluation (temporary)",
        is_active=False,  # never listed, never reachable from the web
        languages=["en"],
        description=f"Temporary agency for eval_retrieval ({', '.join(languages)}).",
    )
    try:
        return _load_into(agency, evalset, started=started, progress=progress)
    except BaseException:
        _drop_agency(agency)  # a failed or interrupted load leaves no throwaway agency behind
        raise


def _load_into(agency, evalset: EvalSet, *, started: float, progress=None) -> LoadedKB:
    doc_to_entry: dict[int, str] = {}
    version_ids: list[int] = []
    with agency_context(agency), disable_auditlog():
        for entry in evalset.kb:
            title = (entry.get("title") or "").strip() or (entry.get("text") or "")[:80]
            payload = json.dumps([{"question": title, "answer": entry.get("text") or title}], ensure_ascii=False)
            source = (entry.get("source") or "").strip()
            document = services.document_create(
                agency=agency,
                actor=None,
                title=title[:300],
                language=normalize_language(entry.get("lang")) or "en",
                source_url=source if source.startswith(("http://", "https://")) and len(source) <= 500 else "",
                content=payload,
                format="faq_json",
                queue=False,
            )
            doc_to_entry[document.pk] = entry["id"]
            version_ids.append(document.versions.get().pk)
        created = time.monotonic()
        batch = 512
        for start in range(0, len(version_ids), batch):
            services.versions_index(
                agency=agency, version_ids=version_ids[start : start + batch], maintain_indexes=False
            )
            if progress:
                progress(min(start + batch, len(version_ids)), len(version_ids))
        indexes.agency_indexes_ensure(agency=agency)
        with platform_cursor("fresh planner statistics after loading the evaluation's agency") as cursor:
            cursor.execute("ANALYZE knowledge_chunk")
        chunks = Chunk.objects.for_agency(agency).filter(is_live=True).count()
    return LoadedKB(
        agency,
        doc_to_entry,
        time.monotonic() - started,
        chunks,
        {"create_s": round(created - started, 1), "index_s": round(time.monotonic() - created, 1)},
    )


def rank_documents(
    *, loaded: LoadedKB, query: str, language: str | None, config=None, depth: int = 10
) -> list[set[str]]:
    """The KB entries at each rank of the production search, best first. A rank holds more than one entry
    when identical passages were folded into one result (the search shows it once, citing each)."""
    return _ranks(loaded, _search(loaded, query, language, config), depth)


def _search(loaded: LoadedKB, query: str, language: str | None, config) -> list:
    return retrieval.search(
        agency=loaded.agency, query=query, audience="staff", language=language, limit=60, config=config
    )


def _ranks(loaded: LoadedKB, passages: list, depth: int = 10) -> list[set[str]]:
    ranked: list[set[str]] = []
    seen: set[str] = set()
    for passage in passages:
        entries = {loaded.doc_to_entry.get(document_id) for document_id in passage.document_ids} - {None} - seen
        if entries:
            ranked.append(entries)
            seen |= entries
        if len(ranked) >= depth:
            break
    return ranked


def _document_ranks(loaded: LoadedKB, passages: list, depth: int = 10) -> list[str]:
    """Per document (issue 19): a folded result counts once, for its first entry (the lead passage's
    document); the entries folded into it never appear later in the list."""
    ranked: list[str] = []
    seen: set[str] = set()
    for passage in passages:
        entries = [loaded.doc_to_entry.get(document_id) for document_id in passage.document_ids]
        entries = [entry for entry in entries if entry is not None and entry not in seen]
        if entries:
            ranked.append(entries[0])
            seen.update(entries)
        if len(ranked) >= depth:
            break
    return ranked


def evaluate(*, loaded: LoadedKB, queries: list[dict], config=None, per_query: list | None = None) -> dict:
    """recall@1, recall@5, MRR@10 and the refusal rate (the answer would be "I don't know": the best of the
    top three passages is below the confidence floor, as `knowledge.services.answers` decides). `per_query`:
    a list to append each query's rank of its first relevant entry (None: not in the top 10) to."""
    from knowledge.services import confidence_floor

    floor = confidence_floor()
    r1 = r5 = mrr = refused = 0.0
    doc_r1 = doc_r5 = doc_mrr = 0.0
    latencies = []
    with agency_context(loaded.agency):
        for item in queries:
            relevant = set(item.get("relevant") or [])
            started = time.perf_counter()
            passages = _search(loaded, item["query"], item.get("lang"), config)
            ranked = _ranks(loaded, passages)
            latencies.append(time.perf_counter() - started)
            rank = next((rank for rank, entries in enumerate(ranked[:10], 1) if entries & relevant), None)
            by_document = _document_ranks(loaded, passages)
            doc_rank = next((rank for rank, entry in enumerate(by_document, 1) if entry in relevant), None)
            doc_r1 += doc_rank == 1
            doc_r5 += doc_rank is not None and doc_rank <= 5
            doc_mrr += 1 / doc_rank if doc_rank else 0.0
            top = max((p.confidence for p in passages[:3]), default=0.0)
            r1 += rank == 1
            r5 += rank is not None and rank <= 5
            mrr += 1 / rank if rank else 0.0
            refused += top < floor
            if per_query is not None:
                per_query.append(
                    {
                        "query": item["query"],
                        "lang": item.get("lang"),
                        "relevant": sorted(relevant),
                        "rank": rank,
                        "document_rank": doc_rank,
                        "top": sorted(ranked[0]) if ranked else [],
                        "confidence": round(top, 4),
                        "refused": top < floor,
                    }
                )
    n = len(queries) or 1
    latencies.sort()
    return {
        "recall@1": round(r1 / n, 4),
        "recall@5": round(r5 / n, 4),
        "mrr@10": round(mrr / n, 4),
        "refusal_rate": round(refused / n, 4),
        "document": {
            "recall@1": round(doc_r1 / n, 4),
            "recall@5": round(doc_r5 / n, 4),
            "mrr@10": round(doc_mrr / n, 4),
        },
        "n": len(queries),
        "latency_p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "latency_p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
    }


def drop_kb(loaded: LoadedKB) -> None:
    _drop_agency(loaded.agency)


def _drop_agency(agency) -> None:
    from tenants.services import delete_agency

    # Its indexes, the cascade in its scope (row-level security), its throwaway audit trail: tenants.services.
    delete_agency(agency, reason="eval_retrieval's throwaway agency", audit_trail="purge")
