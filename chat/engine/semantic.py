"""The semantic intent layer: nearest labelled utterances in the multilingual encoder's space.

The word-based detector (`chat.engine.intents`) knows the words of each skill's examples and keywords; it
misses what is said in other words or another language ("the website is confusing" is feedback; "Wie ist
der Stand von SPR-…?" is a status question). Here every labelled utterance — `data/intent_examples.tsv`,
the skills' own examples and the agency's corrections — is a unit vector of the multilingual sentence
encoder (Universal Sentence Encoder multilingual, the one knowledge search uses for other languages), and a
message takes the intent whose two nearest utterances are closest on average, when that beats the nearest
plain questions (`question`: the knowledge base's) by a margin. It is consulted only when the word-based
detector found no intent or only a weak one. Measured on bench/chat/data/ (bench/chat/intent_eval.py).

Without the encoder (`KNOWLEDGE_MULTILINGUAL_EMBEDDER=none`, or `CHAT_SEMANTIC_INTENTS=0`) the layer is off and the word-based detector
decides alone.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chat.engine import registry

logger = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data" / "intent_examples.tsv"
QUESTION = "question"
# Intents are named for what the citizen wants; the skills that serve them have their own names.
INTENT_OF_SKILL = {
    "answer": QUESTION,
    "report_problem": "report",
    "check_status": "status",
    "register_service": "register",
    "handoff": "handoff",
    "feedback": "feedback",
    "greeting": "greeting",
    "thanks": "greeting",
}
SCORE_FLOOR = 0.42  # the intent's two nearest utterances, on average, at least this close
MARGIN = 0.04  # and this much closer than the nearest plain questions
TOP = 2


def intent_name(skill_name: str) -> str:
    return INTENT_OF_SKILL.get(skill_name, skill_name)


def skills_for_intent(intent: str) -> list[str]:
    names = [skill for skill, name in INTENT_OF_SKILL.items() if name == intent]
    return names or ([intent] if registry.get_skill(intent) else [])


def training_rows() -> list[tuple[str, str, str]]:
    """(intent, language, text): the file's and every skill's examples."""
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            intent, language, text = line.split("\t", 2)
            rows.append((intent, language, text))
    for skill in registry.all_skills():
        for language, utterances in skill.examples.items():
            rows.extend((intent_name(skill.name), language, text) for text in utterances)
    return rows


@dataclass(frozen=True)
class Nearest:
    intent: str
    score: float
    question_score: float
    runner_up: str
    runner_up_score: float


class _Space:
    def __init__(self, encoder, rows):
        self.encoder = encoder
        self.intents = sorted({intent for intent, _language, _text in rows})
        self.labels = np.array([self.intents.index(intent) for intent, _language, _text in rows])
        self.vectors = self.encode([text for _intent, _language, text in rows])

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray([self.encoder.embed_query(text) for text in texts], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


_space: _Space | None = None
_space_version = -1
_lock = threading.Lock()


def _encoder():
    from django.conf import settings

    from knowledge.embedders import multilingual_embedder  # the knowledge app owns the model

    if not settings.CHAT_SEMANTIC_INTENTS:
        return None

    try:
        return multilingual_embedder()
    except Exception:  # an embedder that cannot load turns the layer off, never the chat
        logger.exception("the multilingual encoder did not load; intents use words only")
        return None


def _get_space() -> _Space | None:
    global _space, _space_version
    version = registry.registry_version()
    if _space is None or _space_version != version:
        with _lock:
            if _space is None or _space_version != version:
                encoder = _encoder()
                _space = _Space(encoder, training_rows()) if encoder is not None else None
                _space_version = version
    return _space


def agency_vectors(rows) -> tuple[np.ndarray, list[str]] | None:
    """An agency's corrections `(skill, language, text)` in the encoder's space, or None."""
    space = _get_space()
    if space is None or not rows:
        return None
    return space.encode([text for _skill, _language, text in rows]), [intent_name(skill) for skill, *_ in rows]


def nearest(text: str, *, allowed: set[str], agency=None) -> Nearest | None:
    """The closest intent among `allowed` (intent names; `question` is always a candidate)."""
    space = _get_space()
    if space is None or not (text or "").strip():
        return None
    query = space.encode([text])[0]
    cosines = space.vectors @ query
    scores: dict[str, float] = {}
    for index, intent in enumerate(space.intents):
        if intent != QUESTION and intent not in allowed:
            continue
        mine = np.sort(cosines[space.labels == index])[-TOP:]
        scores[intent] = float(mine.mean()) if len(mine) else 0.0
    if agency is not None:  # an agency's own corrections count as its nearest utterances
        vectors, intents = agency
        for cosine, intent in zip(vectors @ query, intents, strict=True):
            if intent == QUESTION or intent in allowed:
                scores[intent] = max(scores.get(intent, 0.0), float(cosine))
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked:
        return None
    best, runner = ranked[0], (ranked[1] if len(ranked) > 1 else ("", 0.0))
    return Nearest(best[0], best[1], scores.get(QUESTION, 0.0), runner[0], runner[1])
