"""The semantic intent layer: nearest labelled utterances in the multilingual encoder's space.

The word-based detector (`chat.engine.intents`) knows the words of each skill's examples and keywords; it
misses what is said in other words or another language ("the website is confusing" is feedback; "Wie ist
der Stand von SPR-…?" is a status question). Here every labelled utterance — `data/intent_examples.tsv`,
the skills' own examples and the agency's corrections — is a unit vector of the multilingual sentence
encoder (Universal Sentence Encoder multilingual, the one knowledge search uses for other languages), and a
message takes the intent whose two nearest utterances are closest on average, when that beats the nearest
plain questions (`question`: the knowledge base's) by a margin. It is consulted only when the word-based
detector found no intent or only a weak one. Measured on bench/chat/data/ (bench/chat/intent_eval.py).

An English message is compared in MiniLM's space instead (the English utterances only), when MiniLM is the
dense embedder: knowledge search embeds the same question with MiniLM moments later, from the same
per-process cache, so understanding an English question costs no encoder run of its own (the multilingual
encoder's was ~2 ms of CPU, +15 % of a turn; bench/chat/intent_cost.py). Each space has its own floor and
margin, set on intents_dev.tsv only.

Without the encoder (`KNOWLEDGE_MULTILINGUAL_EMBEDDER=none`, or `CHAT_SEMANTIC_INTENTS=0`) the layer is off and the word-based detector
decides alone. With `CHAT_LEARNED_INTENTS` (the default) the learned model (`chat.engine.learned`) reads the same
vector (`query_vector`) and decides instead of the nearest utterances; they still give an agency's corrections
their weight and a form its margin (`chat.engine.interrupts`).
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
TOP = 2
ENGLISH = "en"
# Sure enough that a message is English to read it in MiniLM's space (on intents_dev.tsv: "hallo, was kannst
# du?" is English at 0.52; below this an English message is read in the multilingual space, as before).
ENGLISH_SURE = 0.6


@dataclass(frozen=True)
class Thresholds:
    floor: float  # the intent's two nearest utterances, on average, at least this close
    margin: float  # and this much closer than the nearest plain questions


MULTILINGUAL = Thresholds(floor=0.42, margin=0.04)
MINILM_ENGLISH = Thresholds(floor=0.35, margin=0.04)  # set on intents_dev.tsv: dev en 0.984 at 0.30-0.35, 0.967 at 0.40
QUERY_CHARS = 2000  # as knowledge search cuts a question (retrieval.pipeline.MAX_QUERY_CHARS): one cache key


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
    thresholds: Thresholds = MULTILINGUAL

    @property
    def clear(self) -> bool:
        """Close enough to its intent's utterances, and closer to them than to plain questions."""
        return self.score >= self.thresholds.floor and self.score - self.question_score >= self.thresholds.margin


