"""Count whole local days from the raw tables: one dict of numbers per day, the same shape whether it is
stored as a rollup or counted live for today. Every cell carries the dimensions the dashboard filters on
(channel for conversations; category and department for requests)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Q
from django.db.models.functions import TruncDate

from analytics.rollups import heat
from analytics.rollups.histogram import rows_of
from analytics.rollups.hours import business_seconds
from chat.models import Conversation, Message
from requests_app.models import ServiceRequest

CLOSED = Conversation.State.CLOSED
CONTAINED = Conversation.Outcome.CONTAINED


def _durations(start: dt.datetime, end: dt.datetime, zone) -> tuple[int, int] | None:
    """(wall, business) seconds, whole: a year of them is read for one median, and digits cost time."""
    if end < start:
        return None
    return round((end - start).total_seconds()), round(business_seconds(start, end, zone))


def _document_ids(citations) -> set[int]:
    return {
        c.get("document_id")
        for c in citations or []
        if isinstance(c, dict) and isinstance(c.get("document_id"), int) and not isinstance(c.get("document_id"), bool)
    }


def empty(kind: str) -> dict:
    if kind == "conversations":
        lists = ("cells", "resolution_h", "resolution_h_all", "first_reply_h", "first_reply_h_all", "answers")
        return {name: [] for name in (*lists, "cited", "rated_down")}
    if kind == "requests_filed":
        return {"cells": [], "heat": [], "heat_all": []}
    return {"cells": [], "durations_h": [], "durations_h_all": []}


def _wanted(parts) -> callable:
    """`parts` None (a stored rollup: everything) or the parts a page reads (today counted live); a
    histogram's `…_all` (all dimensions added up) is counted with the histogram."""
    return (lambda part: True) if parts is None else (lambda part: part in parts or f"{part}_all" in parts)


def conversations_build(
    *, agency, zone, since: dt.datetime, until: dt.datetime, parts: frozenset | None = None
) -> dict[dt.date, dict]:
    """Conversations started in [since, until) with a message (the dashboard's cohort), per start day:
    cells [channel, language, contained, handed_off, closed, csat (0 = none), n]; histograms of the
    durations to resolution and to the first human reply [channel, measure, bin, n] (rollups.histogram);
    the assistant's answers [channel,
    answered, refused]; citations [channel, document, answers]; documents cited in conversations rated
    1-2 [channel, document, conversations]. Only `parts` (all when None) are counted; the others stay empty."""
    want = _wanted(parts)
    base = Conversation.objects.for_agency(agency).filter(created_at__gte=since, created_at__lt=until, last_seq__gt=0)
    day = TruncDate("created_at", tzinfo=zone)
    days: dict[dt.date, dict] = defaultdict(lambda: empty("conversations"))
    if want("cells"):
        _conversation_cells(base, day, days)
    if want("resolution_h"):
        resolved = base.filter(state=CLOSED, closed_at__isnull=False).annotate(day=day)
        pairs = resolved.values_list("day", "channel", "created_at", "closed_at")
        _histograms(days, "resolution_h", ((when, (channel,), start, end) for when, channel, start, end in pairs), zone)
    if want("first_reply_h"):
        _first_replies(base, day, zone, days)
    bot = Message.objects.for_agency(agency).filter(conversation__in=base, role=Message.Role.BOT)
    message_day = TruncDate("conversation__created_at", tzinfo=zone)
    if want("answers") or want("cited"):
        _answers(bot, message_day, days, want)
    if want("rated_down"):
        _rated_down(bot, message_day, days)
    return dict(days)


