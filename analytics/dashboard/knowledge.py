"""Knowledge charts: answered vs refused, unanswered by day, most cited documents, answers rated down."""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics.dashboard.common import by_day, day_label, day_range, int_key, local_day
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.rollups.read import conversation_lists, summed
from analytics.selectors import conversations_in, unanswered_in
from chat.models import Message
from knowledge.models import Document

ANSWER_KINDS = {"answered": True, "refused": False}
TOP_DOCUMENTS = 10


def bot_answers(agency, period):
    """The assistant's replies to questions (the answer skill's decisions) in the period's conversations."""
    return Message.objects.for_agency(agency).filter(
        conversation__in=conversations_in(agency=agency, period=period),
        role=Message.Role.BOT,
        payload__decision__has_key="grounded",
    )


def _answer_rows(agency, period, key):
    return bot_answers(agency, period).filter(payload__decision__grounded=ANSWER_KINDS[key])


@chart("answers", "knowledge", rows=_answer_rows, kind="messages")
def answers(agency, period):
    rows = conversation_lists(agency=agency, period=period, name="answers")
    counts = {"answered": sum(row[0] for row in rows), "refused": sum(row[1] for row in rows)}
    bars = [
        Bar("answered", _("Answered with a citation"), counts["answered"]),
        Bar("refused", _("Refused (“I don't know”)"), counts["refused"]),
    ]
    return Chart("answers", _("Questions answered vs refused in the chat"), "knowledge", bars, kind="hbars")


def _unanswered_day_rows(agency, period, key):
    start, end = local_day(period, key)
    return unanswered_in(agency=agency, period=period).filter(created_at__gte=start, created_at__lt=end)


@chart("unanswered_by_day", "knowledge", rows=_unanswered_day_rows, kind="unanswered")
def unanswered_by_day(agency, period):
    counts = by_day(unanswered_in(agency=agency, period=period), period)
    bars = [Bar(day.isoformat(), day_label(day), counts.get(day, 0)) for day in day_range(period)]
    return Chart("unanswered_by_day", _("Unanswered questions by day"), "knowledge", bars)


def _cited_rows(agency, period, key):
    return bot_answers(agency, period).filter(payload__citations__contains=[{"document_id": int_key(key)}])


def cited_counts(agency, period) -> dict[int, int]:
    """Answers citing each document (an answer citing a document twice counts once)."""
    summed_ = summed(agency=agency, period=period, kind="conversations", part="cited", keys=(1,))
    return {document_id: n for (document_id,), n in summed_.items() if n}


@chart("cited_documents", "knowledge", rows=_cited_rows, kind="messages")
def cited_documents(agency, period):
    counts = cited_counts(agency, period)
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_DOCUMENTS]
    titles = dict(Document.objects.for_agency(agency).filter(pk__in=[pk for pk, _n in top]).values_list("pk", "title"))
    bars = [Bar(str(pk), titles.get(pk, f"#{pk}"), n) for pk, n in top]
    return Chart("cited_documents", _("Most cited documents"), "knowledge", bars, kind="hbars")


def never_cited(agency, period) -> list[Document]:
    counts = cited_counts(agency, period)
    return list(
        Document.objects.for_agency(agency)
        .filter(is_retired=False, audience="public")
        .exclude(pk__in=list(counts))
        .order_by("title")[:50]
    )


def _rated_down_rows(agency, period, key):
    document_id = int_key(key)
    return (
        conversations_in(agency=agency, period=period)
        .filter(csat_score__lte=2)
        .filter(
            pk__in=Message.objects.for_agency(agency)
            .filter(role=Message.Role.BOT, payload__citations__contains=[{"document_id": document_id}])
            .values("conversation_id")
        )
    )


@chart("rated_down", "knowledge", rows=_rated_down_rows, kind="conversations")
def rated_down(agency, period):
    """Documents cited in conversations rated 1 or 2: the answers citizens were unhappy with."""
    summed_ = summed(agency=agency, period=period, kind="conversations", part="rated_down", keys=(1,))
    per_document = {document_id: n for (document_id,), n in summed_.items() if n}
    top = sorted(per_document.items(), key=lambda item: (-item[1], item[0]))[:TOP_DOCUMENTS]
    titles = dict(Document.objects.for_agency(agency).filter(pk__in=[pk for pk, _s in top]).values_list("pk", "title"))
    bars = [Bar(str(pk), titles.get(pk, f"#{pk}"), n) for pk, n in top]
    return Chart(
        "rated_down",
        _("Answers rated down (conversations rated 1-2, by cited document)"),
        "knowledge",
        bars,
        kind="hbars",
    )
