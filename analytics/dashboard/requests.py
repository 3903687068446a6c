"""Service-request charts: by category, status, month; backlog age; SLA met per category and department."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.dashboard.common import int_key, local_month, month_label
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.rollups import heat
from analytics.rollups.read import summed
from analytics.selectors import requests_filed_in
from analytics.selectors.base import WORKED_STATUSES, _requests, requests_with_sla_closed_in
from requests_app.models import ServiceCategory
from requests_app.models.service_requests import OPEN_STATUSES, Status
from tenants.models import Department


def _filed(agency, period) -> Counter:
    """{(category, department, status): n} of the period's filed requests, filters applied, summed by
    PostgreSQL over the stored days (a year is ~25k cells), today counted live."""
    return summed(agency=agency, period=period, kind="requests_filed", part="cells", keys=(0, 1, 2), text=(2,))


def _names(model, agency, ids) -> dict:
    rows = model.objects.for_agency(agency).filter(pk__in=[pk for pk in ids if pk])
    # In the UI language where the agency translated it ("Schlagloch", "Straßenbau").
    return {row.pk: row.name_in() for row in rows}


def _ranked(counts: Counter) -> list:
    return sorted((item for item in counts.items() if item[1]), key=lambda item: (-item[1], str(item[0])))


def _category_rows(agency, period, key):
    return requests_filed_in(agency=agency, period=period).filter(category_id=int_key(key))


@chart("requests_by_category", "requests", rows=_category_rows, kind="requests", rolled_up=True)
def requests_by_category(agency, period):
    counts: Counter = Counter()
    for (category, _department, _status), n in _filed(agency, period).items():
        counts[category] += n
    names = _names(ServiceCategory, agency, counts)
    bars = [Bar(str(pk), names.get(pk, f"#{pk}"), n) for pk, n in _ranked(counts)]
    return Chart("requests_by_category", _("Requests filed by category"), "requests", bars, kind="hbars")


def _status_rows(agency, period, key):
    if key not in Status.values:
        raise ValueError(key)
    return requests_filed_in(agency=agency, period=period).filter(status=key)


@chart("requests_by_status", "requests", rows=_status_rows, kind="requests", rolled_up=True)
def requests_by_status(agency, period):
    labels = dict(Status.choices)
    counts: Counter = Counter()
    for (_category, _department, status), n in _filed(agency, period).items():
        counts[status] += n
    bars = [Bar(status, str(labels.get(status, status)), n) for status, n in _ranked(counts)]
    return Chart("requests_by_status", _("Requests filed, by their status now"), "requests", bars, kind="hbars")


def _month_rows(agency, period, key):
    start, end = local_month(period, key)
    return requests_filed_in(agency=agency, period=period).filter(created_at__gte=start, created_at__lt=end)


@chart("requests_by_month", "requests", rows=_month_rows, kind="requests", rolled_up=True)
def requests_by_month(agency, period):
    counts: Counter = Counter()
    by_day = summed(agency=agency, period=period, kind="requests_filed", part="cells", keys=(), by="month")
    for (day,), n in by_day.items():
        counts[day.replace(day=1)] += n
    bars = [Bar(month.strftime("%Y-%m"), month_label(month), n) for month, n in sorted(counts.items())]
    return Chart("requests_by_month", _("Requests filed by month"), "requests", bars)


# Open-backlog age buckets: (key, label, from days, to days)
AGE_BUCKETS = [
    ("0-2", gettext_lazy("< 2 days"), 0, 2),
    ("2-7", gettext_lazy("2-7 days"), 2, 7),
    ("7-30", gettext_lazy("7-30 days"), 7, 30),
    ("30+", gettext_lazy("> 30 days"), 30, None),
]


def _open_now(agency, period):
    return _requests(agency, period).filter(status__in=OPEN_STATUSES)


def _age_condition(low: int, high: int | None, now: dt.datetime) -> Q:
    condition = Q(created_at__lte=now - dt.timedelta(days=low))
    if high is not None:
        condition &= Q(created_at__gt=now - dt.timedelta(days=high))
    return condition


def _backlog_rows(agency, period, key, now=None):
    now = now or timezone.now()
    for name, _label, low, high in AGE_BUCKETS:
        if name == key:
            return _open_now(agency, period).filter(_age_condition(low, high, now))
    raise ValueError(key)


@chart("backlog_age", "requests", rows=_backlog_rows, kind="requests")
def backlog_age(agency, period):
    now = timezone.now()
    counts = _open_now(agency, period).aggregate(
        **{
            f"b{i}": Count("pk", filter=_age_condition(low, high, now))
            for i, (_k, _l, low, high) in enumerate(AGE_BUCKETS)
        }
    )
    bars = [Bar(key, str(label), counts[f"b{i}"]) for i, (key, label, _low, _high) in enumerate(AGE_BUCKETS)]
    return Chart("backlog_age", _("Open backlog by age (now, whatever the dates)"), "requests", bars)


def _sla_rates(agency, period, group: str, name: str):
    """SLA met % per category or department of the requests worked to the end in the period with an SLA."""
    position = 0 if group == "category_id" else 1
    totals: Counter = Counter()
    met: Counter = Counter()
    cells = summed(agency=agency, period=period, kind="requests_closed", part="cells", keys=(0, 1, 2, 3, 4), text=(2,))
    for cell, n in cells.items():
        _category, _department, status, has_sla, on_time = cell
        if has_sla and status in WORKED_STATUSES:
            totals[cell[position]] += n
            met[cell[position]] += n if on_time else 0
    model = ServiceCategory if group == "category_id" else Department
    names = _names(model, agency, totals)
    ordered = sorted(totals, key=lambda pk: (names.get(pk) is None, names.get(pk) or "", pk or 0))
    return [
        Bar(
            str(pk),
            names.get(pk) or _("No department"),
            round(100 * met[pk] / totals[pk], 1),
            series=f"{met[pk]}/{totals[pk]}",
        )
        for pk in ordered
    ]


def _sla_category_rows(agency, period, key):
    return requests_with_sla_closed_in(agency=agency, period=period).filter(category_id=int_key(key))


def _sla_department_rows(agency, period, key):
    queryset = requests_with_sla_closed_in(agency=agency, period=period)
    return queryset.filter(department__isnull=True) if key == "None" else queryset.filter(department_id=int_key(key))


@chart("sla_by_category", "requests", rows=_sla_category_rows, kind="requests", count=False)
def sla_by_category(agency, period):
    bars = _sla_rates(agency, period, "category_id", "category__name")
    return Chart(
        "sla_by_category",
        _("SLA met % by category (requests closed in the range)"),
        "requests",
        bars,
        unit="percent",
        kind="hbars",
    )


@chart("sla_by_department", "requests", rows=_sla_department_rows, kind="requests", count=False)
def sla_by_department(agency, period):
    bars = _sla_rates(agency, period, "department_id", "department__name")
    return Chart("sla_by_department", _("SLA met % by department"), "requests", bars, unit="percent", kind="hbars")


def heat_cells(agency, period) -> list[dict]:
    """The period's located requests per cell of the agency's fixed grid (rollups.heat), filters applied:
    the stored days' cells summed by PostgreSQL (a month's in its month row), today counted live."""
    if _filters_set(period):
        counts = summed(agency=agency, period=period, kind="requests_filed", part="heat", keys=(2, 3))
    else:
        counts = summed(agency=agency, period=period, kind="requests_filed", part="heat_all", keys=(0, 1))
    return [
        {
            "col": col,
            "row": row,
            "n": n,
            "key": f"{row}:{col}",
            "label": _("%(n)s reports in this square") % {"n": n},
        }
        for (row, col), n in sorted(counts.items())
        if n
    ]


def _filters_set(period) -> bool:
    return bool(period.category or period.department)


def _heat_rows(agency, period, key):
    row, _sep, col = key.partition(":")
    box = heat.agency_box(agency)
    if box is None:
        return requests_filed_in(agency=agency, period=period).none()
    cells = heat.with_cells(requests_filed_in(agency=agency, period=period), box)
    return cells.filter(heat_row=int_key(row), heat_col=int_key(col))


@chart("request_heatmap", "requests", rows=_heat_rows, kind="requests", rolled_up=True)
def request_heatmap(agency, period):
    cells = heat_cells(agency, period)
    bars = [Bar(cell["key"], cell["label"], cell["n"]) for cell in sorted(cells, key=lambda c: -c["n"])]
    result = Chart("request_heatmap", _("Where reports were filed (heat map)"), "requests", bars, kind="heat")
    result.cells = cells
    return result
