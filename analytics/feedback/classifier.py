"""Topic and sentiment of a piece of feedback, offline and without an LLM.

Topic: nearest centroid over the multilingual encoder's sentence vectors (Universal Sentence Encoder
multilingual, bundled). A topic's centroid is the mean of its example sentences and of every feedback
whose topic staff set by hand, so each correction moves the agency's centroids towards its own words.

Sentiment: the citizen's rating when given (1-2 negative, 3 neutral, 4-5 positive), otherwise the nearest
of three centroids of example sentences (en, es, zh) over the same vectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.models import Feedback, FeedbackTopic

CORRECTION_WEIGHT = 2.0  # a staff-labelled feedback counts as much as two seed examples


@dataclass
class TopicGuess:
    topic: FeedbackTopic | None
    confidence: float


def embed(texts: list[str]) -> np.ndarray:
    from knowledge.embedders.multilingual import MultilingualEmbedder

    vectors = np.asarray(MultilingualEmbedder.model().encode([t[:2000] for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


_example_cache: dict[tuple, np.ndarray] = {}


def _examples_vectors(examples: tuple[str, ...]) -> np.ndarray:
    found = _example_cache.get(examples)
    if found is None:
        found = embed(list(examples)) if examples else np.zeros((0, 512), dtype=np.float32)
        if len(_example_cache) > 256:
            _example_cache.clear()
        _example_cache[examples] = found
    return found


def centroids(*, agency) -> tuple[list[FeedbackTopic], np.ndarray]:
    """The agency's active topics and their centroids (unit vectors), seeds plus staff corrections."""
    topics = list(FeedbackTopic.objects.for_agency(agency).filter(active=True).order_by("order", "pk"))
    corrected: dict[int, list] = {}
    rows = (
        Feedback.objects.for_agency(agency)
        .filter(topic_corrected=True, topic__isnull=False)
        .values_list("topic_id", "embedding")
    )
    for topic_id, vector in rows:
        if vector:
            corrected.setdefault(topic_id, []).append(vector)
    out = []
    for topic in topics:
        seeds = _examples_vectors(tuple(str(e) for e in topic.examples or []))
        parts, weight = [], 0.0
        if len(seeds):
            parts.append(seeds.sum(axis=0))
            weight += len(seeds)
        if corrected.get(topic.pk):
            extra = np.asarray(corrected[topic.pk], dtype=np.float32)
            parts.append(CORRECTION_WEIGHT * extra.sum(axis=0))
            weight += CORRECTION_WEIGHT * len(extra)
        centre = sum(parts) / weight if parts else np.zeros(512, dtype=np.float32)
        out.append(centre / max(float(np.linalg.norm(centre)), 1e-9))
    return topics, np.asarray(out, dtype=np.float32).reshape(len(topics), 512)


def topic_guess(*, agency, vector: np.ndarray) -> TopicGuess:
    topics, centres = centroids(agency=agency)
    if not topics:
        return TopicGuess(None, 0.0)
    scores = centres @ vector
    best = int(np.argmax(scores))
    return TopicGuess(topics[best], float(scores[best]))


SENTIMENTS = ("negative", "neutral", "positive")


def sentiment_centroids() -> np.ndarray:
    """One unit vector per sentiment (order of SENTIMENTS): the mean of its example sentences."""
    from analytics.feedback.sentiment_examples import SENTIMENT_EXAMPLES

    out = []
    for mood in SENTIMENTS:
        centre = _examples_vectors(tuple(SENTIMENT_EXAMPLES[mood])).mean(axis=0)
        out.append(centre / max(float(np.linalg.norm(centre)), 1e-9))
    return np.asarray(out, dtype=np.float32)


def sentiment(vector: np.ndarray, rating: int | None = None) -> tuple[str, float]:
    """(positive | neutral | negative, score in [-1, 1]) of a feedback's sentence vector (from `embed`).

    The citizen's rating decides when given. Otherwise the nearest of three centroids of example
    sentences (sentiment_examples.py) over the same multilingual vectors as the topic: complaints mostly
    state a fact ("the light has been out for a week") with no sentiment word, which a word list missed
    (0.42 on the development set, 0.78 this way). The score is the positive minus the negative similarity,
    scaled to [-1, 1]."""
    if rating is not None:
        score = (rating - 3) / 2
        return ("positive" if rating >= 4 else "negative" if rating <= 2 else "neutral"), score
    similarity = sentiment_centroids() @ np.asarray(vector, dtype=np.float32)
    mood = SENTIMENTS[int(np.argmax(similarity))]
    score = max(-1.0, min(1.0, 2.0 * float(similarity[2] - similarity[0])))
    return mood, score
