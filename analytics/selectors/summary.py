"""The summary API's numbers (GET /api/v1/a/<slug>/analytics/summary/): conversations and requests from
the daily rollups (today and days not rolled up counted live), the rest counted live (indexed, small)."""

from __future__ import annotations

from analytics.periods import Period
from analytics.selectors.base import WORKED_STATUSES, feedback_in, registrations_submitted_in, unanswered_in
from tenants.models import Agency


def rate(part: int, whole: int) -> float | None:
    """part / whole to four places; None (not 0) when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def outcome_counts(agency: Agency, period: Period) -> dict[tuple, int]:
    """The cohort's conversations by (contained, handed_off, closed, csat or 0), from the rollups' cells
    (channel, language, contained, handed_off, closed, csat, n) summed in the database."""
    from analytics.rollups.read import summed

    return summed(agency=agency, period=period, kind="conversations", part="cells", keys=(2, 3, 4, 5))


def conversation_counts(*, agency: Agency, period: Period) -> dict:
    cells = outcome_counts(agency, period).items()
    counts = {
        "conversations": sum(n for _key, n in cells),
        "contained": sum(n for key, n in cells if key[0]),
        "handoffs": sum(n for key, n in cells if key[1]),
    }
    counts["containment_rate"] = rate(counts["contained"], counts["conversations"])
    counts["handoff_rate"] = rate(counts["handoffs"], counts["conversations"])
    return counts


def csat(*, agency: Agency, period: Period) -> dict:
    distribution = {str(n): 0 for n in range(1, 6)}
    total = 0
    for (_contained, _handed_off, _closed, score), n in outcome_counts(agency, period).items():
        if score:
            distribution[str(score)] += n
            total += score * n
    responses = sum(distribution.values())
    return {
        "responses": responses,
        "average": round(total / responses, 2) if responses else None,
        "distribution": distribution,
    }


def _request_counts(agency: Agency, period: Period, kind: str) -> dict[tuple, int]:
    """Requests filed by (status,), or closed by (status, has SLA, SLA met): cells summed in the database."""
    from analytics.rollups.read import summed

    keys = (2,) if kind == "requests_filed" else (2, 3, 4)
    return summed(agency=agency, period=period, kind=kind, part="cells", keys=keys, text=(2,))


def sla_counts(*, agency: Agency, period: Period) -> dict:
    worked = [
        (key, n)
        for key, n in _request_counts(agency, period, "requests_closed").items()
        if key[1] and key[0] in WORKED_STATUSES
    ]
    counts = {"with_sla": sum(n for _key, n in worked), "met": sum(n for key, n in worked if key[2])}
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
            "filed": sum(_request_counts(agency, period, "requests_filed").values()),
            "closed": sum(_request_counts(agency, period, "requests_closed").values()),
            "sla_met_rate": sla_counts(agency=agency, period=period)["sla_met_rate"],
        },
        "registrations": {"submitted": registrations_submitted_in(agency=agency, period=period).count()},
        "feedback": {"received": feedback_in(agency=agency, period=period).count()},
    }
