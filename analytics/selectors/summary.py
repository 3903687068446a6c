"""The summary API's numbers (GET /api/v1/a/<slug>/analytics/summary/)."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Q

from analytics.periods import Period
from analytics.selectors.base import (
    conversations_in,
    feedback_in,
    registrations_submitted_in,
    requests_closed_in,
    requests_filed_in,
    requests_with_sla_closed_in,
    unanswered_in,
)
from chat.models import Conversation
from tenants.models import Agency


def rate(part: int, whole: int) -> float | None:
    """part / whole to four places; None (not 0) when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def conversation_counts(*, agency: Agency, period: Period) -> dict:
    counts = conversations_in(agency=agency, period=period).aggregate(
        conversations=Count("id"),
        contained=Count("id", filter=Q(state=Conversation.State.CLOSED, outcome=Conversation.Outcome.CONTAINED)),
        handoffs=Count("id", filter=Q(handed_off=True)),
    )
    counts["containment_rate"] = rate(counts["contained"], counts["conversations"])
    counts["handoff_rate"] = rate(counts["handoffs"], counts["conversations"])
    return counts


def csat(*, agency: Agency, period: Period) -> dict:
    rated = conversations_in(agency=agency, period=period).filter(csat_score__isnull=False)
    distribution = {str(n): 0 for n in range(1, 6)}
    for row in rated.values("csat_score").annotate(n=Count("id")).order_by():
        distribution[str(row["csat_score"])] = row["n"]
    responses = sum(distribution.values())
    average = rated.aggregate(avg=Avg("csat_score"))["avg"] if responses else None
    return {
        "responses": responses,
        "average": round(average, 2) if average is not None else None,
        "distribution": distribution,
    }


def sla_counts(*, agency: Agency, period: Period) -> dict:
    counts = requests_with_sla_closed_in(agency=agency, period=period).aggregate(
        with_sla=Count("id"), met=Count("id", filter=Q(closed_at__lte=F("sla_due_at")))
    )
    counts["sla_met_rate"] = rate(counts["met"], counts["with_sla"])
    return counts


def analytics_summary(*, agency: Agency, period: Period) -> dict:
    conversations = conversation_counts(agency=agency, period=period)
    return {
        "conversations": conversations["conversations"],
        "contained": conversations["contained"],
        "containment_rate": conversations["containment_rate"],
        "handoffs": conversations["handoffs"],
        "handoff_rate": conversations["handoff_rate"],
        "csat": csat(agency=agency, period=period),
        "unanswered": unanswered_in(agency=agency, period=period).count(),
        "requests": {
            "filed": requests_filed_in(agency=agency, period=period).count(),
            "closed": requests_closed_in(agency=agency, period=period).count(),
            "sla_met_rate": sla_counts(agency=agency, period=period)["sla_met_rate"],
        },
        "registrations": {"submitted": registrations_submitted_in(agency=agency, period=period).count()},
        "feedback": {"received": feedback_in(agency=agency, period=period).count()},
    }
