"""Routing a citizen's question to the agency that can answer it.

Every agency is scored by the evidence it holds for the question:
- its best public passages, found by the same hybrid retrieval the agency's own assistant uses (the public
  audience only: staff-only documents never count), read as the passage's calibrated confidence plus how
  much of the question's vocabulary the passage covers;
- its services, report categories, forms and public contacts (the directory index, `portal.directory`).

The agencies worth a full search are picked first by one cheap pass over all of them (full text across
every agency's public words, and the directory index), so a question costs a handful of searches,
not one per agency (the pass reads each agency's public vocabulary once per change of its passages, kept per
process). The question is embedded once for all of them, and the picked agencies are searched side by side
on a small per-process thread pool (`FRONTDOOR_SEARCH_THREADS`, default 4), each on its own connection. The
decision: "none" when the best score is below the floor, "choose" when the second is
within a margin of the first (both above the floor), else "answer". The constants are fitted on the labelled
training questions of bench/frontdoor/ and checked on its held-out set.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection

from core.language import detect as detect_language
from core.language import normalize as normalize_language
from frontdoor import crossagency
from frontdoor.elsewhere import Elsewhere, elsewhere_topic
from frontdoor.routing_evidence import handled_here, held_words, undominated
from frontdoor.routing_score import DIRECTORY_ALONE_MIN, WEIGHTS, Weights, combine, decide  # noqa: F401 - the API
from knowledge import retrieval
from knowledge.embedders import EmbeddingError, embedder_for
from knowledge.models import Audience
from knowledge.retrieval.clear_lead import LOOK_AT, clear_lead, lead_settings
from knowledge.text import query_terms
from knowledge.types import Passage
from portal.directory import directory_search
from requests_app.directory import KIND as REPORT_KIND
from tenants.context import agency_context

MAX_QUESTION_CHARS = 1000
# Agencies searched in full: all of them when there are at most this many, else the prefilter's best.
FULL_SEARCH_MAX = 8
PREFILTER_FTS = 4
PREFILTER_DIRECTORY = 3
PASSAGES = 3
# Routing reads only each agency's best few passages, so its searches read shorter candidate lists than an
# answer's (knowledge.retrieval.config.SearchConfig: depth 100, ef_search 200, 1,000 full-text rows): the HNSW
# beam and the full-text ranking were most of a routed question's time (bench/frontdoor/RESULTS.md). Measured
# on the labelled questions with the 20 bench agencies active: the same decisions (route_quality.py).
SEARCH_OVERRIDES = {"depth": 30, "ef_search": 64, "fts_candidate_budget": 300}
# A report category named this strongly counts as evidence for a question that reads as a report (`_reported`):
# the directory's raw score of one word of a category's name matched by prefix ("포트홀이", with its particle) is
# 1.6; 1.0 to 2.0 route questions_i18n.jsonl alike (bench/frontdoor/RESULTS.md).
REPORT_EVIDENCE = 1.5


@dataclass
class AgencyScore:
    agency: object
    score: float
    passages: list[Passage] = field(default_factory=list)
    confidence: float = 0.0
    coverage: float = 0.0
    dense: float = 0.0
    directory: float = 0.0
    directory_raw: float = 0.0  # the directory's own score (`directory` is it over the best agency's)
    reported: bool = False  # a problem told, naming one of the agency's report categories (`_reported`)
    dominated: bool = False  # close to the best, but holding fewer of the question's words (`_narrowed`)

    def as_dict(self, language: str = "") -> dict:
        # The name in `language` (the API's `lang=`) when the agency has it; without one, the agency's own name.
        name = self.agency.name_in(language) if language else self.agency.name
        return {"slug": self.agency.slug, "name": name, "score": round(self.score, 3)}


@dataclass
class Route:
    question: str
    language: str
    decision: str  # answer, choose, none
    agencies: list[AgencyScore]
    ms: float = 0.0
    # A topic none of the portal's agencies handles, named by the question (passport, green card…): who does.
    elsewhere: Elsewhere | None = None

    @property
    def best(self) -> AgencyScore | None:
        return self.agencies[0] if self.agencies else None

    @property
    def confidence(self) -> float:
        return self.agencies[0].score if self.agencies else 0.0

    @property
    def choices(self) -> list[AgencyScore]:
        """The agencies offered when the citizen must choose: every one within the margin of the best."""
        if self.decision != "choose":
            return self.agencies[:1] if self.decision == "answer" else []
        top = self.agencies[0].score
        return [
            a for a in self.agencies if a.score >= WEIGHTS.floor and top - a.score <= WEIGHTS.margin and not a.dominated
        ][:3]

    def as_dict(self, limit: int = 5, language: str = "") -> dict:
        return {
            "agencies": [a.as_dict(language) for a in self.agencies[:limit] if a.score > 0],
            "decision": self.decision,
        }


def question_clean(question: str) -> str:
    return " ".join((question or "").split())[:MAX_QUESTION_CHARS]


def route_question(*, question: str, language: str | None = None) -> Route:
    """The agencies for `question`, best first, and what to do: answer, let the citizen choose, or none."""
    started = time.monotonic()
    question = question_clean(question)
    hint = normalize_language(language) or None
    if not question:
        return Route(question="", language=hint or "en", decision="none", agencies=[])
    detection = detect_language(question, hint=hint, fallback=hint or "en")
    detected = detection.written
    hits = directory_search(question, limit=50, language=detected)
    agencies = _candidates(question, detected, hits)
    directory = {hit.agency_id: hit.score for hit in hits}
    top_directory = max(directory.values(), default=0.0)
    vectors = _question_vectors(question, detected)
    config = dataclasses.replace(retrieval.default_config(), **SEARCH_OVERRIDES)

    def search(agency) -> list[Passage]:
        # In the agency's own scope (row-level security lets its passages through), also on a pool thread.
        with agency_context(agency):
            return retrieval.search(
                agency=agency,
                query=question,
                audience=Audience.PUBLIC,
                language=hint or detected,
                query_language=detected,
                limit=PASSAGES,
                config=config,
                query_vectors=vectors,
            )

    scored = [
        _score(
            agency,
            passages,
            directory.get(agency.pk, 0.0) / top_directory if top_directory else 0.0,
            raw=directory.get(agency.pk, 0.0),
        )
        for agency, passages in zip(agencies, _search_each(search, agencies), strict=True)
    ]
    scored = _reported(scored, question=question, hits=hits)
    decision = decide([s.score for s in scored])
    if decision == "none" and scored:
        # Nothing in the question's language fits anywhere: the agencies' passages in other languages, as the
        # agency's own answer would then read them (knowledge.retrieval.crosslingual).
        # (in the words' language, else the one the detector leans to when unsure of them)
        for language in dict.fromkeys((detected, detection.language)):
            scored = _across_languages(scored, question=question, language=language)
            decision = decide([s.score for s in scored])
            if decision != "none":
                break
    if decision == "choose":
        scored, decision = _narrowed(scored, question=question, language=detected, hits=hits)
    elsewhere = None
    named = elsewhere_topic(question)
    if named is not None:
        offered = [s for s in scored if s.score >= WEIGHTS.floor and not s.dominated]
        if decision == "none" or not handled_here(named[0], named[1], detected, offered, hits):
            decision, elsewhere = "none", named[0]
    return Route(
        question=question,
        language=detected,
        decision=decision,
        agencies=scored,
        ms=round((time.monotonic() - started) * 1000, 1),
        elsewhere=elsewhere,
    )


def _narrowed(scored: list[AgencyScore], *, question: str, language: str, hits: list) -> tuple[list, str]:
    """A choice among close agencies without those holding only some of the words another of them holds
    (`frontdoor.routing_evidence`): when one is left it is the answer, first."""
    top = scored[0].score
    close = [s for s in scored if s.score >= WEIGHTS.floor and top - s.score <= WEIGHTS.margin]
    units = {hit.agency_id: hit.words for hit in hits}
    held = {s.agency.pk: held_words(question, language, s.passages, units.get(s.agency.pk, frozenset())) for s in close}
    kept = undominated(held)
    if len(kept) == len(close):
        return scored, "choose"
    marked = [
        dataclasses.replace(s, dominated=True) if s.agency.pk in held and s.agency.pk not in kept else s for s in scored
    ]
    if len(kept) > 1:
        return marked, "choose"
    first = next(s for s in marked if s.agency.pk in kept)
    return [first] + [s for s in marked if s is not first], "answer"


def _reported(scored: list[AgencyScore], *, question: str, hits: list) -> list[AgencyScore]:
    """A problem told, not asked ("我家门口的路灯坏了", "집 앞 가로등이 고장 났어요"), is the business of the
    agencies that take reports of that kind, whether or not their passages speak of it in the citizen's language:
    when the question reads as a report (the chat's own intent reading) and names an agency's report category
    (the directory's match, in every language the category carries), that agency scores at least the routing
    floor plus a share of the margin by how strongly it matched, so one such agency is the answer and several
    close ones are a choice. Others keep their scores. Best first (bench/frontdoor/RESULTS.md, questions_i18n)."""
    naming = reporting_agencies(question, hits=hits)
    if naming:
        scored = [
            dataclasses.replace(
                s,
                score=round(max(s.score, WEIGHTS.floor + WEIGHTS.margin / 2 * naming[s.agency.pk]), 4),
                reported=True,
            )
            if s.agency.pk in naming
            else s
            for s in scored
        ]
    return sorted(scored, key=lambda s: (-s.score, s.agency.name))


def reporting_agencies(question: str, *, hits: list | None = None) -> dict[int, float]:
    """The agencies (id → how strongly, 0-1) taking reports of the kind `question` tells, when it reads as a report
    and names their report categories (the directory's match, in any language a category carries); else empty.
    `hits`: the question's directory search, when already made."""
    hits = directory_search(question, limit=50) if hits is None else hits
    top = max((hit.score for hit in hits), default=0.0)
    # An agency whose category matched only words another agency matched too, among more of the question's, is not
    # the one told of ("un nid-de-poule sur l'autoroute de l'État": the pothole is the city's category, the state
    # highway only the state's).
    naming = {
        hit.agency_id: hit.score / top
        for hit in hits
        if hit.score >= REPORT_EVIDENCE
        and not hit.dominated
        and any(str(kind) == str(REPORT_KIND) for kind, _text in hit.reasons)
    }
    return naming if naming and _reads_as_report(question) else {}


def _reads_as_report(question: str) -> bool:
    from chat.engine import registry
    from chat.understanding import classify

    return classify(question, available={skill.name for skill in registry.all_skills()}).intent == "report"


def _across_languages(scored: list[AgencyScore], *, question: str, language: str) -> list[AgencyScore]:
    """Each searched agency's best passage in another language; an agency whose passage clears the
    cross-language floor scores at the routing floor plus its margin over that floor, so the decision (answer,
    choose) is taken among those agencies as among any others. Best first. (A Chinese question's score holds its
    dictionary match too, against that language's own floor: `retrieval.crosslingual_floor(language)`.)"""
    floor = retrieval.crosslingual_floor(language)

    def search(agency) -> list[Passage]:
        with agency_context(agency):
            return retrieval.crosslingual_search(
                agency=agency, query=question, language=language, audience=Audience.PUBLIC, limit=LOOK_AT
            )

    rescored = []
    results = _search_each(search, [s.agency for s in scored])
    firsts = [found[0].score if found else 0.0 for found in results]
    lead, _lead_floor = lead_settings()
    for index, (entry, found) in enumerate(zip(scored, results, strict=True)):
        rivals = max((score for other, score in enumerate(firsts) if other != index), default=0.0)
        if found and found[0].score >= floor:
            entry = dataclasses.replace(
                entry, score=round(max(entry.score, WEIGHTS.floor + found[0].score - floor), 4), passages=found[:1]
            )
        elif found and clear_lead(found) and found[0].score - rivals >= lead:
            # Under the floor but clearly leading its agency's other passages (as the ask page answers it) and the
            # other agencies' best ones (a question no agency answers has each agency's likeliest passage lead its
            # own: "여권 신청은 어떻게 하나요?", a passport, led Transportation's "apply for an oversize permit"):
            # at the routing floor, no margin over it.
            entry = dataclasses.replace(entry, score=round(max(entry.score, WEIGHTS.floor), 4), passages=found[:1])
        rescored.append(entry)
    rescored.sort(key=lambda s: (-s.score, s.agency.name))
    return rescored


def _question_vectors(question: str, language: str) -> dict:
    """The question's dense vector, made once for every agency it is searched in (a model outside the
    installation sees each agency's masked text instead: left to the search)."""
    vectors: dict = {}
    embedder, key = embedder_for(language)
    if embedder is not None and not getattr(embedder, "remote", False):
        # When the model fails, each search falls back to its other lists, as on its own.
        with contextlib.suppress(EmbeddingError):
            vectors[(key, question)] = embedder.embed_query(question)
    return vectors


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _search_threads() -> int:
    return max(1, settings.FRONTDOOR_SEARCH_THREADS)


def _search_each(search, agencies: list) -> list[list[Passage]]:
    """`search(agency)` for every agency, in order. The agencies' searches are independent (each reads only
    its own agency's rows): with more than one, they run side by side on a small per-process pool, each on
    its own database connection, so the question waits for the slowest search instead of their sum. Inside
    a transaction (a test, or a caller's atomic block) they run one after another on the caller's
    connection, which alone sees the transaction's rows."""
    threads = _search_threads()
    if len(agencies) < 2 or threads < 2 or connection.in_atomic_block:
        return [search(agency) for agency in agencies]
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="frontdoor-route")
        pool = _pool
    futures = [pool.submit(contextvars.copy_context().run, _on_own_connection, search, agency) for agency in agencies]
    return [future.result() for future in futures]


def _on_own_connection(search, agency) -> list[Passage]:
    close_old_connections()  # a connection the database dropped since the last question is replaced
    try:
        return search(agency)
    finally:
        connection.close()  # back to the process's pool (a fresh one next time without a pool)


def _score(agency, passages: list[Passage], directory: float, *, raw: float = 0.0) -> AgencyScore:
    best_confidence = max((p.confidence for p in passages), default=0.0)
    best_coverage = max((p.signals.get("coverage", 0.0) for p in passages), default=0.0)
    dense = max((p.signals.get("dense", 0.0) for p in passages), default=0.0)
    return AgencyScore(
        agency=agency,
        score=combine(best_confidence, best_coverage, dense, directory, alone=raw >= DIRECTORY_ALONE_MIN),
        passages=passages,
        confidence=best_confidence,
        coverage=best_coverage,
        dense=dense,
        directory=directory,
        directory_raw=raw,
    )


def _candidates(question: str, language: str, directory_hits: list) -> list:
    """The agencies searched in full: all when there are few, else the prefilter's picks (`directory_hits`:
    the question's directory search, best first, made once for the picking and the scoring)."""
    agencies = list(crossagency.agencies_active())
    if len(agencies) <= FULL_SEARCH_MAX:
        return agencies
    by_id = {agency.pk: agency for agency in agencies}
    picked: list[int] = _vocabulary_best(question, language, agencies)[:PREFILTER_FTS]
    for hit in directory_hits[:PREFILTER_DIRECTORY]:
        if hit.agency_id in by_id and hit.agency_id not in picked:
            picked.append(hit.agency_id)
    if not picked:
        # Nothing shares a word with the question (another script, a paraphrase): the dense search decides
        # among the first agencies.
        return agencies[:FULL_SEARCH_MAX]
    return [by_id[agency_id] for agency_id in picked]


# agency id → (generation, number of public passages, word → passages holding it), per process.
_vocabularies: dict[int, tuple[int | None, int, dict[str, int]]] = {}
_vocabularies_lock = threading.Lock()


def _vocabulary_best(question: str, language: str, agencies: list) -> list[int]:
    """Agency ids whose public passages share the question's rarer words, best first: a word few agencies use
    counts more, and an agency counts it by the share of its passages that hold it."""
    terms = list(dict.fromkeys(query_terms(question, language)))[:12]
    if not terms:
        return []
    generations = crossagency.public_generations([agency.pk for agency in agencies])
    with _vocabularies_lock:
        for agency in agencies:
            cached = _vocabularies.get(agency.pk)
            if cached is None or cached[0] != generations.get(agency.pk):
                total, words = crossagency.public_vocabulary(agency)
                _vocabularies[agency.pk] = (generations.get(agency.pk), total, words)
        table = {agency.pk: _vocabularies[agency.pk] for agency in agencies}
    holders = {term: sum(1 for _g, _n, words in table.values() if words.get(term)) for term in terms}
    scores: dict[int, float] = {}
    for agency_id, (_generation, total, words) in table.items():
        score = 0.0
        for term in terms:
            df = words.get(term, 0)
            if df:
                rarity = math.log(1 + len(table) / holders[term])
                score += rarity * (1 + math.log(1 + 100 * df / max(total, 1)))
        if score:
            scores[agency_id] = score
    return sorted(scores, key=lambda agency_id: -scores[agency_id])
