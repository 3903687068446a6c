"""eval_retrieval (last line JSON), reembed_agency, the per-agency vector indexes, and one test with the
real default embedder (MiniLM)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from knowledge import indexes, retrieval
from knowledge.models import Chunk
from knowledge.services import answer_question
from tenants.context import agency_context
from tenants.models import Agency


def test_eval_retrieval_prints_json_last_and_cleans_up(tmp_path, db):
    kb = [
        {
            "id": "k1",
            "title": "When is trash collected?",
            "text": "Trash is collected every Monday morning.",
            "lang": "en",
        },
        {
            "id": "k2",
            "title": "How do I report a pothole?",
            "text": "Report potholes online or call 311.",
            "lang": "en",
        },
        {"id": "k3", "title": "Wie melde ich ein Schlagloch?", "text": "Schlaglöcher melden Sie online.", "lang": "de"},
        {"id": "k4", "title": "垃圾什么时候收集？", "text": "每周一早上收集垃圾。", "lang": "zh"},  # noqa: RUF001
    ]
    queries = [
        {"query": "Which day is garbage picked up?", "relevant": ["k1"], "lang": "en"},
        {"query": "pothole reporting", "relevant": ["k2"], "lang": "en"},
        {"query": "Schlagloch melden", "relevant": ["k3"], "lang": "de"},
        {"query": "收集垃圾是哪天", "relevant": ["k4"], "lang": "zh"},
    ]
    (tmp_path / "kb.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in kb))
    (tmp_path / "queries.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in queries))
    out = StringIO()
    agencies_before = Agency.objects.count()
    per_query = tmp_path / "ranks.jsonl"
    call_command("eval_retrieval", str(tmp_path), "--per-query", str(per_query), stdout=out, stderr=StringIO())
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(result) == {"recall@1", "recall@5", "mrr@10", "refusal_rate", "n", "document"} and result["n"] == 4
    assert set(result["document"]) == {"recall@1", "recall@5", "mrr@10"}
    assert result["recall@5"] == 1.0
    # Each query's rank, in the set's order, so two runs can be diffed.
    rows = [json.loads(line) for line in per_query.read_text(encoding="utf-8").splitlines()]
    assert [row["query"] for row in rows] == [q["query"] for q in queries]
    assert all(row["rank"] is not None and row["rank"] <= 5 for row in rows)
    assert all(row["document_rank"] == row["rank"] for row in rows)  # nothing folded here
    assert sum(row["rank"] == 1 for row in rows) / 4 == result["recall@1"]
    assert sum(row["refused"] for row in rows) / 4 == result["refusal_rate"]
    assert "refused" in out.getvalue()
    assert Agency.objects.count() == agencies_before
    assert not Chunk.objects.unscoped().exists()


def test_eval_retrieval_interrupted_while_loading_leaves_no_agency(tmp_path, db, monkeypatch):
    from knowledge import services

    kb = [{"id": "k1", "title": "When is trash collected?", "text": "Every Monday.", "lang": "en"}]
    (tmp_path / "kb.jsonl").write_text(json.dumps(kb[0]))
    (tmp_path / "queries.jsonl").write_text(json.dumps({"query": "trash day", "relevant": ["k1"]}))

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "versions_index", interrupted)
    agencies_before = Agency.objects.count()
    with pytest.raises(KeyboardInterrupt):
        call_command("eval_retrieval", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    assert Agency.objects.count() == agencies_before
    assert not Chunk.objects.unscoped().exists()


def test_eval_counts_identical_entries_as_one_result(tmp_path, db):
    """Two entries with the same question and answer are one search result: a query labelled with either
    finds it at rank 1, and the next result is ranked 2."""
    from knowledge.evaluation import EvalSet, drop_kb, evaluate, load_kb, rank_documents

    twin = {"title": "How do I report a pothole?", "text": "Report potholes online or call 311.", "lang": "en"}
    kb = [
        {"id": "a", **twin},
        {"id": "b", **twin},
        {"id": "c", "title": "When is trash collected?", "text": "Trash is collected every Monday.", "lang": "en"},
    ]
    queries = [{"query": "pothole reporting", "relevant": ["b"], "lang": "en"}]
    loaded = load_kb(EvalSet(kb, queries))
    try:
        with agency_context(loaded.agency):
            ranked = rank_documents(loaded=loaded, query="pothole reporting", language="en")
        assert ranked[0] == {"a", "b"} and ranked[1] == {"c"}
        result = evaluate(loaded=loaded, queries=queries)
        assert result["recall@1"] == 1.0 and result["mrr@10"] == 1.0
        # a query labelled with the other entry scores zero at rank 1 (the fold is not a free pass)
        miss = evaluate(loaded=loaded, queries=[{"query": "pothole reporting", "relevant": ["c"], "lang": "en"}])
        assert miss["recall@1"] == 0.0 and miss["mrr@10"] == 0.5
        # per document the folded result counts once, for its first entry: "a" hits, "b" is never ranked
        first = evaluate(loaded=loaded, queries=[{"query": "pothole reporting", "relevant": ["a"], "lang": "en"}])
        assert first["document"] == {"recall@1": 1.0, "recall@5": 1.0, "mrr@10": 1.0}
        assert result["document"] == {"recall@1": 0.0, "recall@5": 0.0, "mrr@10": 0.0}
        assert miss["document"]["mrr@10"] == 0.5
    finally:
        drop_kb(loaded)


def test_eval_retrieval_rejects_a_bad_directory(tmp_path, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"kb\.jsonl"):
        call_command("eval_retrieval", str(tmp_path))


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])  # the owner builds indexes
def test_partial_hnsw_indexes_follow_the_agency_and_match_exact_search(agency_a, agency_b, publish, settings):
    for i in range(30):
        publish(agency_a, title=f"Rule {i}", content=f"Rule {i}: permit type {i} is issued in {i} days by the desk.")
    publish(agency_b, title="Other", content="Permit type 5 is issued instantly.")
    with agency_context(agency_a):
        exact = [p.chunk_id for p in retrieval.search(agency=agency_a, query="permit type 5 issued", audience="staff")]
        settings.KNOWLEDGE_HNSW_MIN_CHUNKS = 10
        result = indexes.agency_indexes_ensure(agency=agency_a)
    assert result["created"] and all(name.endswith(f"_{agency_a.pk}") for name in indexes.existing_indexes(agency_a.pk))
    assert not indexes.existing_indexes(agency_b.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"kn_hnsw_lexcos_all_{agency_a.pk}"])
        assert f"agency_id = {agency_a.pk}" in cursor.fetchone()[0]
    with agency_context(agency_a):
        approximate = [
            p.chunk_id for p in retrieval.search(agency=agency_a, query="permit type 5 issued", audience="staff")
        ]
        assert approximate[:3] == exact[:3]
        settings.KNOWLEDGE_HNSW_MIN_CHUNKS = 1000
        assert indexes.agency_indexes_ensure(agency=agency_a)["dropped"]
    assert not indexes.existing_indexes(agency_a.pk)


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])  # the owner builds indexes
def test_indexes_follow_the_agencys_size_whatever_scope_the_caller_is_in(agency_a, agency_b, publish, settings):
    """Row-level security hides an agency's chunks outside its scope: the size is read in the agency's own."""
    for i in range(12):
        publish(agency_a, title=f"Rule {i}", content=f"Rule {i}: permit type {i} is issued in {i} days by the desk.")
    settings.KNOWLEDGE_HNSW_MIN_CHUNKS = 10
    result = indexes.agency_indexes_ensure(agency=agency_a)  # no scope: a command, a bench, a beat job
    assert result["live_chunks"] >= 12 and result["created"]
    with agency_context(agency_b):  # another agency's scope
        assert indexes.agency_indexes_ensure(agency=agency_a) == {
            "live_chunks": result["live_chunks"],
            "created": [],
            "dropped": [],
        }
    assert indexes.existing_indexes(agency_a.pk) == set(result["created"])
    with agency_context(agency_a):
        indexes.agency_indexes_ensure(agency=agency_a, force=False)


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])  # the owner builds indexes
def test_an_agencys_indexes_are_found_by_its_exact_id_not_a_pattern(agency_a):
    """`_` is a LIKE wildcard: agency 5's pattern used to match agency 15's and 105's indexes, and
    dropping agency 5's indexes dropped theirs (their searches fell back to exact scans)."""
    neighbour = Agency.objects.create(pk=int(f"1{agency_a.pk}"), slug="neighbour", name="Neighbour", kind="city")
    with agency_context(neighbour):
        created = indexes.agency_indexes_ensure(agency=neighbour, force=True)["created"]
    assert created and indexes.existing_indexes(neighbour.pk) == set(created)
    assert indexes.existing_indexes(agency_a.pk) == set()
    with agency_context(agency_a):
        assert indexes.agency_indexes_ensure(agency=agency_a, force=False)["dropped"] == []
    assert indexes.existing_indexes(neighbour.pk) == set(created)


