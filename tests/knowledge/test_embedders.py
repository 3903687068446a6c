"""The MiniLM runtime (ONNX Runtime vs sentence-transformers), the query micro-batcher and the query cache."""

import math
import threading
import time

import pytest

from knowledge import embedders, retrieval
from knowledge.embedders import MiniLMEmbedder, QueryBatcher, QueryCache, routing
from knowledge.embedders import minilm as minilm_module

TEXTS = [
    "When is trash collected?",
    "How do I report a pothole on my street?",
    "Parks are open from dawn to dusk. Dogs must be on a leash.",
    "Refunds are issued within 30 days of the return being processed, by direct deposit or cheque.",
    "¿Dónde pago una multa de estacionamiento?",
    "垃圾什么时候收集",
    " ".join(["A very long passage about property tax deductions and the forms they need."] * 30),
]


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


@pytest.fixture
def minilm(settings):
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    settings.KNOWLEDGE_MINILM_RUNTIME = "auto"
    return MiniLMEmbedder()


def test_onnx_runtime_matches_sentence_transformers(settings):
    """The ONNX export runs the same network: vectors agree with sentence-transformers' to cosine >= 0.9999."""
    onnx = minilm_module._OnnxMiniLM(threads=1)
    torch = minilm_module._TorchMiniLM(threads=1)
    for a, b in zip(onnx.encode(TEXTS), torch.encode(TEXTS), strict=True):
        assert len(a) == 384 and abs(math.sqrt(sum(x * x for x in a)) - 1) < 1e-5
        assert cosine(a, b) >= 0.9999


def test_default_runtime_is_onnx(minilm):
    assert embedders.minilm_runtime() == "onnx"
    assert minilm.backend().runtime == "onnx"


def test_int8_setting_keeps_the_torch_runtime(settings):
    settings.KNOWLEDGE_MINILM_INT8 = True
    assert embedders.minilm_runtime() == "torch"


def test_batched_queries_equal_single_encoding(minilm):
    """A query gets the same vector alone or padded into a batch with others."""
    singles = [minilm.backend().encode([text])[0] for text in TEXTS]
    batched = minilm.backend().encode(TEXTS)
    for single, batch in zip(singles, batched, strict=True):
        assert cosine(single, batch) >= 0.99999


def test_batcher_under_concurrency_returns_each_caller_its_own_vector(minilm):
    """32 threads asking at once: each gets the vector of its own text (never a neighbour's)."""
    minilm.cache = QueryCache(0)  # measure the batcher, not the cache
    texts = [f"{TEXTS[i % len(TEXTS)]} (question {i})" for i in range(32)]
    expected = {text: minilm.backend().encode([text])[0] for text in texts}
    results, errors = {}, []
    start = threading.Barrier(len(texts))

    def ask(text):
        try:
            start.wait()
            results[text] = minilm.embed_query(text)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(results) == len(texts)
    for text in texts:
        assert cosine(results[text], expected[text]) >= 0.99999
    assert minilm.batcher.queries == len(texts) and minilm.batcher.batches < len(texts)  # some were batched


def test_batcher_groups_waiting_queries_and_keeps_order():
    calls = []

    def encode(texts):
        calls.append(list(texts))
        time.sleep(0.05)
        return [[float(len(text))] for text in texts]

    batcher = QueryBatcher(encode, max_batch=4)
    out = {}
    threads = [
        threading.Thread(target=lambda t=t: out.__setitem__(t, batcher.embed(t)))
        for t in ["a" * n for n in range(1, 11)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert out == {"a" * n: [float(n)] for n in range(1, 11)}
    assert all(len(batch) <= 4 for batch in calls) and len(calls) < 10


def test_batcher_error_reaches_every_waiting_caller():
    gate = threading.Event()

    def encode(texts):
        gate.wait(5)
        raise embedders.EmbeddingError("model broke")

    batcher = QueryBatcher(encode)
    failures = []

    def ask(text):
        try:
            batcher.embed(text)
        except embedders.EmbeddingError:
            failures.append(text)

    threads = [threading.Thread(target=ask, args=(str(i),)) for i in range(5)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert sorted(failures) == [str(i) for i in range(5)] and not any(t.is_alive() for t in threads)
    # The batcher still works afterwards.
    ok = QueryBatcher(lambda texts: [[1.0] for _ in texts])
    assert ok.embed("x") == [1.0]


def test_query_cache_is_exact_text_lru_and_can_be_off():
    cache = QueryCache(2)
    cache.put("a", [1.0, 0.0])
    cache.put("b", [0.0, 1.0])
    assert cache.get("a") == [1.0, 0.0]  # "a" is now the most recent
    cache.put("c", [0.5, 0.5])  # evicts "b"
    assert cache.get("b") is None and cache.get("c") == [0.5, 0.5]
    assert cache.get("A") is None  # keyed by the exact text
    returned = cache.get("a")
    returned[0] = 9.0  # callers get copies
    assert cache.get("a") == [1.0, 0.0]
    assert cache.stats()["hits"] == 4 and cache.stats()["misses"] == 2
    off = QueryCache(0)
    off.put("a", [1.0])
    assert off.get("a") is None


def test_cached_query_vector_equals_fresh_one(minilm):
    fresh = minilm.embed_query("How do I renew my permit?")
    assert minilm.cache.stats()["misses"] == 1
    again = minilm.embed_query("How do I renew my permit?")
    assert again == fresh and minilm.cache.stats()["hits"] == 1


def test_query_cache_never_carries_results_across_agencies(agency_a, agency_b, publish, settings):
    """The cache holds only text -> vector (global, like the model); what is retrieved stays per agency."""
    settings.KNOWLEDGE_EMBEDDER = "minilm"
    routing._dense_cache.clear()
    publish(agency_a, title="Alpha trash", content="Alpha collects garbage on Mondays. Canary ALPHA-7731.")
    publish(agency_b, title="Beta trash", content="Beta collects garbage on Fridays. Canary BETA-9912.")
    question = "When is the garbage picked up?"
    first = retrieval.search(agency=agency_a, query=question)
    second = retrieval.search(agency=agency_b, query=question)
    assert embedders.query_cache_stats()["hits"] >= 1  # the second search reused the vector
    assert {p.title for p in first} == {"Alpha trash"} and {p.title for p in second} == {"Beta trash"}
    assert all("ALPHA" not in p.text for p in second) and all("BETA" not in p.text for p in first)


def test_identical_texts_get_identical_vectors_in_any_batch(minilm):
    """Duplicates are encoded once: bitwise equal vectors, so ties between duplicate passages are exact."""
    filler = [f"Filler passage number {i} about {'permits ' * (i % 9)}" for i in range(70)]
    texts = ["When is trash collected?", *filler, "When is trash collected?", *filler[:5], "When is trash collected?"]
    vectors = minilm.embed_documents(texts)
    assert vectors[0] == vectors[71] == vectors[-1]
    assert len(vectors) == len(texts)
