"""Answers: the cited passages, extractive or through the LLM, below the confidence floor an honest
"I don't know" recorded as a knowledge gap."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils import translation

from core.language import detect as detect_language
from core.language import normalize as normalize_language
from core.language import primary as primary_language
from knowledge import answering, question_kinds, related, retrieval, selectors
from knowledge.models import Audience
from knowledge.retrieval import crosslingual, loanwords
from knowledge.retrieval.clear_lead import LOOK_AT, clear_lead
from knowledge.retrieval.e5_across import e5_second_look
from knowledge.retrieval.e5_across import rule as e5_rule
from knowledge.retrieval.pipeline import passage_of
from knowledge.services.across import better_across
from knowledge.services.gaps import unanswered_question_record
from knowledge.types import Answer, Passage

logger = logging.getLogger(__name__)


def confidence_floor() -> float:
    return float(getattr(settings, "KNOWLEDGE_CONFIDENCE_FLOOR", 0.55))


@dataclass(frozen=True)
class _Asked:
    """A question made ready to answer: cleaned, its passages read, and whether they are confident enough."""

    agency: object
    question: str
    audience: str
    language: str  # the reply's
    spoken: str  # the question's own (no note for a passage in it)
    passages: list[Passage]
    retrieved: list[dict]
    top: float
    answerable: bool
    # Refused: the cross-language candidates under the cross-language floor ("did you mean …?" material) …
    near: tuple[Passage, ...] = ()
    # … or, for a language the encoder does not know, the passages holding its loanwords (`retrieval.loanwords`).
    loaned: tuple[Passage, ...] = ()
    near_rule: tuple[float, float | None] | None = None  # `near` are e5's: its (suggestion floor, window)

    @property
    def context(self) -> list[Passage]:
        """What the LLM is given."""
        return self.passages[: answering.LLM_PASSAGES]


def _prepare(
    *, agency, question: str, audience: str, language: str | None, question_language: str | None = None
) -> _Asked:
    """`language`: the answer's (None: the question's own); `question_language`: the question's when the
    caller detected it already (a chat turn), else retrieval detects it with `language` as the hint."""
    question = " ".join((question or "").split())[:1000]
    audience = Audience.STAFF if audience == Audience.STAFF else Audience.PUBLIC
    language = normalize_language(language)
    question_language = normalize_language(question_language) or None
    if not language:
        fallback = (agency.languages or ["en"])[0]
        language = question_language = question_language or detect_language(question, fallback=fallback).written
    passages = (
        retrieval.search(
            agency=agency, query=question, audience=audience, language=language, query_language=question_language
        )
        if question
        else []
    )
    retrieved = [
        {"chunk_id": p.chunk_id, "version_id": p.version_id, "score": p.score}
        for passage in passages
        for p in (passage, *passage.also)
    ]
    # The language the question is written in: the note is for the citizen who reads it.
    spoken = (
        (question_language or detect_language(question, hint=language, fallback=language).written) if question else ""
    )
    if passages:
        passages = _readable(agency, passages, language, spoken)
    top = max((p.confidence for p in passages[:3]), default=0.0)
    if passages and top >= confidence_floor():
        lead = _lead(passages[:3], question)
        passages = [lead] + [p for p in passages if p is not lead]
        # A passage in the agency's first language that is clearly better answers instead (`services.across`).
        better = better_across(agency=agency, question=question, audience=audience, spoken=spoken, lead=lead)
        if better:
            retrieved += _crosslingual_retrieved(better)
            return _Asked(agency, question, audience, language, spoken, better, retrieved, better[0].confidence, True)
        return _Asked(agency, question, audience, language, spoken, passages, retrieved, top, True)
    if question:
        # The words' language, else the reply's: a detection unsure of the words keeps the conversation's language
        # as theirs ("Was darf in die Recyclingtonne?" opening an English-page chat is "written" English, and
        # answered in German).
        across, near = [], []
        for own in dict.fromkeys((spoken, language)):
            if across:
                break
            found = _across_languages(agency=agency, question=question, audience=audience, spoken=own)
            across = [p for p in found[:3] if p.score >= retrieval.crosslingual_floor(own)]
            if not across and (leading := clear_lead(found)):
                across = [leading]
            near = near or found
        loaned = () if near else _loaned(agency=agency, question=question, audience=audience, spoken=spoken)
        rule = None
        if not across:  # a second look in e5's space: its answer, else its candidates to suggest
            second, found = e5_second_look(agency=agency, question=question, audience=audience, spoken=spoken)
            across, near = ([second] if second else []), (found or near)
            rule = (e5_rule()["suggest_floor"], e5_rule()["suggest_window"]) if found else None
        if across:
            retrieved += _crosslingual_retrieved(across)
            return _Asked(agency, question, audience, language, spoken, across, retrieved, across[0].confidence, True)
        return _Asked(
            agency, question, audience, language, spoken, passages, retrieved, top, False, tuple(near), loaned, rule
        )
    return _Asked(agency, question, audience, language, spoken, passages, retrieved, top, False)


def _crosslingual_retrieved(passages: list[Passage]) -> list[dict]:
    return [
        {"chunk_id": p.chunk_id, "version_id": p.version_id, "score": p.score, "crosslingual": True}
        for passage in passages
        for p in (passage, *passage.also)
    ]


# The first result leads unless another of the top three is this much more confident. Until session 18 the most
# confident of the three led: on faq_eval the lead was the right entry for en 0.602 / de 0.280 of the questions,
# with this margin 0.646 / 0.327 (bench/knowledge/lead_lab.py; 0.3, chosen in 4 of 5 folds, gains one more
# question in each set but answers the demo's "¿Cuándo arreglan los baches?" from the holidays entry, 0.613
# against the pothole entry's 0.863).
LEAD_MARGIN = 0.2


# … or unless the first's question asks another kind of thing than the citizen's (a time, a place, a cost) and one
# of the next two, this close in fused score and answerable on its own, asks the same kind (`question_kinds`).
KIND_MARGIN = 0.25


def _lead(top: list[Passage], question: str = "") -> Passage:
    """The passage the answer is given from: the fused ranking's first, unless it is far less confident than
    another of the top three (one of them cleared the floor; a weak first does not speak for it), or asks another
    kind of thing than `question` while a close one asks the same ("什么时候收垃圾" is answered from "垃圾哪天收集",
    not from "节假日收垃圾吗")."""
    best = max(top, key=lambda p: p.confidence)
    if best.confidence > top[0].confidence + LEAD_MARGIN:
        return best
    asked = question_kinds.kinds(question) if question else frozenset()
    if asked and not asked & question_kinds.kinds(question_kinds.heading_question(top[0].heading_path)):
        for other in top[1:]:
            same = asked & question_kinds.kinds(question_kinds.heading_question(other.heading_path))
            if same and other.score >= top[0].score - KIND_MARGIN and other.confidence >= confidence_floor():
                return other
    return top[0]


def _across_languages(*, agency, question: str, audience: str, spoken: str) -> list[Passage]:
    """Nothing in the question's language answers it: the best passage in the agency's first language (for a
    question in that language, in any other), compared in the shared multilingual space
    (`retrieval.crosslingual`), best first; it answers only when it clears the cross-language floor."""
    return retrieval.crosslingual_search(
        agency=agency, query=question, language=spoken, audience=audience, limit=LOOK_AT
    )


def _loaned(*, agency, question: str, audience: str, spoken: str) -> tuple[Passage, ...]:
    """A question in a language the encoder does not know: the passages holding its loanwords, suggestions only."""
    if not crosslingual.encoder_unknown(spoken):
        return ()
    return tuple(
        loanwords.loanword_candidates(
            agency=agency, query=question, language=spoken, audience=audience, limit=related.SUGGEST_COUNT_MAX
        )
    )


def _readable(agency, passages: list[Passage], *languages: str | None) -> list[Passage]:
    """The passages a citizen can be answered from: in the reply's or the question's language, or in the
    agency's first language (a note says so). A passage in a third language is not an answer: the multilingual
    vector space holds every language but English (MiniLM's), so an Arabic question about trash would be
    "answered" with the Chinese FAQ, and a German one with the Spanish FAQ, only because the English passage
    cannot be compared there. Passages without a language stay."""
    allowed = {primary_language(code) for code in (*languages, (agency.languages or ["en"])[0]) if code}
    return [p for p in passages if not p.language or primary_language(p.language) in allowed]


def _no_answer(asked: _Asked, *, record_gap: bool = True) -> Answer:
    gap = None
    if asked.question and record_gap:
        gap = unanswered_question_record(
            agency=asked.agency,
            question=asked.question,
            language=asked.language,
            audience=asked.audience,
            top_score=asked.top,
        )
    # The near misses, offered as "did you mean …?", never as the answer.
    suggested = related.near_misses(
        asked.passages,
        asked.near,
        # a Chinese question's cross-language scores hold its dictionary match: suggested as far below that
        # language's floor as the others are below theirs
        across_shift=0.0
        if asked.near_rule
        else retrieval.crosslingual_floor(asked.spoken) - retrieval.crosslingual_floor(),
        loaned=asked.loaned,
        across_rule=asked.near_rule,
    )
    # One line speaks for every suggestion or none does: "These … are only available in Spanish" under a Spanish
    # suggestion beside English ones, on an English page, was false of the English ones.
    notes = {
        _note(asked.agency, p.language, asked.language, asked.spoken, answering.suggestions_note) for p in suggested
    }
    return Answer(
        text=answering.no_answer_text(asked.agency, asked.language),
        citations=[],
        confidence=round(asked.top, 3),
        grounded=False,
        language=asked.language,
        retrieved=asked.retrieved,
        related=related.as_dicts(suggested),
        related_note=notes.pop() if len(notes) == 1 else "",
        gap_id=gap.pk if gap is not None else None,
    )


def _note(agency, passage_language: str | None, language: str, spoken: str, note=answering.language_note) -> str:
    """The note when the answer's passage is not in the reply's language, in the reply's language: `language` when
    the agency lists it (the chat's, which is; the ask page's question), else the page's (a question in a language
    the agency does not list: its chat replied in English under a Chinese note, the session-25 walk). None for a
    passage in the citizen's own language (`spoken`) when the agency does not list it."""
    listed = {primary_language(code) for code in agency.languages or ["en"]}
    if (
        spoken
        and primary_language(spoken) not in listed
        and primary_language(spoken) == primary_language(passage_language or "")
    ):
        return ""  # the citizen's own language, though the agency does not list it
    if primary_language(language) not in listed:
        language = translation.get_language() or language
    return note(passage_language, language)


