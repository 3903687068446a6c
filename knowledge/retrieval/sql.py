"""SQL fragments every candidate list shares: the audience filter, vector literals, ranked rows."""

from __future__ import annotations

from core.sql import agency_cursor
from knowledge.models import Audience


def vector_literal(vector) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def audience_filter(audience: str) -> tuple[str, list]:
    if audience == Audience.STAFF:
        return "", []
    return " AND audience = %s", [Audience.PUBLIC]


def ranked(agency, sql: str, params: list) -> list[tuple[int, float]]:
    with agency_cursor(agency) as cursor:
        cursor.execute(sql, params)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
