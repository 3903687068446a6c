"""Related questions: the next best passages, offered one tap away.

Under an answer, the passages that follow its lead (other FAQ questions the citizen may have meant); under a
refusal, the best candidates that did not clear the confidence floor, offered as "did you mean …?" rather than
as an answer. Each is named by its question (the last part of its heading path) and answered, when tapped,
from that passage itself (`knowledge.services.answer_from_passage`), never by searching the label again.

On the FAQ evaluation sets (bench/knowledge/related_lab.py) the right entry is the answer or one tap away for
far more questions than it is the answer; the floor (`KNOWLEDGE_RELATED_FLOOR`) keeps the far-fetched ones
off the screen.
"""

from __future__ import annotations

from django.conf import settings

from knowledge.ingestion.base import HEADING_SEPARATOR
from knowledge.types import Passage

LIMIT = 2
LABEL_CHARS = 90


def related_floor() -> float:
    return float(getattr(settings, "KNOWLEDGE_RELATED_FLOOR", 0.3))


def label(passage: Passage) -> str:
    """The passage's question: the last part of its heading path, else its document's title."""
    heading = (passage.heading_path or "").split(HEADING_SEPARATOR.strip())[-1].strip()
    text = heading or passage.title or ""
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _key(passage: Passage) -> str:
    return label(passage).casefold().rstrip("?\uff1f\u061f ")  # question marks: ASCII, full-width, Arabic


def pick(passages: list[Passage], *, lead: Passage | None, floor: float | None = None, limit: int = LIMIT):
    """Up to `limit` passages after `lead` (all of them when there is no lead), in rank order, each above the
    floor and with a question of its own: not the lead's, not one already picked, not an empty label."""
    floor = related_floor() if floor is None else floor
    seen = {_key(lead)} if lead is not None else set()
    picked: list[Passage] = []
    for passage in passages[:8]:
        if passage is lead or passage.confidence < floor:
            continue
        key = _key(passage)
        if not key or key in seen:
            continue
        seen.add(key)
        picked.append(passage)
        if len(picked) >= limit:
            break
    return picked


# Under a refusal, up to SUGGEST_COUNT suggestions: the same-language ones (up to LIMIT), then the cross-language
# search's first SUGGEST_DEPTH candidates (their score in the multilingual space, the scale of
# KNOWLEDGE_CROSSLINGUAL_FLOOR) from CROSSLINGUAL_SUGGEST_FLOOR and within SUGGEST_WINDOW of the best of them.
# Session 26 (bench/knowledge/suggest_lab.py, citizens' own questions in six languages, 5 folds by question): the
# right section among the suggestions for 101 of 314 refused questions that have one (2, 0.5, no window: 30), and
# suggestions for 79 of 175 refused questions that nothing answers (26); chosen by hits - noise.
CROSSLINGUAL_SUGGEST_FLOOR = 0.4
SUGGEST_COUNT = 3
SUGGEST_WINDOW = 0.15
SUGGEST_DEPTH = 3
SUGGEST_COUNT_MAX = 5  # the loanword candidates read (`retrieval.loanwords`), whatever the count configured
# A question in a language the encoder does not know (Vietnamese) is offered the passages holding its loanwords
# from this weight (the summed IDF of the words they hold; bench/knowledge/suggest_lab.py).
LOANWORD_SUGGEST_FLOOR = 2.5


def suggest_settings() -> tuple[int, float, float | None, int]:
    """What a refusal offers: (up to how many suggestions, the cross-language candidates' floor, how far below the
    best cross-language candidate one may score (None: any), among how many of the cross-language search's first)."""
    window = getattr(settings, "KNOWLEDGE_CROSSLINGUAL_SUGGEST_WINDOW", SUGGEST_WINDOW)
    return (
        int(getattr(settings, "KNOWLEDGE_SUGGEST_COUNT", SUGGEST_COUNT)),
        float(getattr(settings, "KNOWLEDGE_CROSSLINGUAL_SUGGEST_FLOOR", CROSSLINGUAL_SUGGEST_FLOOR)),
        None if str(window).strip().lower() in ("", "none", "off") else float(window),
        int(getattr(settings, "KNOWLEDGE_CROSSLINGUAL_SUGGEST_DEPTH", SUGGEST_DEPTH)),
    )


def loanword_floor() -> float:
    return float(getattr(settings, "KNOWLEDGE_LOANWORD_SUGGEST_FLOOR", LOANWORD_SUGGEST_FLOOR))


def near_misses(
    passages: list[Passage],
    across: tuple[Passage, ...] = (),
    across_shift: float = 0.0,
    loaned: tuple[Passage, ...] = (),
    across_rule: tuple[float, float | None] | None = None,
) -> list[Passage]:
    """What a refusal offers: the best candidates in the question's own (or a readable) language, then, when
    there is room, the best cross-language candidates (`across`, best first) that did not clear the cross-language
    floor: from the suggestion floor + `across_shift` (the question's language's floor minus the usual one) and
    within the window of the best of them (`suggest_settings`; `across_rule`: another (floor, window), e5's
    candidates' `retrieval.e5_across`); for a language the encoder does not know, the passages holding its
    loanwords (`loaned`, best first) from `loanword_floor`."""
    count, floor, window, depth = suggest_settings()
    if across_rule is not None:
        floor, window = across_rule
    picked = pick(passages, lead=None, limit=min(count, LIMIT))
    across = list(across[:depth])
    if len(picked) < count and across:
        seen = {_key(p) for p in picked}
        lowest = floor + across_shift
        if window is not None:
            lowest = max(lowest, across[0].score - window)
        more = [p for p in across if _key(p) not in seen and p.score >= lowest]
        picked += pick(more, lead=None, floor=0.0, limit=count - len(picked))  # `more` cleared the floor
    if len(picked) < count and loaned:
        seen = {_key(p) for p in picked}
        more = [p for p in loaned if _key(p) not in seen and p.score >= loanword_floor()]
        picked += pick(more, lead=None, floor=0.0, limit=count - len(picked))
    return picked


def as_dicts(passages: list[Passage]) -> list[dict]:
    """What the answer carries: `{"question", "chunk_id"}` per related passage."""
    return [{"question": label(p), "chunk_id": p.chunk_id} for p in passages]