def passage_language_note(*, agency, passage_language: str | None, language: str) -> str:
    """The note a passage shown on its own (a suggestion followed, `views.passage`) carries for a citizen who asked
    in `language`: the answer's."""
    return _note(agency, passage_language, language, language)


def _extractive(asked: _Asked) -> Answer:
    lead = asked.passages[0]
    text = answering.extract(asked.question, lead, asked.language)
    note = _note(asked.agency, lead.language, asked.language, asked.spoken)
    return Answer(
        text=f"{note}\n\n{text}" if note else text,
        citations=answering.citations_for(lead, asked.language),
        confidence=round(asked.top, 3),
        grounded=True,
        language=lead.language or asked.language,
        retrieved=asked.retrieved,
        related=related.as_dicts(related.pick(asked.passages, lead=lead)),
    )


def _from_llm(asked: _Asked, raw: str, *, record_gap: bool = True) -> Answer:
    """The LLM's answer to `asked.context`: its "no answer" token, its cited passages, or (nothing cited) the
    extractive answer."""
    if answering.NO_ANSWER_TOKEN in raw:
        return _no_answer(asked, record_gap=record_gap)
    context = asked.context
    text, cited = answering.resolve_citations(raw, context)
    if not cited:
        logger.info("LLM answer cited no retrieved passage; falling back to the extractive answer")
        return _extractive(replace(asked, passages=context))
    uncited = [p for p in asked.passages if p not in cited]
    return Answer(
        text=text,
        citations=[citation for p in cited for citation in answering.citations_for(p, asked.language)],
        confidence=round(asked.top, 3),
        grounded=True,
        language=asked.language,
        retrieved=asked.retrieved,
        related=related.as_dicts(related.pick(uncited, lead=cited[0])),
    )


