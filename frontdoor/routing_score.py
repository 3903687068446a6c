"""How the router's signals for one agency make its score, and the score list a decision (fitted on the labelled
questions of bench/frontdoor/, `route_quality.py --fit`, split "train" only)."""

from __future__ import annotations

from dataclasses import dataclass

# The directory speaks alone for an agency (a question in a language its passages are not in) from this raw score:
# one of the question's words found whole in the agency's own description (weight 1). Less is a typo's likeness or a
# Vietnamese syllable alone: "¿Cómo pido la ciudadanía…?" reached the county by "ciudadanía" ~ "ciudad" (0.72),
# "…xin thẻ xanh?" (a green card) the city by "xanh" of its parks' "cây xanh" (0.74). On questions_i18n.jsonl's train
# part the directory-alone answers that were right scored 1.26 and more, the wrong ones 0.72 and 1.49 (a second
# choice); `bench/frontdoor/RESULTS.md`, session 27.
DIRECTORY_ALONE_MIN = 1.0


@dataclass(frozen=True)
class Weights:
    """How the signals combine (fitted on bench/frontdoor/questions.jsonl, split "train")."""

    confidence: float = 0.7
    coverage: float = 0.1
    dense: float = 0.2
    directory: float = 0.1
    # A question in a language the agency's passages are not in (no dense evidence at all: a Spanish question
    # to an English knowledge base) is matched by its words alone, which are weak across languages; the
    # agency's services and categories, translated by the agency, speak for it instead.
    directory_alone: float = 0.5
    floor: float = 0.5
    # Two agencies within this of each other both fit: the citizen chooses. The fit is indifferent between
    # 0 and 0.25 on top-1 accuracy (bench/README.md); 0.1 is the widest margin that keeps "choose" at or under
    # 5 % of the training questions, so it is asked only where two agencies hold nearly the same answer.
    margin: float = 0.1


WEIGHTS = Weights()


def combine(
    confidence: float,
    coverage: float,
    dense: float,
    directory: float,
    weights: Weights = WEIGHTS,
    *,
    alone: bool = True,
) -> float:
    """`alone`: the directory match may speak for the agency without dense evidence (`DIRECTORY_ALONE_MIN`)."""
    # Confidence saturates at 1 for many passages of a topic; the question's covered vocabulary and the
    # dense cosine keep agencies that both hold the topic apart.
    score = (
        weights.confidence * confidence
        + weights.coverage * coverage
        + weights.dense * min(1.0, dense / 0.8)
        + weights.directory * directory
    )
    if dense <= 0 and alone:
        score = max(score, weights.directory_alone * directory)
    return round(score, 4)


def decide(scores: list[float], weights: Weights = WEIGHTS) -> str:
    """`scores`: best first."""
    if not scores or scores[0] < weights.floor:
        return "none"
    if len(scores) > 1 and scores[1] >= weights.floor and scores[0] - scores[1] <= weights.margin:
        return "choose"
    return "answer"