def _conversation_cells(base, day, days) -> None:
    cells: dict[tuple, int] = defaultdict(int)
    rows = (
        base.annotate(day=day)
        .values("day", "channel", "language", "state", "outcome", "handed_off", "csat_score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        closed = row["state"] == CLOSED
        contained = closed and row["outcome"] == CONTAINED
        key = (row["day"], row["channel"], row["language"], int(contained), int(row["handed_off"]), int(closed))
        cells[(*key, row["csat_score"] or 0)] += row["n"]
    for (when, *rest), n in cells.items():
        days[when]["cells"].append([*rest, n])


def _first_replies(base, day, zone, days) -> None:
    replied = (
        base.filter(handed_off=True, queued_at__isnull=False)
        .annotate(first_agent_at=Min("messages__created_at", filter=Q(messages__role=Message.Role.AGENT)))
        .filter(first_agent_at__isnull=False)
        .annotate(day=day)
    )
    pairs = replied.values_list("day", "channel", "queued_at", "first_agent_at")
    _histograms(days, "first_reply_h", ((when, (channel,), start, end) for when, channel, start, end in pairs), zone)


def _histograms(days, part: str, rows, zone) -> None:
    """(day, dimensions, start, end) rows → each day's histogram rows of `part`."""
    per_day: dict[dt.date, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    for when, dimensions, start, end in rows:
        pair = _durations(start, end, zone)
        if pair:
            per_day[when][dimensions].append(pair)
    for when, durations in per_day.items():
        days[when][part] = rows_of(durations)
        # The same durations whatever the dimensions: what a page without filters reads (a year of the
        # histograms by channel or category is 130-180k rows to add up; this is a fraction of that).
        days[when][f"{part}_all"] = rows_of({(): [pair for pairs in durations.values() for pair in pairs]})


def _answers(bot, message_day, days, want) -> None:
    answers = bot.filter(payload__decision__has_key="grounded")
    if want("answers"):
        _answer_counts(answers, message_day, days)
    if want("cited"):
        _citations(answers, message_day, days)


def _answer_counts(answers, message_day, days) -> None:
    counted = (
        answers.annotate(day=message_day, channel=F("conversation__channel"))
        .values("day", "channel")
        .annotate(
            answered=Count("pk", filter=Q(payload__decision__grounded=True)),
            refused=Count("pk", filter=Q(payload__decision__grounded=False)),
        )
        .order_by()
    )
    for row in counted:
        days[row["day"]]["answers"].append([row["channel"], row["answered"], row["refused"]])


def _citations(answers, message_day, days) -> None:
    cited: dict[tuple, int] = defaultdict(int)
    rows = (
        answers.filter(payload__has_key="citations")
        .annotate(day=message_day, channel=F("conversation__channel"))
        .values_list("day", "channel", "payload__citations")
    )
    for when, channel, citations in rows.iterator(chunk_size=2000):
        for document_id in _document_ids(citations):
            cited[(when, channel, document_id)] += 1
    for (when, channel, document_id), n in cited.items():
        days[when]["cited"].append([channel, document_id, n])


def _rated_down(bot, message_day, days) -> None:
    low: dict[tuple, set] = defaultdict(set)
    rows = (
        bot.filter(conversation__csat_score__lte=2, payload__has_key="citations")
        .annotate(day=message_day, channel=F("conversation__channel"))
        .values_list("day", "channel", "conversation_id", "payload__citations")
    )
    for when, channel, conversation_id, citations in rows:
        for document_id in _document_ids(citations):
            low[(when, channel, document_id)].add(conversation_id)
    for (when, channel, document_id), ids in low.items():
        days[when]["rated_down"].append([channel, document_id, len(ids)])


def requests_filed_build(
    *, agency, zone, since: dt.datetime, until: dt.datetime, parts: frozenset | None = None
) -> dict[dt.date, dict]:
    """Requests filed in [since, until) per filing day: cells [category, department, status now, n]; the
    located ones on the agency's heat-map grid (rollups.heat): heat [category,
    department, row, col, n] and heat_all [row, col, n]."""
    filed = (
        ServiceRequest.objects.for_agency(agency)
        .filter(created_at__gte=since, created_at__lt=until)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
    )
    rows = filed.values("day", "category_id", "department_id", "status").annotate(n=Count("pk")).order_by()
    days: dict[dt.date, dict] = defaultdict(lambda: empty("requests_filed"))
    for row in rows:
        days[row["day"]]["cells"].append([row["category_id"], row["department_id"], row["status"], row["n"]])
    box = heat.agency_box(agency) if _wanted(parts)("heat") else None
    if box is not None:
        cells = heat.with_cells(filed, box).values("day", "category_id", "department_id", "heat_row", "heat_col")
        everywhere: dict[tuple, int] = defaultdict(int)
        for row in cells.annotate(n=Count("pk")).order_by():
            days[row["day"]]["heat"].append(
                [row["category_id"], row["department_id"], row["heat_row"], row["heat_col"], row["n"]]
            )
            everywhere[(row["day"], row["heat_row"], row["heat_col"])] += row["n"]
        for (when, *cell), n in everywhere.items():
            days[when]["heat_all"].append([*cell, n])
    return dict(days)


def requests_closed_build(
    *, agency, zone, since: dt.datetime, until: dt.datetime, parts: frozenset | None = None
) -> dict[dt.date, dict]:
    """Requests closed in [since, until) per closing day: cells [category, department, status, has SLA,
    SLA met, n] and histograms of the durations filed → closed [category, department, measure, bin, n] (only `parts`,
    all when None: the durations are computed row by row, and the summary reads only the cells)."""
    closed = (
        ServiceRequest.objects.for_agency(agency)
        .filter(closed_at__gte=since, closed_at__lt=until)
        .annotate(day=TruncDate("closed_at", tzinfo=zone))
    )
    rows = (
        closed.annotate(
            has_sla=ExpressionWrapper(Q(sla_due_at__isnull=False), output_field=BooleanField()),
            met=ExpressionWrapper(
                Q(sla_due_at__isnull=False, closed_at__lte=F("sla_due_at")), output_field=BooleanField()
            ),
        )
        .values("day", "category_id", "department_id", "status", "has_sla", "met")
        .annotate(n=Count("pk"))
        .order_by()
    )
    days: dict[dt.date, dict] = defaultdict(lambda: empty("requests_closed"))
    for row in rows:
        days[row["day"]]["cells"].append(
            [
                row["category_id"],
                row["department_id"],
                row["status"],
                int(row["has_sla"]),
                int(bool(row["met"])),
                row["n"],
            ]
        )
    if not _wanted(parts)("durations_h"):
        return dict(days)
    pairs = closed.values_list("day", "category_id", "department_id", "created_at", "closed_at")
    rows = ((when, (category, department), start, end) for when, category, department, start, end in pairs)
    _histograms(days, "durations_h", rows, zone)
    return dict(days)


BUILDERS = {
    "conversations": conversations_build,
    "requests_filed": requests_filed_build,
    "requests_closed": requests_closed_build,
}
