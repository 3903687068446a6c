"""Yearly reference numbers per agency (SPR-2026-000123, REV-REG-2026-000045).

Each agency, kind and year counts with its own PostgreSQL sequence, created on first use. `nextval`
never waits for another transaction, so concurrent filings do not queue for a number. (A counter row
updated inside the filing's transaction stays locked until that transaction commits, which capped
Open311 intake at ~180 filings/s here: see bench/requests/RESULTS.md.) Numbers are unique and
increasing; a filing that rolls back leaves a gap, as with any sequence.
"""

import hashlib
import re

from django.db import connection, transaction

from core.sql import platform_cursor

_KIND = re.compile(r"^[a-z]{1,20}$")
_created: set[str] = set()  # sequences this process has seen committed


def sequence_name(*, kind: str, agency_id: int, year: int) -> str:
    if not _KIND.match(kind):
        raise ValueError(f"Bad sequence kind {kind!r}")
    return f"refseq_{kind}_{int(agency_id)}_{int(year)}"


def sequence_ensure(cursor, name: str, *, after: int = 0) -> None:
    """Create the sequence if it does not exist (creators of one name take turns), numbering from
    `after + 1`; an existing one that has not yet given `after` is moved past it."""
    lock = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is None:
        cursor.execute(f"CREATE SEQUENCE {name} AS bigint MINVALUE 1 START WITH {int(after) + 1}")
        return
    if after:
        cursor.execute(f"SELECT last_value, is_called FROM {name}")  # noqa: S608 - our own name
        last, called = cursor.fetchone()
        if (last if called else last - 1) < after:
            cursor.execute("SELECT setval(%s::regclass, %s, true)", [name, after])


def yearly_number(*, kind: str, agency_id: int, year: int) -> int:
    """The next number of `kind` (e.g. "requests") for the agency in `year`, starting at 1."""
    name = sequence_name(kind=kind, agency_id=agency_id, year=year)
    with platform_cursor("a reference-number sequence (named by agency; no tenant rows)") as cursor:
        if name not in _created:
            # The app's role may not run DDL: the owner's function creates the sequence (tenants migration 0006).
            cursor.execute("SELECT civicdesk_sequence_ensure(%s)", [name])
            if connection.in_atomic_block:
                transaction.on_commit(lambda: _created.add(name))  # a rollback undoes the CREATE
            else:
                _created.add(name)
        cursor.execute("SELECT nextval(%s::regclass)", [name])
        (number,) = cursor.fetchone()
    return number


def counters_to_sequences(app_label: str, kind: str):
    """The RunPython step of the migrations that replaced an app's counter table (a row per agency
    and year, locked until each filing committed) with these sequences: each counter becomes a
    sequence continuing after its last number."""

    def forward(apps, schema_editor):
        counters = apps.get_model(app_label, "ReferenceSequence")._base_manager.using(schema_editor.connection.alias)
        with platform_cursor("migrating counters to sequences", connection=schema_editor.connection) as cursor:
            for counter in counters:
                name = sequence_name(kind=kind, agency_id=counter.agency_id, year=counter.year)
                sequence_ensure(cursor, name, after=counter.last_value)

    return forward