def test_default_embedder_minilm_end_to_end(agency_a, publish, settings):
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    publish(
        agency_a,
        title="Trash and recycling",
        content="Garbage carts are emptied every Monday. Put the cart at the curb by 6 a.m.",
    )
    publish(agency_a, title="Parks", content="Parks are open from dawn to dusk. Dogs must be on a leash.")
    chunk = Chunk.objects.for_agency(agency_a).filter(document__title="Parks").get()
    assert chunk.embedder == "minilm" and len(chunk.embedding) == 384 and chunk.heading_embedding is not None
    # A paraphrase with no shared content word: only the dense model can connect "rubbish" and "garbage".
    passages = retrieval.search(agency=agency_a, query="which day is the rubbish taken away?")
    assert passages[0].title == "Trash and recycling" and "dense" in passages[0].signals
    # Score fusion: the heading/passage cosine mean plus at most the full-text bonus (not an RRF score).
    assert 0.3 < passages[0].score <= 1.0 + retrieval.SearchConfig().fts_bonus
    answer = answer_question(agency=agency_a, question="When do you pick up garbage?")
    assert answer.grounded and "Monday" in answer.text


def test_reembed_agency_command(agency_a, publish, settings):
    publish(agency_a, title="Parks", content="Parks are open from dawn to dusk.")
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    out = StringIO()
    call_command("reembed_agency", "alpha", stdout=out)
    chunk = Chunk.objects.for_agency(agency_a).get()
    assert chunk.embedder == "minilm" and len(chunk.embedding) == 384
    assert "1 chunks re-embedded" in out.getvalue()
