"""The heat map's grid: fixed per agency, so each day's located requests can be binned once and stored.

The grid is HEAT_COLUMNS x HEAT_ROWS cells over the bounding box of all the agency's located requests
(not the period's: a period's own box changes with the period, and a day could not be pre-binned). The
refresh keeps the box on the agency's RollupCursor; when a request lands outside it, the next refresh
stores the new box and rebuilds every day (rollups.services). Stored days, today's live count and the
drill-down rows all bin with the same box and the same SQL expression, so a cell's count equals its rows.
"""

from __future__ import annotations

from django.db.models import F, FloatField, IntegerField, Max, Min, QuerySet, Value
from django.db.models.functions import Cast, Floor, Greatest, Least

from analytics.models import RollupCursor
from requests_app.models import ServiceRequest

HEAT_COLUMNS, HEAT_ROWS = 32, 20


def located(queryset: QuerySet) -> QuerySet:
    return queryset.filter(lat__isnull=False, long__isnull=False)


def located_box(agency) -> dict | None:
    """{lat0, lat1, long0, long1} of all the agency's located requests, or None when none is located."""
    box = located(ServiceRequest.objects.for_agency(agency)).aggregate(
        lat0=Min("lat"), lat1=Max("lat"), long0=Min("long"), long1=Max("long")
    )
    return None if box["lat0"] is None else box


def agency_box(agency) -> dict | None:
    """The grid's box: the one the rollups were binned with, or (never refreshed) counted now."""
    cursor = RollupCursor.objects.for_agency(agency).first()
    if cursor is not None and cursor.heat_box:
        return cursor.heat_box
    return located_box(agency)


def with_cells(queryset: QuerySet, box: dict) -> QuerySet:
    """The located rows of `queryset` with their cell (heat_col, heat_row: 0 = north) on the grid of `box`;
    a row outside the box (filed since the last refresh) counts in the nearest edge cell."""
    dlat = (box["lat1"] - box["lat0"]) or 1e-6
    dlong = (box["long1"] - box["long0"]) or 1e-6

    def cell(expression, count):
        return Cast(Greatest(Value(0), Least(Value(count - 1), Floor(expression))), IntegerField())

    return located(queryset).annotate(
        heat_col=cell((F("long") - Value(box["long0"], FloatField())) * Value(HEAT_COLUMNS / dlong), HEAT_COLUMNS),
        heat_row=cell((Value(box["lat1"], FloatField()) - F("lat")) * Value(HEAT_ROWS / dlat), HEAT_ROWS),
    )
