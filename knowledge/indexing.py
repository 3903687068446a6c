"""The indexing pipeline: source → chunk drafts → vectors (batched across versions) → chunk rows.

Chunk rows are keyed by (version, checksum), so re-running leaves the same rows and only computes what
is missing; vectors of identical passages already in the agency (an unchanged section of a re-uploaded
document) are reused instead of re-embedded. Progress is written per batch, outside any long
transaction, so the staff UI sees it live. Rows stay `is_live = False` until the version is activated.

Each chunk is embedded by the dense embedder that knows its language (`embedders.embedder_for`): MiniLM
for English, the multilingual encoder for German, Spanish, Chinese and the others it knows.
"""

from __future__ import annotations

import time
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.language import normalize as normalize_language
from core.sql import agency_cursor
from knowledge.embedders import embedder_for, lexical_embedder, multilingual_embedder
from knowledge.ingestion import ChunkDraft, IngestionError, chunk_sections, parse
from knowledge.models import Chunk, DocumentVersion
from knowledge.retrieval import TERM_COUNT_FEATURE
from knowledge.shared_space import shared_space_enabled
from knowledge.text import fts_config, tokenize
from knowledge.vector_cache import GENERATION_FEATURE

BATCH_SIZE = 64
HEARTBEAT_SECONDS = 30.0  # how often the versions of a batch load that a batch did not touch say they are alive


def embedding_text(heading_path: str, text: str) -> str:
    return f"{heading_path}\n{text}".strip() if heading_path else text


def fts_text(text: str) -> str:
    return " ".join(tokenize(text))


MAX_ALSO_ASKED_CHARS = 4000


def lexical_text(text: str, also_asked: str = "") -> str:
    """What a chunk's lexical vector is made of: its heading and text, and its document's "also asked as"
    phrasings (`Document.also_asked`: the agency's synonyms)."""
    also_asked = (also_asked or "").strip()[:MAX_ALSO_ASKED_CHARS]
    return f"{text}\n{also_asked}" if also_asked else text


# Full text: the heading (the FAQ question) weighs most, the agency's "also asked as" phrasings next, the body least.
SEARCH_UPDATE_SQL = (
    "UPDATE knowledge_chunk AS c SET search = setweight(to_tsvector(v.cfg::regconfig, v.h), 'A') || "
    "setweight(to_tsvector(v.cfg::regconfig, v.a), 'B') || setweight(to_tsvector(v.cfg::regconfig, v.b), 'D') "
    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS v(id, cfg, h, a, b) "
    "WHERE c.id = v.id AND c.agency_id = %s"
)


def search_update(cursor, *, agency, rows) -> None:
    """Set the full-text vectors of `rows`: (chunk id, language, heading, also asked, text)."""
    cursor.execute(
        SEARCH_UPDATE_SQL,
        [
            [row[0] for row in rows],
            [fts_config(row[1]) for row in rows],
            [fts_text(row[2]) for row in rows],
            [fts_text((row[3] or "")[:MAX_ALSO_ASKED_CHARS]) for row in rows],
            [fts_text(row[4]) for row in rows],
            agency.pk,
        ],
    )


