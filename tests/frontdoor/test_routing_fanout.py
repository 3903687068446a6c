"""How a routed question is searched across agencies: embedded once, the agencies searched side by side."""

import threading

import pytest

from frontdoor import routing
from knowledge import retrieval
from knowledge.embedders import dense_embedder
from tests.frontdoor.conftest import TAX, TRASH, _publish


@pytest.fixture
def minilm(settings):
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    settings.KNOWLEDGE_QUERY_CACHE = 0  # every embedding is computed: the count below is the model's work
    embedder = dense_embedder()
    if embedder is None:
        pytest.skip("the MiniLM model is not installed")
    return embedder


def _two_agencies(agency_a, agency_b):
    _publish(agency_a, title="Trash and streets FAQ", entries=TRASH)
    _publish(agency_b, title="Income tax FAQ", entries=TAX)


def _counting(monkeypatch, embedder) -> list[str]:
    calls: list[str] = []
    real = embedder.embed_query

    def embed_query(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(embedder, "embed_query", embed_query)
    return calls


@pytest.mark.django_db
def test_the_question_is_embedded_once_for_every_agency_it_is_searched_in(minilm, agency_a, agency_b, monkeypatch):
    _two_agencies(agency_a, agency_b)
    calls = _counting(monkeypatch, minilm)
    route = routing.route_question(question="when is my trash collected")
    assert len(route.agencies) == 2  # both searched in full
    assert route.best.agency == agency_a
    assert route.best.dense > 0  # the dense list took part, from the one vector
    assert calls == ["when is my trash collected"]


@pytest.mark.django_db(transaction=True)
def test_agencies_are_searched_side_by_side_with_the_same_result_as_one_by_one(
    minilm, agency_a, agency_b, settings, monkeypatch
):
    _two_agencies(agency_a, agency_b)
    threads: list[str] = []
    real = retrieval.search

    def search(**kwargs):
        threads.append(threading.current_thread().name)
        return real(**kwargs)

    monkeypatch.setattr(retrieval, "search", search)
    question = "when will I get my income tax refund"
    settings.FRONTDOOR_SEARCH_THREADS = 1
    one_by_one = routing.route_question(question=question)
    assert threads == [threading.current_thread().name] * 2
    threads.clear()
    settings.FRONTDOOR_SEARCH_THREADS = 4
    side_by_side = routing.route_question(question=question)
    assert len(threads) == 2
    assert all(name.startswith("frontdoor-route") for name in threads)
    assert side_by_side.decision == one_by_one.decision == "answer"
    assert [(s.agency.slug, s.score) for s in side_by_side.agencies] == [
        (s.agency.slug, s.score) for s in one_by_one.agencies
    ]
    assert side_by_side.best.agency == agency_b


@pytest.mark.django_db
def test_routing_reads_shorter_candidate_lists_than_an_answer(agency_a, agency_b, monkeypatch):
    _two_agencies(agency_a, agency_b)
    configs = []
    real = retrieval.search

    def search(**kwargs):
        configs.append(kwargs.get("config"))
        return real(**kwargs)

    monkeypatch.setattr(retrieval, "search", search)
    route = routing.route_question(question="when is my trash collected")
    assert route.best.agency == agency_a
    assert len(configs) == 2
    answer = retrieval.default_config()
    for config in configs:
        assert config is not None and config.weights == answer.weights and config.fusion == answer.fusion
        assert (config.depth, config.ef_search, config.fts_candidate_budget) == (30, 64, 300)
        assert config.depth < answer.depth and config.ef_search < answer.ef_search
