"""A same-language answer weighed against a better one in the agency's first language (issue 19, session 23).

The everyday search compares a question only with the passages of its own language's vector space. Springfield's
knowledge base is English with a short Spanish, German and Chinese FAQ (trash day, holidays, potholes), so a Spanish
question about yard waste found the Spanish trash-day passage, which cleared the confidence floor, and was answered
from it: the cross-language search, which would have found the English yard-waste passage, ran only on a refusal.

Now, when the answer's lead is in the question's language and that is not the agency's first, the lead and the
first language's passages are compared by one measure in one space (`retrieval.crosslingual_contest`: the shared
multilingual encoder's cosine plus the carried numbers and names), and the best of those answers instead when it
clears the cross-language floor and beats the lead by `YIELD_MARGIN`. The encoder puts text nearer text in its own
language, so the margin is measured, not guessed (bench/knowledge/yield_margin.py, RESULTS.md session 23).
"""

from __future__ import annotations

from core.language import primary as primary_language
from knowledge import retrieval
from knowledge.types import Passage

# The first language's best passage answers instead of a same-language lead when its shared-space score is at least
# this much above the lead's. Chosen in 32 of 50 folds (5-fold cross-validation split by FAQ entry, x10 shuffles; 0.0 in
# 8, 0.1 in 4, 0.175 in 6) on the cross-language set and 107 German questions to the German + English COVID FAQ, the
# English answers judged by hand: held out +1.6 right and -1.6 wrong answers a shuffle there, +0.7 / -0.7 on the
# cross-language set (bench/knowledge/yield_margin.py, RESULTS.md session 23).
YIELD_MARGIN = 0.05


def contested(*, agency, spoken: str, lead: Passage) -> bool:
    """Whether `lead` is weighed against the agency's first language: it is in the question's language (`spoken`),
    and that is not the agency's first (an English question to an English agency, or a Spanish question already
    answered from an English passage, is left as it is)."""
    own = primary_language(spoken or "")
    first = primary_language((agency.languages or ["en"])[0])
    return bool(own) and own != first and primary_language(lead.language or "") == own


def contest(*, agency, question: str, audience: str, spoken: str, lead: Passage) -> tuple[list[Passage], float | None]:
    """The first language's passages for `question` (best first) and the lead's score by the same measure."""
    return retrieval.crosslingual_contest(agency=agency, query=question, language=spoken, audience=audience, rival=lead)


def better_across(*, agency, question: str, audience: str, spoken: str, lead: Passage) -> list[Passage]:
    """The first-language passages to answer from instead of `lead`, best first, or [] (the lead stays)."""
    if not contested(agency=agency, spoken=spoken, lead=lead):
        return []
    across, rival = contest(agency=agency, question=question, audience=audience, spoken=spoken, lead=lead)
    floor = retrieval.crosslingual_floor()
    if not across or rival is None or across[0].score < max(floor, rival + YIELD_MARGIN):
        return []
    return [p for p in across if p.score >= floor]
