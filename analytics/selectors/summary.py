"""The summary API's numbers (GET /api/v1/a/<slug>/analytics/summary/): conversations and requests from
the daily rollups (today and days not rolled up counted live), the rest counted live (indexed, small)."""

from __future__ import annotations

from analytics.periods import Period
from analytics.selectors.base import WORKED_STATUSES, feedback_in, registrations_submitted_in, unanswered_in
from tenants.models import Agency


def rate(part: int, whole: int) -> float | None:
    """part / whole to four places; None (not 0) when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def _conversation_cells(agency: Agency, period: Period) -> list:
    from analytics.rollups.read import conversation_cells, period_days

    return list(conversation_cells(period_days(agency=agency, period=period, kind="conversations"), period))


def conversation_counts(*, agency: Agency, period: Period) -> dict:
    """Cells: (day, channel, language, contained, handed_off, closed, csat, n)."""
    cells = _conversation_cells(agency, period)
    counts = {
        "conversations": sum(cell[-1] for cell in cells),
        "contained": sum(cell[-1] for cell in cells if cell[3]),
        "handoffs": sum(cell[-1] for cell in cells if cell[4]),
    }
    counts["containment_rate"] = rate(counts["contained"], counts["conversations"])
    counts["handoff_rate"] = rate(counts["handoffs"], counts["conversations"])
    return counts


def csat(*, agency: Agency, period: Period) -> dict:
    distribution = {str(n): 0 for n in range(1, 6)}
    total = 0
    for cell in _conversation_cells(agency, period):
        if cell[6]:
            distribution[str(cell[6])] += cell[-1]
            total += cell[6] * cell[-1]
    responses = sum(distribution.values())
    return {
        "responses": responses,
        "average": round(total / responses, 2) if responses else None,
        "distribution": distribution,
    }


def _request_cells(agency: Agency, period: Period, kind: str) -> list:
    from analytics.rollups.read import period_days, request_cells

    return list(request_cells(period_days(agency=agency, period=period, kind=kind), period))


def sla_counts(*, agency: Agency, period: Period) -> dict:
    """Cells: (day, category, department, status, has SLA, met, n)."""
    worked = [
        cell for cell in _request_cells(agency, period, "requests_closed") if cell[4] and cell[3] in WORKED_STATUSES
    ]
    counts = {"with_sla": sum(cell[-1] for cell in worked), "met": sum(cell[-1] for cell in worked if cell[5])}
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
            "filed": sum(cell[-1] for cell in _request_cells(agency, period, "requests_filed")),
            "closed": sum(cell[-1] for cell in _request_cells(agency, period, "requests_closed")),
            "sla_met_rate": sla_counts(agency=agency, period=period)["sla_met_rate"],
        },
        "registrations": {"submitted": registrations_submitted_in(agency=agency, period=period).count()},
        "feedback": {"received": feedback_in(agency=agency, period=period).count()},
    }