def answer_question(
    *,
    agency,
    question: str,
    audience: str = "public",
    language: str | None = None,
    record_gap: bool = True,
    question_language: str | None = None,
) -> Answer:
    """A grounded, cited answer from the agency's knowledge base, or a plain "I don't know".

    Below the confidence floor the question is recorded as an `UnansweredQuestion` (knowledge gap)
    unless `record_gap` is False (staff trying questions out).
    """
    return answer_with_passages(
        agency=agency,
        question=question,
        audience=audience,
        language=language,
        record_gap=record_gap,
        question_language=question_language,
    )[0]


def answer_with_passages(
    *,
    agency,
    question: str,
    audience: str = "public",
    language: str | None = None,
    record_gap: bool = True,
    question_language: str | None = None,
) -> tuple[Answer, list[Passage]]:
    """The answer and the passages it was chosen from (for the staff "try a question" box)."""
    asked = _prepare(
        agency=agency, question=question, audience=audience, language=language, question_language=question_language
    )
    if not asked.answerable:
        return _no_answer(asked, record_gap=record_gap), asked.passages
    if answering.llm_configured():
        try:
            raw = answering.llm_complete(
                agency=agency, question=asked.question, passages=asked.context, language=asked.language
            )
        except Exception:
            logger.warning("LLM unavailable; answering extractively", exc_info=True)
        else:
            return _from_llm(asked, raw, record_gap=record_gap), asked.passages
    return _extractive(asked), asked.passages