def version_sections(version: DocumentVersion):
    data = None
    if version.file:
        try:
            with version.file.open("rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise IngestionError(f"The uploaded file is missing: {exc}") from exc
    return parse(version.format, text=version.content or "", data=data, title=version.document.title)


def version_drafts(version: DocumentVersion) -> list[ChunkDraft]:
    drafts = chunk_sections(
        version_sections(version), default_language=normalize_language(version.document.language) or "en"
    )
    if not drafts:
        raise IngestionError("No text found in this document.")
    return drafts


def set_progress(version: DocumentVersion, done: int, total: int) -> None:
    """Record progress and the time of it (`progress_at`: what the stalled-indexing sweep looks at)."""
    DocumentVersion.objects.for_agency(version.agency).filter(pk=version.pk).update(
        progress_done=done, progress_total=total, progress_at=timezone.now()
    )


def heartbeat(*, agency, version_ids: list[int]) -> None:
    """Mark versions as being indexed now, without changing their progress."""
    DocumentVersion.objects.for_agency(agency).filter(pk__in=version_ids).update(progress_at=timezone.now())


def _complete_checksums(*, agency, version: DocumentVersion, keys: dict[str, str]) -> set[str]:
    """Checksums of the version's chunks already stored with vectors from the embedder their language wants
    (`keys`: checksum → embedder key, "" for lexical only)."""
    rows = Chunk.objects.for_agency(agency).filter(version=version, lexical__isnull=False)
    stored = rows.filter(embedding__isnull=False) | rows.filter(embedder="")
    return {checksum for checksum, key in stored.values_list("checksum", "embedder") if keys.get(checksum) == key}


def embed_versions(*, agency, prepared: list[tuple[DocumentVersion, list[ChunkDraft]]], batch_size: int | None = None):
    """Embed and store the chunks of several versions; batches span versions for throughput."""
    batch_size = batch_size or int(getattr(settings, "KNOWLEDGE_EMBED_BATCH", BATCH_SIZE))
    routes = {language: embedder_for(language) for _v, drafts in prepared for language in {d.language for d in drafts}}
    pending: list[tuple[DocumentVersion, ChunkDraft]] = []
    progress: dict[int, list[int]] = {}
    for version, drafts in prepared:
        Chunk.objects.for_agency(agency).filter(version=version).exclude(
            checksum__in=[draft.checksum for draft in drafts]
        ).delete()
        keys = {draft.checksum: routes[draft.language][1] for draft in drafts}
        complete = _complete_checksums(agency=agency, version=version, keys=keys)
        progress[version.pk] = [len(complete), len(drafts)]
        set_progress(version, len(complete), len(drafts))
        pending.extend((version, draft) for draft in drafts if draft.checksum not in complete)
    heading_cache: dict[tuple[str, str], list[float]] = {}
    by_pk = {version.pk: version for version, _ in prepared}
    beat = time.monotonic()
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        _store_batch(agency=agency, batch=batch, routes=routes, heading_cache=heading_cache)
        touched = Counter(version.pk for version, _draft in batch)
        for version_pk, count in touched.items():
            progress[version_pk][0] += count
            set_progress(by_pk[version_pk], *progress[version_pk])
        if time.monotonic() - beat > HEARTBEAT_SECONDS:  # a bulk load's other versions (waiting, or done
            beat = time.monotonic()  # and not yet activated) are alive too
            others = [pk for pk in progress if pk not in touched]
            if others:
                heartbeat(agency=agency, version_ids=others)
        if len(heading_cache) > 20000:
            heading_cache.clear()


def _reusable_vectors(*, agency, checksums: list[str], key: str) -> dict[str, tuple]:
    rows = (
        Chunk.objects.for_agency(agency)
        .filter(checksum__in=checksums, embedder=key, lexical__isnull=False)
        .values_list(
            "checksum", "embedding", "heading_embedding", "lexical", "shared_embedding", "shared_heading_embedding"
        )
    )
    found = {}
    for checksum, embedding, heading_embedding, lexical, shared, shared_heading in rows:
        if key and embedding is None:
            continue
        if checksum not in found or (shared is not None and found[checksum][3] is None):
            found[checksum] = (embedding, heading_embedding, lexical, shared, shared_heading)
    return found


def _store_batch(*, agency, batch, routes: dict, heading_cache: dict) -> None:
    """`routes`: language → (embedder or None, key); `heading_cache`: (key, heading) → vector."""
    by_route: dict[tuple, list[ChunkDraft]] = {}
    for _version, draft in batch:
        by_route.setdefault(routes[draft.language], []).append(draft)
    reuse: dict[tuple[str, str], tuple] = {}  # (key, checksum) → stored vectors of an identical passage
    dense: dict[tuple[str, str], list[float]] = {}  # (key, checksum) → fresh passage vector
    for (embedder, key), drafts in by_route.items():
        found = _reusable_vectors(agency=agency, checksums=[draft.checksum for draft in drafts], key=key)
        reuse.update(((key, checksum), vectors) for checksum, vectors in found.items())
        fresh = [draft for draft in drafts if draft.checksum not in found]
        if embedder is None or not fresh:
            continue
        texts = list(dict.fromkeys(draft.embedding_text for draft in fresh))
        vectors = dict(zip(texts, embedder.embed_documents(texts), strict=True))
        dense.update({(key, draft.checksum): vectors[draft.embedding_text] for draft in fresh})
        headings = sorted(
            {
                draft.heading_path
                for draft in fresh
                if draft.heading_path and (key, draft.heading_path) not in heading_cache
            }
        )
        if headings:
            vectors = embedder.embed_documents(headings)
            heading_cache.update(((key, heading), vector) for heading, vector in zip(headings, vectors, strict=True))
    lexical = lexical_embedder()
    multilingual = multilingual_embedder() if shared_space_enabled() else None
    shared_key = multilingual.key if multilingual is not None else None
    rows = []
    for version, draft in batch:
        embedder, key = routes[draft.language]
        also_asked = version.document.also_asked
        if (key, draft.checksum) in reuse:
            embedding, heading_embedding, lexical_vector, shared, shared_heading = reuse[key, draft.checksum]
            if also_asked:  # an identical passage's lexical vector lacks this document's phrasings
                lexical_vector = lexical.embed(lexical_text(draft.embedding_text, also_asked))
        else:
            embedding = dense.get((key, draft.checksum))
            heading_embedding = heading_cache.get((key, draft.heading_path)) if embedder is not None else None
            lexical_vector = lexical.embed(lexical_text(draft.embedding_text, also_asked))
            shared = shared_heading = None
        if shared is None and embedding is not None and key == shared_key:
            # Already in the multilingual encoder's space: answers across languages at once. Other chunks get
            # theirs after activation (`knowledge.shared_space`).
            shared, shared_heading = embedding, heading_embedding
        rows.append(
            Chunk(
                agency=agency,
                version=version,
                document_id=version.document_id,
                order=draft.order,
                heading_path=draft.heading_path,
                text=draft.text,
                language=draft.language,
                checksum=draft.checksum,
                embedder=key,
                embedding=embedding,
                heading_embedding=heading_embedding,
                lexical=lexical_vector,
                shared_embedding=shared,
                shared_heading_embedding=shared_heading,
                audience=version.document.audience,
                is_live=False,
            )
        )
    with transaction.atomic():
        created = Chunk.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["version", "checksum"],
            update_fields=[
                "order",
                "heading_path",
                "text",
                "language",
                "embedder",
                "embedding",
                "heading_embedding",
                "lexical",
                "shared_embedding",
                "shared_heading_embedding",
            ],
        )
        with agency_cursor(agency) as cursor:
            search_update(
                cursor,
                agency=agency,
                rows=[
                    (chunk.pk, row.language, row.heading_path, version.document.also_asked, row.text)
                    for chunk, row, (version, _draft) in zip(created, rows, batch, strict=True)
                ],
            )


