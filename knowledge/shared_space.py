# ruff: noqa: RUF002 - heading paths are joined with a right-pointing angle quotation mark
"""Every live chunk's vectors in the multilingual encoder's space (`Chunk.shared_embedding`,
`shared_heading_embedding`): what a question in another language is compared with when nothing in its own
language answers it (`retrieval.crosslingual`).

A chunk whose own space is that encoder's (German, Spanish, Chinese, … under MiniLM) gets them when it is
indexed: the same vectors. An English chunk (MiniLM's space) needs a second embedding; doing it during indexing
would take ingestion below its target (bench/knowledge/RESULTS.md), so it is done after activation by
`knowledge.fill_shared_vectors` (queued with the index maintenance of each activation). The version answers in
its own language at once and across languages a moment later. A beat sweep (`knowledge.shared_vectors_sweep`)
queues the same task for any agency with live chunks still lacking them: existing knowledge bases after the
upgrade, or a task lost with its worker.

A heading that asks a question is embedded on its own, without the path above it, and without the asker's pronouns
(`heading_text`: "Trash › When is my trash collected?" as "When is trash collected?"; the question is compared
without them too: `knowledge.asker`).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q

from core.language import primary as primary_language
from knowledge.asker import without_asker
from knowledge.embedders import dense_embedder_name, multilingual_embedder
from knowledge.embedders.e5 import e5_available, e5_embedder
from knowledge.ingestion.base import HEADING_SEPARATOR
from knowledge.models import Chunk

logger = logging.getLogger(__name__)

BATCH_SIZE = 64


def shared_space_enabled() -> bool:
    """Cross-language vectors need the multilingual encoder, and dense vectors at all
    (`KNOWLEDGE_EMBEDDER=none` means lexical and full text only, in every language)."""
    return dense_embedder_name() != "none" and multilingual_embedder() is not None


def shared_vectors_missing(*, agency) -> bool:
    """Whether the agency has live chunks without shared-space vectors (one probe of a partial index), or
    first-language ones without their e5 vector (`retrieval.e5_across`)."""
    live = Chunk.objects.for_agency(agency).filter(is_live=True)
    if live.filter(shared_embedding__isnull=True).exists():
        return True
    return e5_available() and _e5_missing(agency).exists()


def _e5_missing(agency):
    """The agency's live chunks in its first language without an e5 vector (those a question in another language
    may be answered from)."""
    first = primary_language((agency.languages or ["en"])[0])
    return Chunk.objects.for_agency(agency).filter(
        Q(language=first) | Q(language__startswith=f"{first}-"), is_live=True, e5_embedding__isnull=True
    )


def shared_vectors_fill(*, agency, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Compute the shared-space vectors of the agency's live chunks that lack them, a batch per transaction.
    The number of chunks filled.

    Each batch's rows are locked with SKIP LOCKED while they are embedded, so two fills of one agency (the
    activation's and the sweep's) share the work instead of doing it twice."""
    if not shared_space_enabled():
        return 0
    embedder = multilingual_embedder()
    done = batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            chunks = list(
                Chunk.objects.for_agency(agency)
                .select_for_update(skip_locked=True, of=("self",))
                .filter(is_live=True, shared_embedding__isnull=True)
                .order_by("pk")
                .only("pk", "heading_path", "text", "language", "embedder", "embedding", "heading_embedding")[
                    :batch_size
                ]
            )
            if not chunks:
                break
            _embed(embedder, chunks)
            Chunk.objects.bulk_update(chunks, ["shared_embedding", "shared_heading_embedding"])
        done += len(chunks)
        batches += 1
    if done:
        logger.info("Agency %s: shared-space vectors for %s chunks", agency.pk, done)
    e5_vectors_fill(agency=agency, batch_size=batch_size, max_batches=max_batches)
    return done


def e5_vectors_fill(*, agency, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """The e5 vectors of the agency's live first-language chunks that lack them, a batch per transaction (locked as
    `shared_vectors_fill`'s); the number filled. Nothing when e5 is off or not built. ~15 ms CPU per chunk."""
    embedder = e5_embedder()
    if embedder is None:
        return 0
    from knowledge.indexing import embedding_text

    done = batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            chunks = list(
                _e5_missing(agency)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .only("pk", "heading_path", "text")[:batch_size]
            )
            if not chunks:
                break
            texts = list(dict.fromkeys(embedding_text(c.heading_path, c.text) for c in chunks))
            vectors = dict(zip(texts, embedder.embed_documents(texts), strict=True))
            for chunk in chunks:
                chunk.e5_embedding = vectors[embedding_text(chunk.heading_path, chunk.text)]
            Chunk.objects.bulk_update(chunks, ["e5_embedding"])
        done += len(chunks)
        batches += 1
    if done:
        logger.info("Agency %s: e5 vectors for %s chunks", agency.pk, done)
    return done


def _embed(embedder, chunks: list[Chunk]) -> None:
    from knowledge.indexing import embedding_text

    own = [c for c in chunks if c.embedder == embedder.key and c.embedding is not None]
    for chunk in own:  # already in that space: the same vectors
        chunk.shared_embedding = chunk.embedding
        chunk.shared_heading_embedding = chunk.heading_embedding
    own_ids = {c.pk for c in own}
    rest = [c for c in chunks if c.pk not in own_ids]
    if not rest:
        return
    texts = list(dict.fromkeys(embedding_text(c.heading_path, c.text) for c in rest))
    vectors = dict(zip(texts, embedder.embed_documents(texts), strict=True))
    headings = sorted({heading_text(c.heading_path, c.language) for c in rest if c.heading_path})
    heading_vectors = dict(zip(headings, embedder.embed_documents(headings), strict=True)) if headings else {}
    for chunk in rest:
        chunk.shared_embedding = vectors[embedding_text(chunk.heading_path, chunk.text)]
        chunk.shared_heading_embedding = (
            heading_vectors.get(heading_text(chunk.heading_path, chunk.language)) if chunk.heading_path else None
        )


_QUESTION_MARKS = ("?", "\uff1f", "\u061f")  # and the full-width and Arabic question marks


def heading_text(heading: str, language: str | None) -> str:
    """What a heading is embedded as in the shared space: a heading that asks a question stands alone ("Trash ›
    When is my trash collected?" as its last part, which a citizen's question mirrors; another keeps its path, its
    context), without the asker's pronouns (`knowledge.asker`: "When is trash collected?")."""
    leaf = heading.rsplit(HEADING_SEPARATOR, 1)[-1].strip()
    if leaf.endswith(_QUESTION_MARKS):
        heading = leaf
    return without_asker(heading, language)
