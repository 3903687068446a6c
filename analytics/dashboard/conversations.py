"""Conversation charts: by day, channel, outcome, CSAT and language."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from analytics.dashboard.common import day_range, local_day
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.rollups.read import conversation_cells, period_days
from analytics.selectors import conversations_in
from chat.models import Conversation
from core.language import name as language_name

CONTAINED = Q(state=Conversation.State.CLOSED, outcome=Conversation.Outcome.CONTAINED)
OUTCOMES = {
    "contained": CONTAINED,
    "handoff": Q(handed_off=True),
    "other": ~Q(handed_off=True) & ~CONTAINED,
}


def _count(agency, period, key) -> Counter:
    """The cohort's conversations counted by `key(cell)` (cells: day, channel, language, contained,
    handed_off, closed, csat, n), from the period's rollups."""
    counts: Counter = Counter()
    for cell in conversation_cells(period_days(agency=agency, period=period, kind="conversations"), period):
        counts[key(cell)] += cell[-1]
    return counts


def _ranked(counts: Counter) -> list:
    return sorted((item for item in counts.items() if item[1]), key=lambda item: (-item[1], str(item[0])))


def _by_day_rows(agency, period, key):
    start, end = local_day(period, key)
    return conversations_in(agency=agency, period=period).filter(created_at__gte=start, created_at__lt=end)


@chart("conversations_by_day", "conversations", rows=_by_day_rows, kind="conversations")
def conversations_by_day(agency, period):
    counts = _count(agency, period, lambda cell: cell[0])
    bars = [Bar(day.isoformat(), day.strftime("%b %d"), counts.get(day, 0)) for day in day_range(period)]
    return Chart("conversations_by_day", _("Conversations by day"), "conversations", bars)


def _channel_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(channel=key)


@chart("conversations_by_channel", "conversations", rows=_channel_rows, kind="conversations")
def conversations_by_channel(agency, period):
    labels = dict(Conversation.Channel.choices)
    counts = _count(agency, period, lambda cell: cell[1])
    bars = [Bar(channel, str(labels.get(channel, channel)), n) for channel, n in _ranked(counts)]
    return Chart("conversations_by_channel", _("Conversations by channel"), "conversations", bars, kind="hbars")


def _outcome_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(OUTCOMES[key])


@chart("conversation_outcomes", "conversations", rows=_outcome_rows, kind="conversations")
def conversation_outcomes(agency, period):
    # Counted apart, as the three row filters are (a conversation is never both contained and handed off).
    outcome = _count(agency, period, lambda cell: (cell[3], cell[4]))
    counts = {
        "contained": sum(n for (contained, _handed_off), n in outcome.items() if contained),
        "handoff": sum(n for (_contained, handed_off), n in outcome.items() if handed_off),
        "other": sum(n for (contained, handed_off), n in outcome.items() if not contained and not handed_off),
    }
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
    counts = _count(agency, period, lambda cell: cell[6])
    bars = [Bar(str(n), f"{n} ★", counts.get(n, 0)) for n in range(1, 6)]
    return Chart("csat_distribution", _("Satisfaction ratings (CSAT)"), "conversations", bars)


def _language_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(language=key)


@chart("conversation_languages", "conversations", rows=_language_rows, kind="conversations")
def conversation_languages(agency, period):
    counts = _count(agency, period, lambda cell: cell[2])
    bars = [Bar(language, language_name(language), n) for language, n in _ranked(counts)]
    return Chart("conversation_languages", _("Languages"), "conversations", bars, kind="hbars")
