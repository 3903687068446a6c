"""The Chinese development set (bench/knowledge/data/faq_eval_zh) loads as eval_retrieval reads it, and the BM25
baseline its target is stated against ranks and folds as eval_retrieval's per-document count does."""

import importlib.util
from pathlib import Path

from knowledge.evaluation import EvalSet

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "bench" / "knowledge" / "data" / "faq_eval_zh"


def _baseline():
    spec = importlib.util.spec_from_file_location("bm25_baseline", ROOT / "bench" / "knowledge" / "bm25_baseline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_set_is_whole():
    evalset = EvalSet.load(SET)
    ids = {entry["id"] for entry in evalset.kb}
    assert len(ids) == len(evalset.kb) == 390
    assert len(evalset.queries) == 120
    assert {r for q in evalset.queries for r in q["relevant"]} <= ids
    assert all(q["lang"] == "zh-hans" for q in evalset.queries)


def test_bm25_ranks_by_shared_words_and_folds_identical_entries():
    baseline = _baseline()
    kb = [
        {"id": "a", "title": "垃圾什么时候收集", "text": "每周一收集。"},
        {"id": "b", "title": "路灯坏了怎么办", "text": "请拨打311报修。"},
        {"id": "c", "title": "路灯坏了怎么办", "text": "请拨打311报修。"},  # the same passage as b: one result
    ]
    queries = [{"query": "路灯不亮了怎么办", "relevant": ["c"]}, {"query": "垃圾哪天收集", "relevant": ["a"]}]
    result = baseline.evaluate(kb, queries, baseline.tokenize, k1=1.2, b=0.75)
    assert result["recall@1"] == 1.0 and result["mrr@10"] == 1.0
    second = baseline.evaluate(kb, [{"query": "垃圾哪天收集 路灯", "relevant": ["b"]}], baseline.tokenize, 1.2, 0.75)
    assert second["recall@1"] == 0.0 and second["mrr@10"] == 0.5  # the trash entry shares more words
    unmatched = baseline.evaluate(kb, [{"query": "游泳池几点开门", "relevant": ["a"]}], baseline.tokenize, 1.2, 0.75)
    assert unmatched["recall@5"] == 0.0 and unmatched["mrr@10"] == 0.0  # no shared word: not ranked at all