class _Space:
    """Labelled utterances as unit vectors of one encoder."""

    def __init__(self, name: str, encoder, rows, thresholds: Thresholds):
        self.name = name
        self.encoder = encoder
        self.thresholds = thresholds
        self.intents = sorted({intent for intent, _language, _text in rows})
        self.labels = np.array([self.intents.index(intent) for intent, _language, _text in rows])
        self.vectors = self.encode([text for _intent, _language, text in rows])

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.asarray([self.encoder.embed_query(text.strip()[:QUERY_CHARS]) for text in texts], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vectors / norms


@dataclass(frozen=True)
class _Spaces:
    multilingual: _Space | None = None
    english: _Space | None = None  # MiniLM's, when it is the dense embedder

    def for_text(self, text: str) -> _Space | None:
        if self.english is not None and _is_english(text):
            return self.english
        return self.multilingual

    def all(self) -> list[_Space]:
        return [space for space in (self.multilingual, self.english) if space is not None]


# Built spaces by what they were built from (`_spaces_key`): the registry's version and the settings that choose
# the encoders. Keyed, not built once per process: a test or benchmark that changes the embedder setting reads
# with the encoders it set (session 23: a test failed only after another had loaded MiniLM in the same process).
_spaces: dict[tuple, _Spaces] = {}
_lock = threading.Lock()
KEPT_SPACES = 4  # configurations kept at once (a process in production uses one)


def _is_english(text: str) -> bool:
    from core.language import detect

    detection = detect(text, fallback=ENGLISH)
    return detection.written == ENGLISH and detection.confidence >= ENGLISH_SURE


def _encoders():
    """(multilingual encoder, MiniLM or None); (None, None) when the layer is off."""
    from django.conf import settings

    from knowledge.embedders import dense_embedder, dense_embedder_name, multilingual_embedder

    if not settings.CHAT_SEMANTIC_INTENTS:
        return None, None
    try:
        multilingual = multilingual_embedder()
    except Exception:  # an embedder that cannot load turns the layer off, never the chat
        logger.exception("the multilingual encoder did not load; intents use words only")
        return None, None
    if multilingual is None:
        return None, None
    english = None
    if dense_embedder_name() == "minilm":  # in this process; a remote embedder is not asked for intents
        try:
            english = dense_embedder()
        except Exception:
            logger.exception("MiniLM did not load; English intents use the multilingual encoder")
    return multilingual, english


def _spaces_key() -> tuple:
    """What the spaces are built from: the skills registered and the settings `_encoders` reads."""
    from django.conf import settings

    return (
        registry.registry_version(),
        bool(settings.CHAT_SEMANTIC_INTENTS),
        getattr(settings, "KNOWLEDGE_EMBEDDER", "none") or "none",
        getattr(settings, "KNOWLEDGE_MULTILINGUAL_EMBEDDER", "none") or "none",
    )


def _get_spaces() -> _Spaces:
    key = _spaces_key()
    spaces = _spaces.get(key)
    if spaces is None:
        with _lock:
            spaces = _spaces.get(key)
            if spaces is None:
                multilingual, english = _encoders()
                rows = training_rows() if multilingual is not None else []
                english_rows = [row for row in rows if row[1] == ENGLISH]
                spaces = _Spaces(
                    multilingual=_Space("use", multilingual, rows, MULTILINGUAL) if multilingual else None,
                    english=_Space(ENGLISH, english, english_rows, MINILM_ENGLISH)
                    if english and english_rows
                    else None,
                )
                while len(_spaces) >= KEPT_SPACES:
                    _spaces.pop(next(iter(_spaces)))
                _spaces[key] = spaces
    return spaces


def warm_up() -> None:
    """Load the encoders and embed the intents' example messages now (a web process does this before it
    listens): built on first use instead, the first message a process read, a citizen's or the staff's "try a
    message", waited 4-8 s for it (seen on make run)."""
    from chat.engine import learned

    try:
        _get_spaces()
        learned.models()
    except Exception:  # the first message builds them then, as before
        logger.exception("Warming the intent layer failed; the first message builds it")


def reset() -> None:
    """Rebuild the spaces on next use (a benchmark's fold; a change of settings is seen without it)."""
    with _lock:
        _spaces.clear()


def agency_vectors(rows) -> dict[str, tuple[np.ndarray, list[str]]] | None:
    """An agency's corrections `(skill, language, text)` in each space (English ones only in MiniLM's)."""
    spaces = _get_spaces()
    if not rows or spaces.multilingual is None:
        return None
    out = {}
    for space in spaces.all():
        mine = rows if space is spaces.multilingual else [row for row in rows if row[1] == ENGLISH]
        if mine:
            out[space.name] = (
                space.encode([text for _s, _l, text in mine]),
                [intent_name(skill) for skill, *_ in mine],
            )
    return out


def query_vector(text: str) -> tuple[str, np.ndarray] | None:
    """(space name, unit vector) of `text` as this layer reads it ("en": MiniLM's, for a message surely English
    when MiniLM is the dense embedder; "use": the multilingual encoder's), or None when the layer is off. The
    encoders cache per process, so asking again for the same text runs no encoder."""
    space = _get_spaces().for_text(text) if (text or "").strip() else None
    if space is None:
        return None
    return space.name, space.encode([text])[0]


def nearest(
    text: str, *, allowed: set[str], agency=None, query: tuple[str, np.ndarray] | None = None
) -> Nearest | None:
    """The closest intent among `allowed` (intent names; `question` is always a candidate). `query`: the
    message's `query_vector`, when the caller has it."""
    if query is None:
        space = _get_spaces().for_text(text) if (text or "").strip() else None
        if space is None:
            return None
        query = (space.name, space.encode([text])[0])
    space = next((space for space in _get_spaces().all() if space.name == query[0]), None)
    if space is None:
        return None
    query = query[1]
    cosines = space.vectors @ query
    scores: dict[str, float] = {}
    for index, intent in enumerate(space.intents):
        if intent != QUESTION and intent not in allowed:
            continue
        mine = np.sort(cosines[space.labels == index])[-TOP:]
        scores[intent] = float(mine.mean()) if len(mine) else 0.0
    if agency and space.name in agency:  # an agency's own corrections count as its nearest utterances
        vectors, intents = agency[space.name]
        for cosine, intent in zip(vectors @ query, intents, strict=True):
            if intent == QUESTION or intent in allowed:
                scores[intent] = max(scores.get(intent, 0.0), float(cosine))
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked:
        return None
    best, runner = ranked[0], (ranked[1] if len(ranked) > 1 else ("", 0.0))
    return Nearest(best[0], best[1], scores.get(QUESTION, 0.0), runner[0], runner[1], space.thresholds)
