"""Retry safety of filing: a repeated submission (the same Idempotency-Key per API key, or the same device
and description within a minute) returns the first request instead of filing it twice."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.sql import agency_cursor
from requests_app.models import ApiKey, ServiceRequest
from tenants.models import Agency

DEVICE_REPEAT_WINDOW = timedelta(minutes=1)
# Retry checks (table name from the model; every value is a parameter). An Idempotency-Key match
# wins over a device repeat.
_TABLE = ServiceRequest._meta.db_table
IDEMPOTENCY_SQL = (
    f"SELECT 0, id FROM {_TABLE} WHERE agency_id = %s AND idempotency_key = %s"  # noqa: S608
    " AND api_key_id IS NOT DISTINCT FROM %s"
)
DEVICE_REPEAT_SQL = (
    f"SELECT 1, id FROM {_TABLE} WHERE agency_id = %s AND device_id = %s"  # noqa: S608
    " AND description = %s AND created_at >= %s"
)


def _lock_key(agency: Agency, *parts: str) -> tuple[int, int]:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return agency.pk, int.from_bytes(digest[:4], "big", signed=True)


def retry_of(agency: Agency, *, api_key: ApiKey | None, idempotency_key: str, device_id: str, text: str):
    """The request this filing repeats, if any: the same Idempotency-Key (per API key), or the same
    device and description within a minute. Filings that share a retry key are serialised by
    transaction-scoped advisory locks, taken in one statement and in a fixed order (no deadlock),
    before the check reads (a separate statement: it must see what the lock holder committed).

    Runs on every Open311 POST and nearly always finds nothing, so it is two small statements; the
    row is loaded only when found."""
    locks, checks, params = [], [], []
    if idempotency_key:
        locks.append(_lock_key(agency, "idem", str(api_key.pk if api_key else 0), idempotency_key))
        checks.append(IDEMPOTENCY_SQL)
        params += [agency.pk, idempotency_key, api_key.pk if api_key else None]
    if device_id:
        locks.append(_lock_key(agency, "device", device_id))
        checks.append(DEVICE_REPEAT_SQL)
        params += [agency.pk, device_id, text, timezone.now() - DEVICE_REPEAT_WINDOW]
    if not locks:
        return None
    locks.sort()
    with agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT " + ", ".join("pg_advisory_xact_lock(%s, %s)" for _lock in locks),
            [number for lock in locks for number in lock],
        )
        cursor.execute(" UNION ALL ".join(f"({check})" for check in checks) + " ORDER BY 1, 2 LIMIT 1", params)
        row = cursor.fetchone()
    if row is None:
        return None
    return ServiceRequest.objects.for_agency(agency).select_related("duplicate_of").get(pk=row[1])


def repeat_notice() -> str:
    return _("This report was already received; no second request was created.")
