"""Erasing a citizen's data makes every process drop the question vectors it cached (a generation held in
Redis that each cache checks on every lookup): the next identical question is embedded afresh."""

import pytest

from knowledge.embedders import QueryCache
from knowledge.embedders.queries import query_vectors_epoch, query_vectors_forget
from privacy.rights import citizen_erase

QUESTION = "Where is my parking permit? I applied last week and wrote from pat.erased@example.org"


@pytest.fixture
def remote(settings, llm_server):
    llm_server.configure(settings, embeddings=True)
    settings.LLM_BASE_URL = None
    settings.KNOWLEDGE_DENSE_LANGUAGES = ["*"]
    return llm_server


def _embedded_questions(server) -> int:
    return sum(1 for body in server.calls("/v1/embeddings") if "Where is my parking permit" in str(body["input"]))


def test_erasure_purges_cached_question_vectors(client, agency_a, publish, remote, django_capture_on_commit_callbacks):
    publish(agency_a, title="Parking permits", content="Renew a parking permit online or at the counter.")
    ask = {"question": QUESTION}
    assert client.post("/api/v1/a/alpha/ask/", ask, content_type="application/json").status_code == 200
    assert client.post("/api/v1/a/alpha/ask/", ask, content_type="application/json").status_code == 200
    assert _embedded_questions(remote) == 1  # the second time came from this process's cache
    # Another process's cache holding the same question (each process has its own instance).
    elsewhere = QueryCache(16)
    elsewhere.put("their words", [1.0, 0.0])
    assert elsewhere.get("their words") == [1.0, 0.0]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        citizen_erase(agency=agency_a, email="pat.erased@example.org")
    assert elsewhere.get("their words") == [1.0, 0.0]  # nothing happens before the erasure commits
    for callback in callbacks:
        callback()

    assert elsewhere.get("their words") is None and elsewhere.stats()["size"] == 0
    assert client.post("/api/v1/a/alpha/ask/", ask, content_type="application/json").status_code == 200
    assert _embedded_questions(remote) == 2  # embedded again: the cached vector was gone


def test_a_vector_computed_across_an_erasure_is_not_kept():
    cache = QueryCache(16)

    def compute(text):
        query_vectors_forget()  # an erasure commits while this process embeds the question
        return [0.5, 0.5]

    assert cache.cached("their words", compute) == [0.5, 0.5]
    assert cache.get("their words") is None
    assert cache.cached("their words", lambda text: [0.5, 0.5]) == [0.5, 0.5]
    assert cache.get("their words") == [0.5, 0.5]  # with no erasure in between it is kept


def test_without_redis_nothing_is_served_from_the_cache(monkeypatch):
    cache = QueryCache(16)
    cache.put("words", [1.0])
    assert cache.get("words") == [1.0]
    monkeypatch.setattr("knowledge.embedders.queries.query_vectors_epoch", lambda: None)
    assert cache.get("words") is None
    assert query_vectors_epoch is not None


def test_a_chat_turn_reads_the_erasure_generation_once(monkeypatch):
    from django.core.cache import cache

    from knowledge.embedders.queries import one_epoch_read

    reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k))
    first, second = QueryCache(16), QueryCache(16)
    with one_epoch_read():
        first.cached("their words", lambda text: [1.0, 0.0])
        second.cached("their words", lambda text: [1.0, 0.0])
        assert first.get("their words") == [1.0, 0.0]
    assert len(reads) == 1
    query_vectors_forget()  # an erasure between two turns
    with one_epoch_read():
        assert first.get("their words") is None and first.stats()["size"] == 0
    assert len(reads) == 2
