"""What each dashboard page shows: its charts and its extra numbers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from analytics.dashboard import clusters, times
from analytics.dashboard import conversations as _conversations  # noqa: F401 - registers the charts
from analytics.dashboard import feedback as _feedback  # noqa: F401
from analytics.dashboard import knowledge as _knowledge
from analytics.dashboard import registrations as _registrations
from analytics.dashboard import requests as _requests  # noqa: F401
from analytics.dashboard.registry import CHARTS
from analytics.selectors.summary import analytics_summary

SECTIONS = {
    "conversations": _("Conversations"),
    "knowledge": _("Knowledge"),
    "requests": _("Service requests"),
    "registrations": _("Registrations"),
    "feedback": _("Feedback"),
}


def section_charts(section: str, *, agency, period, form_id=None) -> list:
    charts = []
    for spec in CHARTS.values():
        if spec.section != section:
            continue
        if spec.id == "funnel":
            charts.append(spec.build(agency, period, form_id=form_id))
        else:
            charts.append(spec.build(agency, period))
    return charts


def section_extras(section: str, *, agency, period) -> dict:
    if section == "conversations":
        return {
            "summary": analytics_summary(agency=agency, period=period),
            "first_reply": times.first_human_reply(agency, period),
            "resolution": times.resolution(agency, period),
            "csat_rate": times.csat_response_rate(agency, period),
        }
    if section == "knowledge":
        return {
            "clusters": clusters.unanswered_clusters(agency=agency, period=period),
            "never_cited": _knowledge.never_cited(agency, period),
        }
    if section == "requests":
        return {"close_time": times.request_close_time(agency, period)}
    if section == "registrations":
        from registrations.models import FormDefinition

        return {
            "decision_time": times.decision_time(agency, period),
            "forms": list(FormDefinition.objects.for_agency(agency).order_by("title").values_list("pk", "title")),
        }
    return {}


__all__ = ["SECTIONS", "_registrations", "section_charts", "section_extras"]
