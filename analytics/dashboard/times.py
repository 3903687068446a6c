"""Durations: time to first human reply, to resolution, to close a request and to decide an application;
each also counted in business hours (Monday-Friday 08:00-17:00 in the agency's zone)."""

from __future__ import annotations

import statistics

from django.db.models import Min, Q

from analytics.rollups import histogram
from analytics.rollups.hours import BUSINESS_END, BUSINESS_START, business_seconds
from analytics.rollups.read import durations
from analytics.selectors import conversations_in, registrations_submitted_in
from analytics.selectors.summary import outcome_counts
from chat.models import Message
from registrations.models import Status as RegistrationStatus

__all__ = ["BUSINESS_END", "BUSINESS_START", "business_seconds"]


def _stats(pairs, zone) -> dict:
    """Median and 90th percentile in hours, wall clock and business hours, of (start, end) pairs."""
    return _durations_stats(
        [((end - start).total_seconds(), business_seconds(start, end, zone)) for start, end in pairs if end >= start]
    )


def _durations_stats(durations) -> dict:
    """The same from (wall seconds, business seconds) of each interval."""
    wall = sorted(pair[0] for pair in durations)
    business = sorted(pair[1] for pair in durations)

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
    return histogram.stats(durations(agency=agency, period=period, kind="conversations", part="first_reply_h"))


def resolution(agency, period) -> dict:
    return histogram.stats(durations(agency=agency, period=period, kind="conversations", part="resolution_h"))


def csat_response_rate(agency, period) -> dict:
    cells = outcome_counts(agency, period).items()  # (contained, handed_off, closed, csat): n
    total = sum(n for key, n in cells if key[2])  # closed
    rated = sum(n for key, n in cells if key[2] and key[3])  # closed and rated
    return {"closed": total, "rated": rated, "rate": round(rated / total, 4) if total else None}


def request_close_time(agency, period) -> dict:
    return histogram.stats(durations(agency=agency, period=period, kind="requests_closed", part="durations_h"))


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
