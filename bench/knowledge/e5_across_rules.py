"""The candidates and rules of `e5_across_lab.py`: each question's cross-language candidates under each scoring,
precomputed as arrays, and a rule's outcomes over all questions at once."""

from __future__ import annotations

import math

import numpy as np

from bench.knowledge import suggest_lab
from knowledge import related
from knowledge.services.answers import confidence_floor

# e5's cosine on today's scale: today = a + b x e5, matching the mean and spread of the first ten candidates of the
# questions USE-m3 knows in the four development sets (`fit_map`; a change of units, not a decision: the floors,
# leads and weights are chosen and cross-validated on that scale).
E5_MAP = (-3.33, 4.64)
WEIGHTS = (0.25, 0.5, 0.75)
SCORINGS = ("today", "e5", "e5max", *(f"mix {w}" for w in WEIGHTS))
COUNT, DEPTH, LOOK = 3, 3, 10
LOANWORD_FLOOR = 2.5
NEVER = math.inf
FLOORS = (*(round(0.5 + 0.025 * i, 3) for i in range(17)), NEVER)  # 0.5 … 0.9, or no floor
LEADS = (0.0, 0.02, 0.03, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2)  # 0: no lead rule
LEAD_FLOORS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
SUGGEST_FLOORS = tuple(round(0.25 + 0.025 * i, 3) for i in range(17))  # 0.25 … 0.65
WINDOWS = (None, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25)
# production: floor 0.65 (Chinese 0.875), lead 0.1 from 0.45; suggestions from 0.4 within 0.15 of the best
TODAY = (("today", 0.65, 0.1, 0.45, False), ("today", 0.4, 0.15))


def answer_rules(allowed=None) -> list[tuple]:
    out = [TODAY[0]]
    for scoring in SCORINGS:
        if allowed and scoring not in allowed:
            continue
        for cascade in (False, True) if scoring != "today" else (False,):
            for floor in FLOORS:
                for lead in LEADS:
                    for lead_floor in LEAD_FLOORS if lead else (NEVER,):
                        out.append((scoring, floor, lead, lead_floor, cascade))
    return list(dict.fromkeys(out))


def suggest_rules(allowed=None) -> list[tuple]:
    out = [TODAY[1]]
    for scoring in SCORINGS:
        if allowed and scoring not in allowed:
            continue
        out += [(scoring, f, w) for f in SUGGEST_FLOORS for w in WINDOWS]
    return list(dict.fromkeys(out))


def mapped(e5: float) -> float:
    a, b = E5_MAP
    return a + b * e5


def fit_map(observed: list[dict]) -> tuple[float, float]:
    """(a, b) so that a + b x e5 has the mean and spread of today's scores (first ten candidates, questions with
    today's candidates)."""
    today, e5 = [], []
    for obs in observed:
        if not obs["across"]:
            continue
        today += sorted((c[0] for c in obs["across"]), reverse=True)[:LOOK]
        e5 += sorted((c[0] for c in obs["e5"]), reverse=True)[:LOOK]
    b = float(np.std(today) / np.std(e5))
    return float(np.mean(today) - b * np.mean(e5)), b


def _collapse(scored) -> list[tuple[float, bool, str]]:
    """(score, right, key) → one per key (its best score; right when any of its passages is), best first."""
    best: dict[str, list] = {}
    for score, ok, key in scored:
        if not key:
            continue
        if key not in best:
            best[key] = [score, ok]
        else:
            best[key][0] = max(best[key][0], score)
            best[key][1] = best[key][1] or ok
    return sorted(((s, ok, k) for k, (s, ok) in best.items()), key=lambda c: (-c[0], c[2]))


