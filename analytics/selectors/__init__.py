"""Reads behind the analytics dashboard and API. Each number is built from one queryset that the
drill-down lists too, so a chart's number and its rows cannot disagree (docs/analytics.md)."""

from analytics.selectors.base import (
    conversations_in,
    feedback_in,
    registrations_submitted_in,
    requests_closed_in,
    requests_filed_in,
    unanswered_in,
)
from analytics.selectors.summary import analytics_summary

__all__ = [
    "analytics_summary",
    "conversations_in",
    "feedback_in",
    "registrations_submitted_in",
    "requests_closed_in",
    "requests_filed_in",
    "unanswered_in",
]
