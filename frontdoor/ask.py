"""A question asked at the front door: routed, answered from the receiving agency's knowledge base (cited),
with the agency's matching service and contact, and recorded for that agency."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from frontdoor import catalogue, routing, services
from frontdoor.routing import Route
from tenants.context import agency_context

# The words that ask for a person rather than a procedure ("who handles…", "contact", "e-mail").
_CONTACT_WORDS = re.compile(
    r"\b(who|whom|contact|e-?mail|phone|call|official|director|clerk|office|quién|contacto|correo|teléfono)\b|谁|联系|电话",
    re.IGNORECASE,
)
SERVICE_MIN_SCORE = 2.0
OFFICIAL_MIN_SCORE = 1.5


@dataclass
class FrontDoorAnswer:
    route: Route
    agency: object | None = None  # the agency that answered
    answer: object | None = None  # knowledge.types.Answer
    service: dict | None = None
    official: dict | None = None
    choices: list = field(default_factory=list)  # AgencyScore, when the citizen must choose
    reported: bool = False  # a problem told, routed to an agency taking reports of its kind; `service` is the category


def related_service(*, agency, question: str, language: str, reported: bool = False) -> dict | None:
    """The agency's service, form or report category that fits the question. `reported`: the question was routed
    as a problem told naming one of the agency's report categories; its best report category is offered however
    few of a long sentence's words it shares ("我家门口的路灯坏了怎么办" shares one: 路灯)."""
    entries = catalogue.services_all()
    if reported:
        hits = catalogue.search([e for e in entries if e.kind == "report"], query=question, agency=agency.slug, limit=1)
        if hits and hits[0][1] > 0:
            return catalogue.entry_as_dict(hits[0][0], language=language)
    hits = catalogue.search(entries, query=question, agency=agency.slug, limit=1)
    if hits and hits[0][1] >= SERVICE_MIN_SCORE:
        return catalogue.entry_as_dict(hits[0][0], language=language)
    return None


def reported_service(*, agency, question: str, language: str) -> dict | None:
    """The agency's report category (as a catalogue entry: its report form) when `question` tells a problem of
    that kind (`routing.reporting_agencies`): what the agency's own ask page offers above its answer."""
    if agency.pk not in routing.reporting_agencies(routing.question_clean(question)):
        return None
    found = related_service(agency=agency, question=question, language=language, reported=True)
    return found if found is not None and found["kind"] == "report" else None


def related_official(*, agency, question: str, language: str, asked_for_person: bool | None = None) -> dict | None:
    if asked_for_person is None:
        asked_for_person = bool(_CONTACT_WORDS.search(question))
    if not asked_for_person:
        return None
    hits = catalogue.search(catalogue.officials_all(), query=question, agency=agency.slug, limit=1)
    if hits and hits[0][1] >= OFFICIAL_MIN_SCORE:
        return catalogue.entry_as_dict(hits[0][0], language=language)
    return None


def agency_answer(*, agency, question: str, language: str | None):
    """The agency's own cited answer (public documents only), as its ask page gives it."""
    from knowledge.services import answer_question

    with agency_context(agency):
        return answer_question(agency=agency, question=question, audience="public", language=language or None)


def frontdoor_ask(*, question: str, language: str | None, channel: str, chosen=None) -> FrontDoorAnswer:
    """Route `question` and answer it. `chosen`: the agency the citizen picked after a "choose"."""
    route = routing.route_question(question=question, language=language)
    result = FrontDoorAnswer(route=route)
    if chosen is not None:
        agency, decision = chosen, "choose"
    elif route.decision == "answer":
        agency, decision = route.best.agency, "answer"
    else:
        result.choices = route.choices
        return result
    result.agency = agency
    # Answered in the question's language, as the agency's own ask page does, whatever the page's: a Spanish
    # question on the English front door reads the English passage under "Esta respuesta solo está disponible en
    # inglés." (seen on make run: no note at all, since the page's English was taken for the reader's).
    result.answer = agency_answer(agency=agency, question=route.question, language=route.language or language)
    reported = any(s.reported for s in route.agencies if s.agency.pk == agency.pk)
    result.service = related_service(agency=agency, question=route.question, language=language or "", reported=reported)
    result.reported = reported and result.service is not None and result.service["kind"] == "report"
    result.official = related_official(agency=agency, question=route.question, language=language or "")
    score = next((s.score for s in route.agencies if s.agency.pk == agency.pk), 0.0)
    with agency_context(agency):
        services.routed_question_record(
            agency=agency,
            question=route.question,
            language=route.language,
            channel=channel,
            decision=decision,
            confidence=score,
            alternatives=[s.as_dict() for s in route.agencies[:5] if s.agency.pk != agency.pk and s.score > 0],
        )
    return result
