"""Durations: time to first human reply, to resolution, to close a request and to decide an application;
each also counted in business hours (Monday-Friday 08:00-17:00 in the agency's zone)."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Min, Q

from analytics.selectors import conversations_in, registrations_submitted_in, requests_closed_in
from chat.models import Conversation, Message
from registrations.models import Status as RegistrationStatus

BUSINESS_START, BUSINESS_END = dt.time(8, 0), dt.time(17, 0)


def business_seconds(start: dt.datetime, end: dt.datetime, zone) -> float:
    """Seconds between `start` and `end` that fall on a weekday between 08:00 and 17:00 local time."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(zone), end.astimezone(zone)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            open_at = dt.datetime.combine(day, BUSINESS_START, tzinfo=zone)
            close_at = dt.datetime.combine(day, BUSINESS_END, tzinfo=zone)
            low, high = max(start, open_at), min(end, close_at)
            if high > low:
                total += (high - low).total_seconds()
        day += dt.timedelta(days=1)
    return total


def _stats(pairs, zone) -> dict:
    """Median and 90th percentile in hours, wall clock and business hours, of (start, end) pairs."""
    wall = sorted((end - start).total_seconds() for start, end in pairs if end >= start)
    business = sorted(business_seconds(start, end, zone) for start, end in pairs if end >= start)

    def summary(values):
        if not values:
            return {"median": None, "p90": None}
        p90 = values[min(len(values) - 1, round(0.9 * (len(values) - 1)))]
        return {"median": round(statistics.median(values) / 3600, 2), "p90": round(p90 / 3600, 2)}

    return {"count": len(wall), "wall": summary(wall), "business": summary(business)}


def first_human_reply_rows(agency, period):
    return (
        conversations_in(agency=agency, period=period)
        .filter(handed_off=True, queued_at__isnull=False)
        .annotate(first_agent_at=Min("messages__created_at", filter=Q(messages__role=Message.Role.AGENT)))
        .filter(first_agent_at__isnull=False)
    )


def first_human_reply(agency, period) -> dict:
    pairs = list(first_human_reply_rows(agency, period).values_list("queued_at", "first_agent_at"))
    return _stats(pairs, period.zone)


def resolution(agency, period) -> dict:
    pairs = list(
        conversations_in(agency=agency, period=period)
        .filter(state=Conversation.State.CLOSED, closed_at__isnull=False)
        .values_list("created_at", "closed_at")
    )
    return _stats(pairs, period.zone)


def csat_response_rate(agency, period) -> dict:
    closed = conversations_in(agency=agency, period=period).filter(state=Conversation.State.CLOSED)
    total = closed.count()
    rated = closed.filter(csat_score__isnull=False).count()
    return {"closed": total, "rated": rated, "rate": round(rated / total, 4) if total else None}


def request_close_time(agency, period) -> dict:
    pairs = list(requests_closed_in(agency=agency, period=period).values_list("created_at", "closed_at"))
    return _stats(pairs, period.zone)


def decision_time(agency, period) -> dict:
    decided = (
        registrations_submitted_in(agency=agency, period=period)
        .annotate(
            decided_at=Min(
                "events__created_at",
                filter=Q(events__to_status__in=[RegistrationStatus.APPROVED, RegistrationStatus.REJECTED]),
            )
        )
        .filter(decided_at__isnull=False)
    )
    pairs = list(decided.values_list("submitted_at", "decided_at"))
    return _stats(pairs, period.zone)
