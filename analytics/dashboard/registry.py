"""A chart is a list of bars; each bar's rows are one queryset, so the drill-down lists exactly the rows
the bar counts (`rows(...).count() == bar.value` for count charts: tested for every chart)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass
class Bar:
    key: str  # the drill-down key (a day, a channel, a status, …)
    label: str
    value: float
    series: str = ""  # for stacked / grouped charts


@dataclass
class Chart:
    id: str
    title: str
    section: str
    bars: list[Bar]
    unit: str = "count"  # count | percent | hours
    kind: str = "bars"  # bars (vertical, time) | hbars (horizontal, categories)
    note: str = ""
    drill: bool = True

    @property
    def total(self) -> float:
        return sum(bar.value for bar in self.bars)


@dataclass
class ChartSpec:
    id: str
    section: str
    build: Callable  # (agency, period) -> Chart
    rows: Callable | None  # (agency, period, key) -> QuerySet, or None when the chart has no row list
    kind: str = "rows"  # which row table to draw: conversations, requests, registrations, unanswered, feedback
    count: bool = True  # its bars count rows
    # Its bars are read from the rollups: a drill-down's total is the bar's value (a year's total from the
    # rollups instead of counting ~100k rows; equal, as every count chart's bars equal their rows: tested).
    rolled_up: bool = False
    extra: dict = field(default_factory=dict)


CHARTS: dict[str, ChartSpec] = {}


def chart(id: str, section: str, *, rows=None, kind: str = "", count: bool = True, rolled_up: bool = False):
    def register(build):
        CHARTS[id] = ChartSpec(
            id=id, section=section, build=build, rows=rows, kind=kind, count=count, rolled_up=rolled_up
        )
        return build

    return register


def drill_rows(spec: ChartSpec, *, agency, period, key: str) -> QuerySet:
    return spec.rows(agency, period, key)


def drill_total(spec: ChartSpec, queryset: QuerySet, *, agency, period, key: str) -> int:
    """How many rows a drill-down has: the bar's value for a rolled-up count chart, else counted."""
    if spec.rolled_up and spec.count:
        return next((int(bar.value) for bar in spec.build(agency, period).bars if bar.key == key), 0)
    return queryset.count()
