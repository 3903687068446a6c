"""Conversation charts: by day, channel, outcome, CSAT and language."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext as _

from analytics.dashboard.common import day_label, day_range, local_day
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.rollups.read import summed
from analytics.selectors import conversations_in
from chat.models import Conversation
from core.language import display_name
from core.language import name as language_name

CONTAINED = Q(state=Conversation.State.CLOSED, outcome=Conversation.Outcome.CONTAINED)
CELL_KEYS = (0, 1, 2, 3, 4, 5)  # channel, language, contained, handed_off, closed, csat (the last is n)
OUTCOMES = {
    "contained": CONTAINED,
    "handoff": Q(handed_off=True),
    "other": ~Q(handed_off=True) & ~CONTAINED,
}


def _count(agency, period, key) -> Counter:
    """The cohort's conversations counted by `key(cell)` (cells: channel, language, contained,
    handed_off, closed, csat), the period's cells summed by PostgreSQL over the stored days (a year is
    ~34k cells: a few hundred sums come back instead), today counted live."""
    counts: Counter = Counter()
    cells = summed(agency=agency, period=period, kind="conversations", part="cells", keys=CELL_KEYS, text=(0, 1))
    for cell, n in cells.items():
        counts[key(cell)] += n
    return counts


def _by_day(agency, period) -> Counter:
    return summed(agency=agency, period=period, kind="conversations", part="cells", keys=(), by="day")


def _ranked(counts: Counter) -> list:
    return sorted((item for item in counts.items() if item[1]), key=lambda item: (-item[1], str(item[0])))


def _by_day_rows(agency, period, key):
    start, end = local_day(period, key)
    return conversations_in(agency=agency, period=period).filter(created_at__gte=start, created_at__lt=end)


@chart("conversations_by_day", "conversations", rows=_by_day_rows, kind="conversations", rolled_up=True)
def conversations_by_day(agency, period):
    counts = {day: n for (day,), n in _by_day(agency, period).items()}
    bars = [Bar(day.isoformat(), day_label(day), counts.get(day, 0)) for day in day_range(period)]
    return Chart("conversations_by_day", _("Conversations by day"), "conversations", bars)


def _channel_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(channel=key)


@chart("conversations_by_channel", "conversations", rows=_channel_rows, kind="conversations", rolled_up=True)
def conversations_by_channel(agency, period):
    labels = dict(Conversation.Channel.choices)
    counts = _count(agency, period, lambda cell: cell[0])
    bars = [Bar(channel, str(labels.get(channel, channel)), n) for channel, n in _ranked(counts)]
    return Chart("conversations_by_channel", _("Conversations by channel"), "conversations", bars, kind="hbars")


def _outcome_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(OUTCOMES[key])


@chart("conversation_outcomes", "conversations", rows=_outcome_rows, kind="conversations", rolled_up=True)
def conversation_outcomes(agency, period):
    # Counted apart, as the three row filters are (a conversation is never both contained and handed off).
    outcome = _count(agency, period, lambda cell: (cell[2], cell[3]))
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


@chart("csat_distribution", "conversations", rows=_csat_rows, kind="conversations", rolled_up=True)
def csat_distribution(agency, period):
    counts = _count(agency, period, lambda cell: cell[5])
    bars = [Bar(str(n), f"{n} ★", counts.get(n, 0)) for n in range(1, 6)]
    return Chart("csat_distribution", _("Satisfaction ratings (CSAT)"), "conversations", bars)


def _language_rows(agency, period, key):
    return conversations_in(agency=agency, period=period).filter(language=key)


@chart("conversation_languages", "conversations", rows=_language_rows, kind="conversations", rolled_up=True)
def conversation_languages(agency, period):
    counts = _count(agency, period, lambda cell: cell[1])
    # In the UI language ("Englisch" on a German page), as the rest of the page.
    bars = [Bar(language, display_name(language) or language_name(language), n) for language, n in _ranked(counts)]
    return Chart("conversation_languages", _("Languages"), "conversations", bars, kind="hbars")