def document_search_refresh(*, agency, document) -> int:
    """Recompute the full text and lexical vectors of every chunk of `document` (all its versions) after its
    "also asked as" phrasings changed; the dense vectors stay. The number of chunks."""
    lexical = lexical_embedder()
    chunks = list(
        Chunk.objects.for_agency(agency).filter(document=document).only("pk", "language", "heading_path", "text")
    )
    for chunk in chunks:
        chunk.lexical = lexical.embed(lexical_text(embedding_text(chunk.heading_path, chunk.text), document.also_asked))
    with transaction.atomic():
        Chunk.objects.bulk_update(chunks, ["lexical"], batch_size=500)
        with agency_cursor(agency) as cursor:
            search_update(
                cursor,
                agency=agency,
                rows=[(c.pk, c.language, c.heading_path, document.also_asked, c.text) for c in chunks],
            )
    return len(chunks)


def document_frequencies_apply(*, agency, texts: list[str], sign: int) -> None:
    """Add (or remove) these chunks' lexical features to the agency's document frequencies."""
    if not texts:
        return
    lexical = lexical_embedder()
    counts: Counter = Counter()
    for text in texts:
        counts.update(lexical.feature_set(text))
    counts[TERM_COUNT_FEATURE] = len(texts)
    features = list(counts)
    deltas = [sign * counts[feature] for feature in features]
    with agency_cursor(agency) as cursor:
        cursor.execute(
            "INSERT INTO knowledge_lexicalterm (agency_id, feature, df) "
            "SELECT %s, f, d FROM unnest(%s::bigint[], %s::int[]) AS t(f, d) "
            "ON CONFLICT (agency_id, feature) DO UPDATE SET df = knowledge_lexicalterm.df + EXCLUDED.df",
            [agency.pk, features, deltas],
        )
        if sign < 0:
            cursor.execute(
                "DELETE FROM knowledge_lexicalterm WHERE agency_id = %s AND df <= 0 AND feature <> %s",
                [agency.pk, TERM_COUNT_FEATURE],
            )


