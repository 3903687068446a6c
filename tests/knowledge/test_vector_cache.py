"""The in-memory copy of small agencies' vectors: same results as the SQL scan, never stale, per agency."""

import random

import pytest
from django.db import connection, transaction

from knowledge import retrieval, services, vector_cache
from knowledge.embedders import LexicalEmbedder
from knowledge.models import Chunk
from tenants.context import agency_context
from tenants.models import Agency
from tenants.services import delete_agency

LEXICAL = LexicalEmbedder(dim=384)  # any vectors will do: the search arithmetic is what is compared
WORDS = ["pothole", "street", "trash", "permit", "refund", "tax", "vaccine", "park", "water", "bill", "dog", "noise"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    vector_cache.vector_cache().clear()
    yield
    vector_cache.vector_cache().clear()


def _add_chunks(agency, texts, *, audience_of=lambda i: "public", heading_of=lambda i, text: f"Heading {i}"):
    with agency_context(agency):
        document = services.document_create(agency=agency, actor=None, title="Doc", content="x", queue=False)
        version = document.versions.get()
        return Chunk.objects.bulk_create(
            [
                Chunk(
                    agency=agency,
                    document=document,
                    version=version,
                    order=i,
                    heading_path=heading_of(i, text) or "",
                    text=text,
                    language="en",
                    checksum=f"c{i}",
                    embedder="test",
                    embedding=LEXICAL.embed(text),
                    heading_embedding=None if heading_of(i, text) is None else LEXICAL.embed(heading_of(i, text)),
                    is_live=True,
                    audience=audience_of(i),
                )
                for i, text in enumerate(texts)
            ]
        )


def _generation(agency):
    return retrieval.term_stats_generation(agency=agency, terms=[])[2]


def _pairs(agency, query, *, audience, depth, cached):
    with transaction.atomic():
        return retrieval.exact_dense_pairs(
            agency=agency,
            vector=query,
            audience=audience,
            depth=depth,
            embedder_key="test",
            generation=_generation(agency) if cached else None,
        )


def test_copy_gives_the_same_pairs_and_floors_as_the_sql_scan(agency_a, django_assert_max_num_queries):
    rng = random.Random(5)
    texts = [f"passage {i} about {' '.join(rng.choice(WORDS) for _ in range(6))}" for i in range(120)]
    _add_chunks(
        agency_a,
        texts,
        audience_of=lambda i: "staff" if i % 4 == 0 else "public",
        heading_of=lambda i, text: None if i % 5 == 0 else f"Heading {i} {WORDS[i % len(WORDS)]}",
    )
    assert _generation(agency_a) is not None
    for query_text in ("passage about permits and taxes", "trash park noise", "vaccine"):
        query = LEXICAL.embed(query_text)
        for audience in ("public", "staff"):
            for depth in (5, 20, 100, 500):
                sql = _pairs(agency_a, query, audience=audience, depth=depth, cached=False)
                copy = _pairs(agency_a, query, audience=audience, depth=depth, cached=True)
                # Only chunks tied with the last one kept may differ (SQL keeps either of equal scores).
                for chunk_id in set(copy.pairs) ^ set(sql.pairs):
                    body, head = copy.pairs.get(chunk_id) or sql.pairs[chunk_id]
                    assert body == pytest.approx(sql.floors[0], abs=1e-6) or (
                        head is not None and head == pytest.approx(sql.floors[1], abs=1e-6)
                    ), (query_text, audience, depth, chunk_id)
                assert len(set(copy.pairs) ^ set(sql.pairs)) <= 4
                for chunk_id in set(copy.pairs) & set(sql.pairs):
                    (body_a, head_a), (body_b, head_b) = copy.pairs[chunk_id], sql.pairs[chunk_id]
                    assert body_a == pytest.approx(body_b, abs=1e-5)
                    assert (head_a is None) == (head_b is None)
                    if head_a is not None:
                        assert head_a == pytest.approx(head_b, abs=1e-5)
                assert copy.floors == pytest.approx(sql.floors, abs=1e-5)
                best_copy = sorted(copy.best().items(), key=lambda kv: -kv[1])[:3]
                best_sql = sorted(sql.best().items(), key=lambda kv: -kv[1])[:3]
                assert [k for k, _ in best_copy] == [k for k, _ in best_sql]
    # Public questions never get staff-only chunks from the copy.
    staff_ids = {c.pk for c in Chunk.objects.for_agency(agency_a).filter(audience="staff")}
    public = _pairs(agency_a, LEXICAL.embed("trash"), audience="public", depth=500, cached=True)
    assert not staff_ids & set(public.pairs)
    # Once loaded, a question reads no vectors from the database.
    generation = _generation(agency_a)
    with django_assert_max_num_queries(0):
        retrieval.exact_dense_pairs(
            agency=agency_a,
            vector=LEXICAL.embed("tax"),
            audience="public",
            depth=10,
            embedder_key="test",
            generation=generation,
        )


def test_identical_passages_get_identical_scores(agency_a):
    texts = ["trash pickup on mondays", "trash pickup on mondays", "permits at the desk"] * 3
    chunks = _add_chunks(agency_a, texts, heading_of=lambda i, text: text)
    pairs = _pairs(agency_a, LEXICAL.embed("when is trash picked up"), audience="public", depth=10, cached=True)
    twins = [pairs.pairs[c.pk] for c in chunks if c.text == "trash pickup on mondays"]
    assert len(twins) == 6 and len(set(twins)) == 1


def test_generation_changes_whenever_live_chunks_change(agency_a, publish):
    assert _generation(agency_a) is None  # nothing live yet: search uses SQL
    document, _ = publish(agency_a, title="Trash", content="Trash is collected on Mondays.")
    seen = [_generation(agency_a)]
    assert seen[-1] is not None

    def changed():
        now = _generation(agency_a)
        assert now is not None and now not in seen
        seen.append(now)

    with agency_context(agency_a):
        # A new version being indexed (chunks not live yet) changes nothing.
        second = services.document_version_create(
            agency=agency_a, actor=None, document=document, content="Trash is collected on Tuesdays.", queue=False
        )
        assert _generation(agency_a) == seen[-1]
        services.document_version_index(agency=agency_a, version_id=second.pk)  # activation + retirement
        changed()
        services.document_update(agency=agency_a, actor=None, document=document, audience="staff")
        changed()
        Chunk.objects.for_agency(agency_a).filter(is_live=True).update(embedding=LEXICAL.embed("re-embedded"))
        changed()
        services.document_retire(agency=agency_a, actor=None, document=document)
        changed()


def test_search_never_serves_a_stale_copy(agency_a, agency_b, publish, settings):
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    document, _ = publish(agency_a, title="Bulk trash", content="Bulk trash is collected on the first Monday.")
    publish(agency_b, title="Canary", content="The zebra-canary-7731 bulk trash depot opens at noon.")
    found = retrieval.search(agency=agency_a, query="When is bulk trash collected?")
    assert found and "first Monday" in found[0].text
    assert vector_cache.vector_cache()._entries  # the copy is in use
    with agency_context(agency_a):
        version = services.document_version_create(
            agency=agency_a,
            actor=None,
            document=document,
            content="Bulk trash is now collected on the third Thursday.",
            queue=False,
        )
        services.document_version_index(agency=agency_a, version_id=version.pk)
    found = retrieval.search(agency=agency_a, query="When is bulk trash collected?")
    assert found and "third Thursday" in found[0].text
    assert found[0].signals.get("dense", 0) > 0.5  # found by its vector, not only by its words
    assert all("first Monday" not in passage.text for passage in found)
    # Another agency's copy never answers for this one.
    assert all("7731" not in passage.text for passage in retrieval.search(agency=agency_a, query="zebra-canary depot"))
    with agency_context(agency_a):
        services.document_retire(agency=agency_a, actor=None, document=document)
    assert retrieval.search(agency=agency_a, query="When is bulk trash collected?") == []


def test_switched_off_the_copy_is_never_used(agency_a, publish, settings, monkeypatch):
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    monkeypatch.setattr(vector_cache, "_cache", vector_cache.VectorCache(0))
    publish(agency_a, title="Bulk trash", content="Bulk trash is collected on the first Monday.")
    found = retrieval.search(agency=agency_a, query="When is bulk trash collected?")
    assert found and "first Monday" in found[0].text
    assert not vector_cache.vector_cache()._entries


def test_an_agency_with_live_chunks_can_be_deleted(db, publish):
    agency = Agency.objects.create(slug="short-lived", name="Short lived")
    publish(agency, title="Trash", content="Trash is collected on Mondays.")
    assert _generation(agency) is not None
    pk = agency.pk
    delete_agency(agency, reason="the test's short-lived agency", audit_trail="purge")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys are checked now, not at commit
        cursor.execute("SELECT count(*) FROM knowledge_lexicalterm WHERE agency_id = %s", [pk])
        assert cursor.fetchone()[0] == 0


def test_a_copy_that_does_not_fit_is_not_reloaded_for_every_question(agency_a, monkeypatch):
    _add_chunks(agency_a, [f"passage {i} about {WORDS[i % len(WORDS)]}" for i in range(20)])
    generation = _generation(agency_a)
    small = vector_cache.VectorCache(max_bytes=1)
    loads = []
    real_load = vector_cache._load
    monkeypatch.setattr(vector_cache, "_load", lambda **kwargs: loads.append(1) or real_load(**kwargs))
    for _ in range(3):
        assert small.get(agency_id=agency_a.pk, embedder_key="test", generation=generation, dim=384) is None
    assert len(loads) == 1  # SQL answers meanwhile; tried again only when the chunks change
    assert small.get(agency_id=agency_a.pk, embedder_key="test", generation=generation + 1, dim=384) is None
    assert len(loads) == 2
