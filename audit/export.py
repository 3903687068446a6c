"""An agency's audit chain for a date range, with the hashes, as CSV or JSON (for offline verification
with `python -m audit.verify_export`, see docs/audit.md).

The range is a contiguous run of links (by sequence number) from the first entry written on `date_from`
to the last written on `date_to` in the agency's time zone, so the exported chain has no holes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from audit.models import AuditSeal
from core.sql import agency_cursor

FIELDS = ["seq", "entry_id", "timestamp", "actor", "action", "object", "prev_hash", "hash", "payload"]
ACTIONS = {0: "create", 1: "update", 2: "delete", 3: "access"}


def _bounds(agency, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(agency.timezone)
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def export_rows(*, agency, date_from: dt.date, date_to: dt.date, batch: int = 2000) -> Iterator[dict]:
    start, end = _bounds(agency, date_from, date_to)
    with agency_cursor(agency) as cursor:
        cursor.execute(
            "SELECT min(l.seq), max(l.seq) FROM audit_auditlink l JOIN auditlog_logentry e ON e.id = l.entry_id "
            'WHERE l.agency_id = %s AND e."timestamp" >= %s AND e."timestamp" < %s',
            [agency.pk, start, end],
        )
        first, last = cursor.fetchone()
    if first is None:
        return
    after = first - 1
    while after < last:
        with agency_cursor(agency) as cursor:
            cursor.execute(
                'SELECT l.seq, l.entry_id, e."timestamp", u.username, e.action, e.object_repr, l.prev_hash, l.hash, '
                "audit_entry_canonical(e) FROM audit_auditlink l "
                "LEFT JOIN auditlog_logentry e ON e.id = l.entry_id "
                "LEFT JOIN auth_user u ON u.id = e.actor_id "
                "WHERE l.agency_id = %s AND l.seq > %s AND l.seq <= %s ORDER BY l.seq LIMIT %s",
                [agency.pk, after, last, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        for seq, entry_id, timestamp, actor, action, repr_, prev_hash, hash_, payload in rows:
            yield {
                "seq": seq,
                "entry_id": entry_id,
                "timestamp": timestamp.isoformat() if timestamp else None,
                "actor": actor or "",
                "action": ACTIONS.get(action, "") if action is not None else "",
                "object": repr_ or "",
                "prev_hash": prev_hash,
                "hash": hash_,
                "payload": payload,  # None when the entry is gone: offline verification flags it
            }
        after = rows[-1][0]


def seals_for(agency) -> list[dict]:
    return [
        {
            "sealed_at": seal.sealed_at.isoformat(),
            "head_seq": seal.head_seq,
            "head_hash": seal.head_hash,
            "count": seal.count,
        }
        for seal in AuditSeal.objects.filter(agency_id=agency.pk).order_by("sealed_at")
    ]


def export_json(*, agency, date_from: dt.date, date_to: dt.date) -> Iterator[str]:
    """Streamed JSON: the header, then each entry (one per line inside the array)."""
    header = {
        "format": "civicdesk-audit-chain/1",
        "agency": agency.slug,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(),
        "hash": "sha256(prev_hash + payload), hex; the first link of a chain has prev_hash 64 zeros",
        "seals": seals_for(agency),
    }
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "entries": [\n'
    first = True
    for row in export_rows(agency=agency, date_from=date_from, date_to=date_to):
        yield ("" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def export_csv(*, agency, date_from: dt.date, date_to: dt.date) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in export_rows(agency=agency, date_from=date_from, date_to=date_to):
        writer.writerow({**row, "payload": row["payload"] if row["payload"] is not None else ""})
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