def agency_reembed(*, agency, batch_size: int = BATCH_SIZE, progress=None, only_stale: bool = False) -> int:
    """Recompute every live and pending chunk's vectors with the configured embedders, in place.

    Chunks keep serving while this runs (a chunk whose vector is from another embedder just misses the
    dense signal until it is updated). `only_stale`: only the chunks whose vectors are not in the space
    their language now wants (e.g. German chunks embedded by MiniLM before the multilingual encoder).
    """
    lexical = lexical_embedder()
    chunks_in_use = Chunk.objects.for_agency(agency).filter(version__status__in=["active", "indexing", "draft"])
    # One route per language; `make run` calls this at every start, so "nothing stale" costs one small query.
    pairs = set(chunks_in_use.values_list("language", "embedder").distinct())
    routes: dict[str, tuple] = {language: embedder_for(language) for language, _key in pairs}
    stale = {(language, key) for language, key in pairs if routes[language][1] != key}
    if only_stale and not stale:
        return 0
    ids = [
        pk
        for pk, language, key in chunks_in_use.order_by("pk").values_list("pk", "language", "embedder")
        if not only_stale or (language, key) in stale
    ]
    heading_cache: dict[tuple[str, str], list[float]] = {}
    done = 0
    for start in range(0, len(ids), batch_size):
        chunks = list(
            Chunk.objects.for_agency(agency)
            .filter(pk__in=ids[start : start + batch_size])
            .select_related("document")
            .order_by("pk")
        )
        by_route: dict[tuple, list[Chunk]] = {}
        for chunk in chunks:
            if chunk.language not in routes:  # a chunk indexed since the routes were read
                routes[chunk.language] = embedder_for(chunk.language)
            by_route.setdefault(routes[chunk.language], []).append(chunk)
        for (embedder, key), group in by_route.items():
            texts = [embedding_text(chunk.heading_path, chunk.text) for chunk in group]
            vectors = embedder.embed_documents(texts) if embedder is not None else [None] * len(group)
            headings = sorted(
                {c.heading_path for c in group if c.heading_path and (key, c.heading_path) not in heading_cache}
            )
            if embedder is not None and headings:
                fresh = embedder.embed_documents(headings)
                heading_cache.update(((key, heading), vector) for heading, vector in zip(headings, fresh, strict=True))
            for chunk, text, vector in zip(group, texts, vectors, strict=True):
                chunk.embedding = vector
                chunk.heading_embedding = heading_cache.get((key, chunk.heading_path)) if embedder is not None else None
                chunk.lexical = lexical.embed(lexical_text(text, chunk.document.also_asked))
                chunk.embedder = key
                if vector is not None and key == getattr(multilingual_embedder(), "key", None):
                    chunk.shared_embedding, chunk.shared_heading_embedding = vector, chunk.heading_embedding
        Chunk.objects.bulk_update(
            chunks,
            ["embedding", "heading_embedding", "lexical", "embedder", "shared_embedding", "shared_heading_embedding"],
        )
        done += len(chunks)
        if progress:
            progress(done, len(ids))
    return done


def agency_frequencies_rebuild(*, agency) -> int:
    """Recount the agency's lexical document frequencies from its live chunks."""
    with transaction.atomic():
        from knowledge.models import LexicalTerm

        # The live-chunk generation (vector_cache) is kept: without it search would skip the vector copy.
        LexicalTerm.objects.for_agency(agency).exclude(feature=GENERATION_FEATURE).delete()
        texts = [
            embedding_text(h, t)
            for h, t in Chunk.objects.for_agency(agency).filter(is_live=True).values_list("heading_path", "text")
        ]
        document_frequencies_apply(agency=agency, texts=texts, sign=+1)
        return len(texts)