def uncollapsed(obs: dict, prepared: dict, scoring: str) -> list[tuple[float, bool, str]]:
    """The candidates as the answer service holds them (one per identical text, several under one label), best
    first: what a refusal's first DEPTH are taken from (`related.near_misses`)."""
    if scoring == "today":
        return sorted(prepared["across"], key=lambda c: -c[0])
    if scoring in ("e5", "e5max"):
        cells = [(mapped(max(b, h) if scoring == "e5max" and h is not None else b), ok, key)
                 for b, h, _ub, _uh, ok, key in obs["e5"]]  # fmt: skip
        return sorted(cells, key=lambda c: (-c[0], c[2]))
    return candidates(obs, prepared, scoring)


def candidates(obs: dict, prepared: dict, scoring: str) -> list[tuple[float, bool, str]]:
    if scoring == "today":
        return _collapse(prepared["across"])
    e5_cells = [(mapped(max(b, h) if scoring == "e5max" and h is not None else b), ok, key)
                for b, h, _ub, _uh, ok, key in obs["e5"]]  # fmt: skip
    if scoring in ("e5", "e5max"):
        return _collapse(e5_cells)
    w = float(scoring.split()[1])
    e5 = {k: (s, ok) for s, ok, k in _collapse(e5_cells)}
    if not prepared["across"]:  # a language USE-m3 does not know: e5 alone
        return _collapse((s, ok, k) for k, (s, ok) in e5.items())
    today = {k: s for s, _ok, k in _collapse(prepared["across"])}
    plain = {k: s for s, _ok, k in _collapse((max(ub, uh if uh is not None else -1.0), ok, key)
                                             for _b, _h, ub, uh, ok, key in obs["e5"] if ub is not None)}  # fmt: skip
    return _collapse(((1 - w) * today.get(k, plain.get(k, s)) + w * s, ok, k) for k, (s, ok) in e5.items())


class Rows:
    """The observed questions as arrays: outcomes of any rule are then a few vector operations."""

    def __init__(self, observed: list[dict]):
        prepared = suggest_lab.prepare(observed)
        n = len(observed)
        self.lang = [o["lang"] for o in observed]
        self.query = [o["query"] for o in observed]
        self.answerable = np.array([p["answerable"] for p in prepared])
        self.answered_first = np.array([p["primary"] >= confidence_floor() for p in prepared])
        self.primary = np.array([1 if p["primary_right"] else -1 for p in prepared]) * self.answered_first
        shift = np.array([p["shift"] for p in prepared])
        # the same-language suggestions (`related.pick` under a refusal)
        own = [self._own(p) for p in prepared]
        self.own_n = np.array([len(o) for o in own])
        self.own_hit = np.array([any(ok for ok, _k in o) for o in own])
        self.top = {}
        self.rank = {}
        self.cands = {}
        for scoring in SCORINGS:
            s1 = np.full(n, -np.inf)
            s2 = np.full(n, -np.inf)
            ok1 = np.zeros(n, dtype=bool)
            best = np.full(n, -np.inf)
            pas = np.full((n, DEPTH), -np.inf)  # the first DEPTH candidates not already offered in-language
            cum = np.zeros((n, DEPTH + 1), dtype=bool)  # whether one of the first k of those is right
            loan_hit = np.zeros((n, DEPTH + 1), dtype=bool)
            loan_n = np.zeros((n, DEPTH + 1), dtype=int)
            ranks = []
            kept = []
            for i, (obs, p) in enumerate(zip(observed, prepared, strict=True)):
                c = candidates(obs, p, scoring)[:LOOK] if (scoring == "today" or obs.get("e5")) else []
                kept.append(c)
                ranks.append(next((r for r, (_s, ok, _k) in enumerate(c, 1) if ok), 99))
                if c:
                    s1[i], ok1[i], best[i] = c[0][0], c[0][1], c[0][0]
                    if len(c) > 1:
                        s2[i] = c[1][0]
                seen = {k for _ok, k in own[i]}
                rest = []
                if c:
                    for x in uncollapsed(obs, p, scoring)[:DEPTH]:
                        if x[2] and x[2] not in seen and x[2] not in {r[2] for r in rest}:
                            rest.append(x)
                for j, (s, ok, _k) in enumerate(rest):
                    pas[i, j] = s
                    cum[i, j + 1] = cum[i, j] or ok
                for j in range(len(rest) + 1, DEPTH + 1):
                    cum[i, j] = cum[i, j - 1]
                slots = COUNT - len(own[i])
                for shown in range(DEPTH + 1):
                    taken = seen | {x[2] for x in rest[:shown]}
                    room = slots - shown
                    picked = []
                    for s, ok, k in p["loaned"]:
                        if len(picked) >= room:
                            break
                        if s >= LOANWORD_FLOOR and k and k not in taken:
                            taken.add(k)
                            picked.append(ok)
                    loan_hit[i, shown], loan_n[i, shown] = any(picked), len(picked)
            w = 0.0 if scoring == "today" else float(scoring.split()[1]) if scoring.startswith("mix") else 1.0
            self.top[scoring] = (s1, s2, ok1, best, pas, cum, loan_hit, loan_n, (1 - w) * shift)
            self.rank[scoring] = ranks
            self.cands[scoring] = kept
        self.slots = COUNT - self.own_n
        self._answers: dict[tuple, np.ndarray] = {}

    @staticmethod
    def _own(p: dict) -> list[tuple[bool, str]]:
        out, seen = [], set()
        for confidence, ok, key in p["own"][:8]:
            if confidence < related.related_floor() or not key or key in seen:
                continue
            seen.add(key)
            out.append((ok, key))
            if len(out) >= min(COUNT, related.LIMIT):
                break
        return out


