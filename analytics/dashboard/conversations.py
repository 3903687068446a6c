"""Conversation charts: by day, channel, outcome, CSAT and language."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from analytics.dashboard.common import by_day, day_range, local_day
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.selectors import conversations_in
from chat.models import Conversation
from core.language import name as language_name

CONTAINED = Q(state=Conversation.State.CLOSED, outcome=Conversation.Outcome.CONTAINED)
OUTCOMES = {
    "contained": CONTAINED,
    "handoff": Q(handed_off=True),
    "other": ~Q(handed_off=True) & ~CONTAINED,
}


def _by_day_rows(agency, period, key):
    start, end = local_day(period, key)
    return conversations_in(agency=agency, period=period).filter(created_at__gte=start, created_at__lt=end)


@chart("conversations_by_day", "conversations", rows=_by_day_rows, kind="conversations")
def conversations_by_day(agency, period):
    counts = by_day(conversations_in(agency=agency, period=period), period)
    bars = [Bar(day.isoformat(), day.strftime("%b %d"), counts.get(day, 0)) for day in day_range(period)]
    return Chart("conversations_by_day", _("Conversations by day"), "conversations", bars)


def _channel_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(channel=key)


@chart("conversations_by_channel", "conversations", rows=_channel_rows, kind="conversations")
def conversations_by_channel(agency, period):
    labels = dict(Conversation.Channel.choices)
    rows = conversations_in(agency=agency, period=period).values("channel").annotate(n=Count("pk")).order_by("-n")
    bars = [Bar(row["channel"], str(labels.get(row["channel"], row["channel"])), row["n"]) for row in rows]
    return Chart("conversations_by_channel", _("Conversations by channel"), "conversations", bars, kind="hbars")


def _outcome_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(OUTCOMES[key])


@chart("conversation_outcomes", "conversations", rows=_outcome_rows, kind="conversations")
def conversation_outcomes(agency, period):
    counts = conversations_in(agency=agency, period=period).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in OUTCOMES.items()}
    )
    labels = {
        "contained": _("Closed without a person (contained)"),
        "handoff": _("Handed off to a person"),
        "other": _("Open or abandoned"),
    }
    bars = [Bar(name, str(labels[name]), counts[name]) for name in OUTCOMES]
    return Chart("conversation_outcomes", _("Containment and handoffs"), "conversations", bars, kind="hbars")


def _csat_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(csat_score=int(key))


@chart("csat_distribution", "conversations", rows=_csat_rows, kind="conversations")
def csat_distribution(agency, period):
    rows = conversations_in(agency=agency, period=period).filter(csat_score__isnull=False)
    counts = {row["csat_score"]: row["n"] for row in rows.values("csat_score").annotate(n=Count("pk")).order_by()}
    bars = [Bar(str(n), f"{n} ★", counts.get(n, 0)) for n in range(1, 6)]
    return Chart("csat_distribution", _("Satisfaction ratings (CSAT)"), "conversations", bars)


def _language_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(language=key)


@chart("conversation_languages", "conversations", rows=_language_rows, kind="conversations")
def conversation_languages(agency, period):
    rows = conversations_in(agency=agency, period=period).values("language").annotate(n=Count("pk")).order_by("-n")
    bars = [Bar(row["language"], language_name(row["language"]), row["n"]) for row in rows]
    return Chart("conversation_languages", _("Languages"), "conversations", bars, kind="hbars")
