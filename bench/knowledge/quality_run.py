"""Variants of the English score fusion on the arrays `quality_lab.py collect` stored (see quality_lab.py)."""

from __future__ import annotations

import itertools
import json
import math
import os
from collections import Counter

import numpy as np

from knowledge.retrieval.confidence import _PassageTokens
from knowledge.text import query_terms, tokenize

DEPTH = 100
SPLITS = 300


def _relevant(directory: str) -> tuple[list[str], list[set[str]]]:
    from pathlib import Path

    lines = (Path(directory) / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    queries = [json.loads(line) for line in lines if line.strip()]
    return [item["query"] for item in queries], [set(item["relevant"]) for item in queries]


def _segment_max(scores: np.ndarray, owner: np.ndarray, n: int, how: str = "max") -> np.ndarray:
    """Per chunk (owner index, contiguous and sorted): max (or mean of the top two) of its windows' cosines."""
    starts = np.r_[0, np.nonzero(np.diff(owner))[0] + 1]
    out = np.full((scores.shape[0], n), -1.0, dtype=np.float32)
    if how == "max":
        out[:, owner[starts]] = np.maximum.reduceat(scores, starts, axis=1)
        return out
    # mean of the best two windows (one window: itself)
    for s, e in zip(starts, np.r_[starts[1:], len(owner)], strict=True):
        block = np.sort(scores[:, s:e], axis=1)[:, ::-1][:, :2]
        out[:, owner[s]] = block.mean(axis=1)
    return out


def main(directory: str, path: str) -> None:
    data = np.load(path)
    texts, rel = _relevant(directory)
    n_q = len(texts)
    entry = data["entry"]
    n = len(entry)
    heading, text = data["heading"], data["text"]
    q, q_bare = data["q"], data["q_bare"]
    body, head = q @ data["body"].T, q @ data["head"].T
    body_bare, head_bare = q_bare @ data["body"].T, q_bare @ data["head"].T

    def unit(m):
        return m / np.linalg.norm(m, axis=-1, keepdims=True)

    # corpus-mean centring (isotropy): the agency's mean vector removed from both sides
    mu = np.concatenate([data["body"], data["head"]]).mean(0)
    body_c, head_c = unit(q - mu) @ unit(data["body"] - mu).T, unit(q - mu) @ unit(data["head"] - mu).T
    mu_b, mu_h = data["body"].mean(0), data["head"].mean(0)
    body_c2, head_c2 = unit(q - mu_b) @ unit(data["body"] - mu_b).T, unit(q - mu_h) @ unit(data["head"] - mu_h).T
    # hubness (CSLS-style): each chunk's mean cosine to its 10 nearest headings of other entries
    hh = data["head"] @ data["head"].T
    hb = data["body"] @ data["head"].T
    same = entry[:, None] == entry[None, :]
    hh[same] = -1
    hb[same] = -1
    hub_h = np.sort(hh, axis=1)[:, -10:].mean(1)
    hub_b = np.sort(hb, axis=1)[:, -10:].mean(1)
    fts = [{int(k): v for k, v in f.items()} for f in json.loads(str(data["fts"]))]
    english_all = [{int(k): v for k, v in f.items()} for f in json.loads(str(data["english"]))]
    # the production full-text list is depth 100: keep the stemmed list's top 100 likewise
    english = [dict(sorted(f.items(), key=lambda kv: (-kv[1], kv[0]))[:DEPTH]) for f in english_all]
    windows = {}
    for name in ("s1", "s2", "h2", "h3"):
        cos = q @ data[f"win_{name}"].T
        owner = data[f"own_{name}"]
        windows[name] = _segment_max(cos, owner, n)
        windows[name + "top2"] = _segment_max(cos, owner, n, "top2")
        windows[name + "_list"] = (cos, owner)

    # IDF over chunks (heading + text) for coverage / BM25 features, the production tokenizer.
    tokens_head = [tokenize(h) for h in heading]
    tokens_body = [tokenize(t) for t in text]
    df = Counter()
    for a, b in zip(tokens_head, tokens_body, strict=True):
        df.update(set(a) | set(b))
    idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
    match_head = [_PassageTokens(h) for h in heading]
    avg_h = np.mean([len(t) for t in tokens_head])
    avg_b = np.mean([len(t) for t in tokens_body])
    tf_head = [Counter(t) for t in tokens_head]
    tf_body = [Counter(t) for t in tokens_body]

    def top(row: np.ndarray) -> set[int]:
        return set(np.argsort(-row, kind="stable")[:DEPTH].tolist())

    base_cands, floors = [], []
    for i in range(n_q):
        b, h = top(body[i]), top(head[i])
        floors.append((float(body[i, list(b)].min()), float(head[i, list(h)].min())))
        base_cands.append((b | h, set(fts[i])))
    # Features per query over its candidates (computed lazily for the candidate union of all variants).
    terms = [query_terms(t, "en") for t in texts]

    def head_coverage(i: int, j: int) -> float:
        ts = terms[i]
        total = sum(idf.get(t, math.log(n)) for t in ts)
        hit = sum(idf.get(t, math.log(n)) * match_head[j].match(t) for t in ts)
        return hit / total if total else 0.0

    def bm25f(i: int, j: int, wh: float = 2.0, k1: float = 1.2, bh: float = 0.5, bb: float = 0.75) -> float:
        score = 0.0
        lh, lb = len(tokens_head[j]), len(tokens_body[j])
        for t in terms[i]:
            tf = wh * tf_head[j][t] / (1 - bh + bh * lh / avg_h) + tf_body[j][t] / (1 - bb + bb * lb / avg_b)
            if tf:
                score += idf.get(t, 0.0) * tf / (k1 + tf)
        return score

    cache_cov: dict = {}
    cache_bm: dict = {}

    # Pseudo-relevance feedback (Rocchio) on the dense query vector: q' = unit(q + beta x mean of the
    # feedback vectors of the baseline's top-k fused chunks); the dense searches are re-run with q' (new
    # top-100 candidates and floors, as production would), then fused exactly like the baseline.
    prf_cache: dict = {}

    def prf_state(i: int, p: dict):
        key = (p["prf"], p["k"], p["beta"], bool(p.get("prf_head_only")))
        if key not in prf_cache:
            feed = baseline_chunks[:, : p["k"]]  # (n_q, k) chunk indices
            if p["prf"] == "passage":
                fv = data["body"][feed].mean(1)
            elif p["prf"] == "heading":
                fv = data["head"][feed].mean(1)
            else:  # both: passage and heading vectors averaged together
                fv = (data["body"][feed].mean(1) + data["head"][feed].mean(1)) / 2
            q2 = unit(q + p["beta"] * fv)
            head2 = q2 @ data["head"].T
            body2 = body if p.get("prf_head_only") else q2 @ data["body"].T
            states = []
            for r in range(n_q):
                bs, hs = top(body2[r]), top(head2[r])
                fl = (float(body2[r, list(bs)].min()), float(head2[r, list(hs)].min()))
                states.append((body2[r], head2[r], bs | hs, fl))
            prf_cache[key] = states
        return prf_cache[key][i]

    def rank(i: int, p: dict) -> list[str]:
        dense_c, _fts = base_cands[i]
        body_i, head_i, fl_i = body[i], head[i], floors[i]
        if p.get("prf"):
            body_i, head_i, dense_c, fl_i = prf_state(i, p)
        lex = english[i] if p.get("stem") else fts[i]
        cands = dense_c | set(lex)
        win = p.get("win")
        if win and p.get("win_list"):
            cos, owner = windows[win + "_list"]
            best = np.argsort(-cos[i], kind="stable")[:DEPTH]
            cands |= {int(owner[k]) for k in best}
        if p.get("stem") == "add":
            cands |= set(fts[i])
        cands = sorted(cands)
        idx = np.array(cands)
        known = np.array([j in dense_c for j in cands])
        fb, fh = fl_i
        b = np.where(known, body_i[idx], fb)
        h = np.where(known, head_i[idx], fh)
        if p.get("bare"):
            a = p["bare"]
            if not p.get("head_only"):
                b = np.where(known, (1 - a) * body[i, idx] + a * body_bare[i, idx], fb)
            h = np.where(known, (1 - a) * head[i, idx] + a * head_bare[i, idx], fh)
        if p.get("center"):
            bc, hc = (body_c, head_c) if p["center"] == 1 else (body_c2, head_c2)
            a = p.get("cmix", 1.0)
            b = np.where(known, (1 - a) * body[i, idx] + a * bc[i, idx], fb)
            h = np.where(known, (1 - a) * head[i, idx] + a * hc[i, idx], fh)
        if p.get("hub"):
            b = b - p["hub"] * np.where(known, hub_b[idx], 0.0)
            h = h - p["hub"] * np.where(known, hub_h[idx], 0.0)
        w = p.get("w", 1.0)
        if win:
            agg = windows[win + ("top2" if p.get("top2") else "")][i, idx]
            ww = p.get("ww", 0.0)
            if p.get("replace"):
                b = np.maximum(b, agg)
                dense = (h + w * b) / (1 + w)
            else:
                dense = (h + w * b + ww * agg) / (1 + w + ww)
        else:
            dense = (h + w * b) / (1 + w)
        bonus = p.get("bonus", 0.15)
        if p.get("stem") == "add":
            best1 = max(fts[i].values(), default=0.0)
            best2 = max(english[i].values(), default=0.0)
            l1 = np.array([fts[i].get(j, 0.0) / best1 if best1 else 0.0 for j in cands])
            l2 = np.array([english[i].get(j, 0.0) / best2 if best2 else 0.0 for j in cands])
            lexical = (1 - p["mix"]) * l1 + p["mix"] * l2
        elif p.get("bm25"):
            key = i
            if key not in cache_bm:
                cache_bm[key] = {}
            vals = []
            for j in cands:
                if j not in cache_bm[key]:
                    cache_bm[key][j] = bm25f(i, j)
                vals.append(cache_bm[key][j])
            vals = np.array(vals)
            best_v = vals.max() if len(vals) else 0.0
            lexical = vals / best_v if best_v > 0 else vals
        elif p.get("sat"):
            raw = np.array([lex.get(j, 0.0) for j in cands])
            lexical = raw / (raw + p["sat"])
        else:
            best_v = max(lex.values(), default=0.0)
            lexical = np.array([lex.get(j, 0.0) / best_v if best_v else 0.0 for j in cands])
        score = dense + bonus * lexical
        if p.get("cov"):
            covs = []
            for j in cands:
                if (i, j) not in cache_cov:
                    cache_cov[i, j] = head_coverage(i, j)
                covs.append(cache_cov[i, j])
            score = score + p["cov"] * np.array(covs)
        if p.get("agg"):
            # document score = best chunk + agg x its second-best chunk (evidence spread over the answer)
            per = {}
            for k in np.lexsort((idx, -score)):
                per.setdefault(entry[idx[k]], []).append(score[k])
            g = p["agg"]
            docs = {e: v[0] + g * (v[1] if len(v) > 1 else 0.0) for e, v in per.items()}
            return sorted(docs, key=lambda e: -docs[e])[:10]
        order = np.lexsort((idx, -score))
        if p.get("chunks"):
            return idx[order].tolist()
        ranked = []
        for k in order[:60]:
            e = entry[idx[k]]
            if e not in ranked:
                ranked.append(e)
        return ranked[:10]

    def metrics(rankings, sel) -> np.ndarray:
        out = np.zeros(3)
        for i in sel:
            r = rankings[i]
            out += [
                bool(r) and r[0] in rel[i],
                any(d in rel[i] for d in r[:5]),
                next((1 / k for k, d in enumerate(r, 1) if d in rel[i]), 0.0),
            ]
        return out / len(sel)

    everyone = list(range(n_q))
    default = [rank(i, {}) for i in everyone]
    baseline_chunks = np.array([rank(i, {"chunks": True})[:5] for i in everyone])
    print(f"default (production score fusion) full set R@1/R@5/MRR: {metrics(default, everyone).round(4)}")

    def grid(**axes):
        keys = list(axes)
        return [dict(zip(keys, values, strict=True)) for values in itertools.product(*axes.values())]

    base_axes = {"w": [0.5, 1.0], "bonus": [0.1, 0.15, 0.2]}
    families = {
        "baseline family re-tuned (w x bonus)": grid(**base_axes),
        "windows s1 (1 sentence) extra term": grid(win=["s1"], ww=[0.5, 1.0, 2.0], **base_axes),
        "windows s2 (2 sentences) extra term": grid(win=["s2"], ww=[0.5, 1.0, 2.0], **base_axes),
        "windows h2 (heading+2 sent.) extra term": grid(win=["h2"], ww=[0.5, 1.0, 2.0], **base_axes),
        "windows h3 (heading+3 sent.) extra term": grid(win=["h3"], ww=[0.5, 1.0, 2.0], **base_axes),
        "windows h2 top-2 mean extra term": grid(win=["h2"], top2=[True], ww=[0.5, 1.0, 2.0], **base_axes),
        "windows h2 extra term + window list": grid(win=["h2"], win_list=[True], ww=[0.5, 1.0, 2.0], **base_axes),
        "passage = max(passage, h2 window)": grid(win=["h2"], replace=[True], **base_axes),
        "passage = max(passage, h3 window)": grid(win=["h3"], replace=[True], **base_axes),
        "heading coverage (IDF) bonus": grid(cov=[0.05, 0.1, 0.15, 0.2], **base_axes),
        "BM25F (heading x2) instead of ts_rank": grid(bm25=[True], w=[0.5, 1.0], bonus=[0.1, 0.15, 0.2, 0.25]),
        "stemmed (english) ts_rank instead": grid(stem=[True], **base_axes),
        "simple + stemmed ts_rank mixed": grid(stem=["add"], mix=[0.25, 0.5, 0.75], **base_axes),
        "query without interrogative, mixed": grid(bare=[0.3, 0.5, 1.0], **base_axes),
        "query without interrogative vs heading only": grid(bare=[0.3, 0.5], head_only=[True], **base_axes),
        "centred cosines (one corpus mean)": grid(center=[1], cmix=[0.5, 1.0], **base_axes),
        "centred cosines (mean per column)": grid(center=[2], cmix=[0.5, 1.0], **base_axes),
        "hubness penalty (CSLS, 10 nearest headings)": grid(hub=[0.1, 0.25, 0.5], **base_axes),
        "absolute ts_rank saturation s/(s+k)": grid(sat=[0.02, 0.05, 0.1], w=[0.5, 1.0], bonus=[0.1, 0.15, 0.2, 0.3]),
        "document = best + g x second chunk": grid(agg=[0.02, 0.05, 0.1], **base_axes),
        "PRF (Rocchio) passage vectors": grid(prf=["passage"], k=[1, 2, 3, 5], beta=[0.1, 0.2, 0.3, 0.5]),
        "PRF (Rocchio) heading vectors": grid(prf=["heading"], k=[1, 2, 3, 5], beta=[0.1, 0.2, 0.3, 0.5]),
        "PRF (Rocchio) passage+heading averaged": grid(prf=["both"], k=[1, 2, 3, 5], beta=[0.1, 0.2, 0.3, 0.5]),
        "PRF (Rocchio) q' re-scores heading cosine only": grid(
            prf=["passage", "heading", "both"], prf_head_only=[True], k=[1, 2, 3, 5], beta=[0.1, 0.2, 0.3, 0.5]
        ),
    }
    # QLAB_FAMILIES=a,b (substrings) runs only the matching families; the re-tuned baseline always runs first.
    only = [s.strip().lower() for s in os.environ.get("QLAB_FAMILIES", "").split(",") if s.strip()]
    if only:
        first = next(iter(families))
        families = {
            name: points for name, points in families.items() if name == first or any(s in name.lower() for s in only)
        }
    groups = np.array([sorted(r)[0] for r in rel])
    distinct = np.unique(groups)
    rng = np.random.default_rng(7)
    splits = []
    for _ in range(SPLITS):
        train_groups = rng.permutation(distinct)[: len(distinct) // 2]
        mask = np.isin(groups, train_groups)
        splits.append((np.nonzero(mask)[0], np.nonzero(~mask)[0]))
    default_test = np.array([metrics(default, test) for _train, test in splits])
    retuned = None
    d_r1 = np.array([default[i][:1] and default[i][0] in rel[i] for i in everyone])
    for name, points in families.items():
        rankings = [[rank(i, p) for i in everyone] for p in points]
        full = [metrics(r, everyone) for r in rankings]
        best_full = int(np.argmax([f[2] for f in full]))
        chosen = []
        for train, test in splits:
            k = max(range(len(points)), key=lambda k: tuple(metrics(rankings[k], train)[[2, 0]]))
            chosen.append(metrics(rankings[k], test))
        chosen = np.array(chosen)
        if retuned is None:
            retuned = chosen
        diff = chosen - default_test
        diff_r = chosen - retuned
        # full-set point closest to production defaults for gained/lost counts: the full-set best
        r1 = np.array([rankings[best_full][i][:1] and rankings[best_full][i][0] in rel[i] for i in everyone])
        gained, lost = int(np.sum(r1 & ~d_r1)), int(np.sum(~r1 & d_r1))
        print(
            f"{name}: held-out {chosen.mean(0).round(3)} vs default {default_test.mean(0).round(3)}: "
            f"dR@1 {diff[:, 0].mean():+.3f} ({np.mean(diff[:, 0] > 0):.0%}>0) dMRR {diff[:, 2].mean():+.3f} "
            f"({np.mean(diff[:, 2] > 0):.0%}>0, {np.mean(diff[:, 2] >= 0.02):.0%}>=.02); vs re-tuned baseline "
            f"dMRR {diff_r[:, 2].mean():+.3f} ({np.mean(diff_r[:, 2] > 0):.0%}>0) | full-set best "
            f"{points[best_full]} {full[best_full].round(3)} rank-1 +{gained}/-{lost}"
        )
