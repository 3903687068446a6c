"""Feedback charts: volume by day, topics, sentiment."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext as _

from analytics.dashboard.common import by_day, day_label, day_range, local_day
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.feedback.topics import topic_name
from analytics.models import Feedback
from analytics.selectors import feedback_in


def _day_rows(agency, period, key):
    start, end = local_day(period, key)
    return feedback_in(agency=agency, period=period).filter(created_at__gte=start, created_at__lt=end)


@chart("feedback_by_day", "feedback", rows=_day_rows, kind="feedback")
def feedback_by_day(agency, period):
    counts = by_day(feedback_in(agency=agency, period=period), period)
    bars = [Bar(day.isoformat(), day_label(day), counts.get(day, 0)) for day in day_range(period)]
    return Chart("feedback_by_day", _("Feedback received by day"), "feedback", bars)


def _topic_rows(agency, period, key):
    queryset = feedback_in(agency=agency, period=period)
    return queryset.filter(topic__isnull=True) if key == "none" else queryset.filter(topic__slug=key)


@chart("feedback_by_topic", "feedback", rows=_topic_rows, kind="feedback")
def feedback_by_topic(agency, period):
    rows = feedback_in(agency=agency, period=period).values("topic__slug", "topic__name").annotate(n=Count("pk"))
    bars = [
        Bar(
            row["topic__slug"] or "none",
            topic_name(row["topic__slug"], row["topic__name"]) or _("No topic"),
            row["n"],
        )
        for row in rows.order_by("-n")
    ]
    return Chart("feedback_by_topic", _("Feedback by topic"), "feedback", bars, kind="hbars")


def _sentiment_rows(agency, period, key):
    if key not in Feedback.Sentiment.values:
        raise ValueError(key)
    return feedback_in(agency=agency, period=period).filter(sentiment=key)


@chart("feedback_by_sentiment", "feedback", rows=_sentiment_rows, kind="feedback")
def feedback_by_sentiment(agency, period):
    counts = dict(feedback_in(agency=agency, period=period).values_list("sentiment").annotate(n=Count("pk")).order_by())
    bars = [Bar(value, str(label), counts.get(value, 0)) for value, label in Feedback.Sentiment.choices]
    return Chart("feedback_by_sentiment", _("Feedback sentiment"), "feedback", bars, kind="hbars")


def _weeks(period) -> list[tuple[dt.date, dt.date]]:
    """The period cut into weeks starting on Monday, clipped to its first and last day."""
    weeks = []
    start = period.start
    while start <= period.end:
        end = min(start + dt.timedelta(days=6 - start.weekday()), period.end)
        weeks.append((start, end))
        start = end + dt.timedelta(days=1)
    return weeks


def _week_rows(agency, period, key):
    for start, end in _weeks(period):
        if start.isoformat() == key:
            since = dt.datetime.combine(start, dt.time.min, tzinfo=period.zone)
            until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=period.zone)
            return feedback_in(agency=agency, period=period).filter(created_at__gte=since, created_at__lt=until)
    raise ValueError(key)


@chart("feedback_negative_by_week", "feedback", rows=_week_rows, kind="feedback", count=False)
def feedback_negative_by_week(agency, period):
    """Sentiment over time: the share of each week's feedback that is negative (the week's rows behind it)."""
    counts = by_day(feedback_in(agency=agency, period=period), period)
    negative = by_day(feedback_in(agency=agency, period=period).filter(sentiment=Feedback.Sentiment.NEGATIVE), period)
    bars = []
    for start, end in _weeks(period):
        days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        total, bad = sum(counts.get(day, 0) for day in days), sum(negative.get(day, 0) for day in days)
        share = round(100 * bad / total, 1) if total else 0
        bars.append(Bar(start.isoformat(), day_label(start), share, series=f"{bad}/{total}"))
    return Chart(
        "feedback_negative_by_week",
        _("Negative feedback by week (share of the week's feedback)"),
        "feedback",
        bars,
        unit="percent",
    )