def answer_question_stream(
    *,
    agency,
    question: str,
    audience: str = "public",
    language: str | None = None,
    question_language: str | None = None,
) -> Iterator[str | Answer]:
    """Yield text deltas as the LLM writes, then the final `Answer` (without an LLM: just the Answer).

    The final Answer's text is authoritative (citation markers renumbered, invalid ones removed).
    """
    asked = _prepare(
        agency=agency, question=question, audience=audience, language=language, question_language=question_language
    )
    if not asked.answerable:
        yield _no_answer(asked)
        return
    if not answering.llm_configured():
        yield _extractive(asked)
        return
    parts: list[str] = []
    try:
        for delta in answering.llm_stream(
            agency=agency, question=asked.question, passages=asked.context, language=asked.language
        ):
            parts.append(delta)
            yield delta
    except Exception:
        logger.warning("LLM stream failed; answering extractively", exc_info=True)
        yield _extractive(asked)
        return
    yield _from_llm(asked, "".join(parts))


def answer_from_passage(*, agency, chunk_id: int, language: str | None = None) -> Answer | None:
    """The answer a related question's button gives (`knowledge.related`): that public passage of this agency,
    trimmed to the sentences that answer its own question, cited; None when it is not (or no longer) live,
    public and the agency's."""
    chunk = selectors.public_passage_get(agency=agency, chunk_id=chunk_id)
    if chunk is None:
        return None
    passage = passage_of(chunk, score=1.0, signals={}, confidence=1.0)
    language = normalize_language(language) or passage.language or (agency.languages or ["en"])[0]
    text = answering.extract(related.label(passage), passage, language)
    note = passage_language_note(agency=agency, passage_language=passage.language, language=language)
    return Answer(
        text=f"{note}\n\n{text}" if note else text,
        citations=answering.citations_for(passage, language),
        confidence=1.0,
        grounded=True,
        language=passage.language or language,
        retrieved=[{"chunk_id": passage.chunk_id, "version_id": passage.version_id, "score": 1.0, "related": True}],
    )
