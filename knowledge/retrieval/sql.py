"""SQL fragments every candidate list shares: the audience filter, vector literals, ranked rows."""

from __future__ import annotations

import math

from core.sql import agency_cursor
from knowledge.models import Audience


def vector_literal(vector) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def audience_filter(audience: str) -> tuple[str, list]:
    if audience == Audience.STAFF:
        return "", []
    return " AND audience = %s", [Audience.PUBLIC]


def finite(value) -> float | None:
    """A cosine as a float, or None when there is none: a zero vector has no direction, so pgvector and
    numpy give NaN for its cosine (a question or chunk with no lexical features, e.g. "¥"). NaN would
    rank first in PostgreSQL, poison fused scores, and is not even valid JSON."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def is_zero(vector) -> bool:
    return not any(vector)


def ranked(agency, sql: str, params: list) -> list[tuple[int, float]]:
    with agency_cursor(agency) as cursor:
        cursor.execute(sql, params)
        return [(row[0], score) for row in cursor.fetchall() if (score := finite(row[1])) is not None]