def _scored(rows: Rows, scoring: str, floor: float, lead: float, lead_floor: float) -> np.ndarray:
    s1, s2, ok1, _best, _pas, _cum, _lh, _ln, shift = rows.top[scoring]
    answered = s1 >= floor + shift
    if lead > 0:
        with np.errstate(invalid="ignore"):
            answered |= (s1 >= lead_floor) & (s1 - s2 >= lead)
    answered &= np.isfinite(s1)
    return np.where(answered, np.where(ok1 & rows.answerable, 1, -1), 0)


def answer_outcomes(rows: Rows, rule: tuple) -> np.ndarray:
    """1 right, -1 wrong, 0 refused, per question."""
    if rule not in rows._answers:
        scoring, floor, lead, lead_floor, cascade = rule
        out = _scored(rows, scoring, floor, lead, lead_floor)
        if cascade:
            today = answer_outcomes(rows, TODAY[0])
            out = np.where(today != 0, today, out)
        rows._answers[rule] = np.where(rows.answered_first, rows.primary, out)
    return rows._answers[rule]


def suggest_outcomes(rows: Rows, rule: tuple, outcome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether the right section is among a question's suggestions, how many it is shown); only refused
    questions' count (the caller masks)."""
    scoring, floor, window = rule
    _s1, _s2, _ok1, best, pas, cum, loan_hit, loan_n, shift = rows.top[scoring]
    lowest = floor + shift
    if window is not None:
        lowest = np.maximum(lowest, best - window)
    passing = np.minimum((pas >= lowest[:, None]).sum(axis=1), rows.slots)
    at = np.arange(len(passing))
    hit = rows.own_hit | cum[at, passing] | loan_hit[at, passing]
    shown = rows.own_n + passing + loan_n[at, passing]
    return hit, shown


def explain(rows: Rows, i: int, *rules) -> dict:
    out = {}
    for n, (answer_rule, suggest_rule) in enumerate(rules):
        outcome = answer_outcomes(rows, answer_rule)
        hit, shown = suggest_outcomes(rows, suggest_rule, outcome)
        verdict = {1: "right", -1: "wrong", 0: "refused"}[int(outcome[i])]
        if outcome[i] == 0:
            verdict += f", {int(shown[i])} suggested" + (" (right among them)" if hit[i] else "")
        scoring = suggest_rule[0] if outcome[i] == 0 else answer_rule[0]
        top = [(round(s, 3), ok, k[:40]) for s, ok, k in rows.cands[scoring][i][:3]]
        out["today" if n == 0 else "rule"] = {"outcome": verdict, "top": top}
    return out
