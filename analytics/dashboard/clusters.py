"""The period's open knowledge gaps grouped by meaning with the multilingual encoder."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from analytics.selectors import unanswered_in

logger = logging.getLogger(__name__)
SIMILAR = 0.75  # cosine of two questions that ask the same thing (USE multilingual)
MAX_QUESTIONS = 400


@dataclass
class Cluster:
    question: str  # the first (most recent) question: the cluster's name
    ids: list[int] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    languages: set = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.ids)


def _vectors(texts: list[str]):
    from knowledge.embedders.queries import one_epoch_read

    embedder = _embedder()
    if not embedder:
        return None
    # Up to 400 questions, each a lookup in the question-vector cache: read the erasure generation from
    # Redis once for all of them, not once or twice per question (as a chat turn does).
    with one_epoch_read():
        return [embedder.embed_query(text) for text in texts]


_EMBEDDER = None


def _embedder():
    global _EMBEDDER
    if _EMBEDDER is None:
        try:
            from knowledge.embedders.multilingual import MultilingualEmbedder

            _EMBEDDER = MultilingualEmbedder()
        except Exception:  # pragma: no cover - the encoder is bundled
            logger.exception("multilingual encoder unavailable: clustering unanswered questions by text")
            return None
    return _EMBEDDER


def _dot(a, b) -> float:
    return sum(x * y for x, y in zip(a, b, strict=False))


def unanswered_clusters(*, agency, period, limit: int = 15) -> list[Cluster]:
    rows = list(
        unanswered_in(agency=agency, period=period)
        .filter(resolved=False)
        .order_by("-created_at")
        .values_list("pk", "question", "language")[:MAX_QUESTIONS]
    )
    if not rows:
        return []
    texts = [question[:500] for _pk, question, _lang in rows]
    try:
        vectors = _vectors(texts)
    except Exception:  # the encoder failed: fall back to grouping identical questions
        logger.exception("embedding unanswered questions failed")
        vectors = None
    clusters: list[Cluster] = []
    heads: list = []
    for index, (pk, question, language) in enumerate(rows):
        home = None
        if vectors is not None:
            vector = vectors[index]
            for position, head in enumerate(heads):
                if _dot(vector, head) >= SIMILAR:
                    home = clusters[position]
                    break
        else:
            normal = " ".join(question.lower().split())
            home = next((c for c in clusters if " ".join(c.question.lower().split()) == normal), None)
        if home is None:
            home = Cluster(question=question)
            clusters.append(home)
            heads.append(vectors[index] if vectors is not None else None)
        home.ids.append(pk)
        home.questions.append(question)
        if language:
            home.languages.add(language)
    clusters.sort(key=lambda c: -c.size)
    return clusters[:limit]
