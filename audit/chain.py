"""Verify and seal the audit chains (see `audit.models` for how they are written).

A chain verifies when, in `seq` order from 1 (or from the first link kept after retention pruned the
oldest, whose `prev_hash` is then taken as given), each link's `prev_hash` is the previous link's
`hash`, each link's entry still exists, and `SHA-256(prev_hash ‖ canonical(entry as it is now))` is the
link's `hash`; and every seal's head is still in the chain with its hash, with at least as many links.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from audit.models import PLATFORM_CHAIN, AuditLink, AuditPrune, AuditSeal
from core.sql import agency_cursor, platform_cursor

GENESIS = "0" * 64


@dataclass
class ChainReport:
    agency_id: int
    links: int = 0
    problems: list[str] = field(default_factory=list)
    first_bad_entry_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, entry_id: int | None, message: str) -> None:
        if self.first_bad_entry_id is None and entry_id is not None:
            self.first_bad_entry_id = entry_id
        self.problems.append(message)


def link_hash(prev_hash: str, payload: str) -> str:
    """The hash of one link: SHA-256 over the previous hash (hex) followed by the canonical entry (UTF-8)."""
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def chain_ids() -> list[int]:
    # unscoped: verification and sealing read every agency's chain (operators and beat only)
    return list(AuditLink.objects.values_list("agency_id", flat=True).distinct().order_by("agency_id"))


def chain_rows(agency_id: int, *, batch: int = 2000) -> Iterator[tuple[int, int, str, str, int | None, str | None]]:
    """(seq, entry_id, prev_hash, hash, the entry's id if it still exists, its canonical form now), by seq."""
    after = 0
    while True:
        with agency_cursor(agency_id) as cursor:
            cursor.execute(
                "SELECT l.seq, l.entry_id, l.prev_hash, l.hash, e.id, audit_entry_canonical(e) "
                "FROM audit_auditlink l LEFT JOIN auditlog_logentry e ON e.id = l.entry_id "
                "WHERE l.agency_id = %s AND l.seq > %s ORDER BY l.seq LIMIT %s",
                [agency_id, after, batch],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield from rows
        after = rows[-1][0]


def chain_verify(agency_id: int) -> ChainReport:
    report = ChainReport(agency_id=agency_id)
    prune = AuditPrune.objects.filter(agency_id=agency_id).order_by("-up_to_seq").first()
    # Retention may have removed the oldest links: the chain then starts right after the recorded pruning.
    expected_prev = prune.last_hash if prune else None
    expected_seq = prune.up_to_seq + 1 if prune else None
    hashes_by_seq: dict[int, str] = {}
    for seq, entry_id, prev_hash, stored_hash, found_id, payload in chain_rows(agency_id):
        report.links += 1
        if expected_seq is not None and seq != expected_seq:
            report.fail(entry_id, f"links {expected_seq}..{seq - 1} are missing (before entry {entry_id})")
        if expected_prev is not None and prev_hash != expected_prev:
            report.fail(entry_id, f"entry {entry_id} (link {seq}) does not follow the link before it")
        elif expected_prev is None and seq == 1 and prev_hash != GENESIS:
            report.fail(entry_id, f"entry {entry_id} starts the chain without the genesis hash")
        if found_id is None:
            report.fail(entry_id, f"entry {entry_id} (link {seq}) was deleted")
        elif link_hash(prev_hash, payload) != stored_hash:
            report.fail(entry_id, f"entry {entry_id} (link {seq}) was changed after it was written")
        hashes_by_seq[seq] = stored_hash
        expected_prev, expected_seq = stored_hash, seq + 1
    if prune is None and report.links and min(hashes_by_seq) != 1:
        report.fail(None, f"links 1..{min(hashes_by_seq) - 1} are missing and no retention run removed them")
    seals = AuditSeal.objects.filter(agency_id=agency_id).order_by("sealed_at")
    if prune is not None:
        seals = seals.filter(head_seq__gt=prune.up_to_seq)
    for seal in seals:
        if hashes_by_seq.get(seal.head_seq) != seal.head_hash:
            report.fail(
                None, f"the seal of {seal.sealed_at:%Y-%m-%d %H:%M} UTC names link {seal.head_seq}, now gone or changed"
            )
        elif (expected_seq or 1) - 1 < seal.head_seq:
            report.fail(None, f"the chain ends before the head sealed at {seal.sealed_at:%Y-%m-%d %H:%M} UTC")
    return report


def chain_head(agency_id: int) -> AuditLink | None:
    return AuditLink.objects.filter(agency_id=agency_id).order_by("-seq").first()


def chains_seal() -> list[AuditSeal]:
    """Record each chain's head (the daily seal, from beat)."""
    from tenants.context import cross_agency

    seals = []
    with cross_agency(reason="the daily seal records every agency's audit chain head"):
        for agency_id in chain_ids():
            head = chain_head(agency_id)
            if head is None:
                continue
            count = AuditLink.objects.filter(agency_id=agency_id).count()
            seals.append(
                AuditSeal.objects.create(agency_id=agency_id, head_seq=head.seq, head_hash=head.hash, count=count)
            )
    return seals


def chain_summary(agency_id: int) -> dict:
    """What the audit page shows: the chain's length and head, and the latest seals."""
    head = chain_head(agency_id)
    seals = list(AuditSeal.objects.filter(agency_id=agency_id).order_by("-sealed_at")[:7])
    return {"head": head, "seals": seals}


def audit_prune(*, agency_id: int, entry_ids) -> int:
    """Remove the oldest run of the chain whose entries are all in `entry_ids` (retention), recording where
    the chain now starts. Returns how many entries went. Needs the tables' owner (the trigger refuses others)."""
    due = set(entry_ids)
    prefix = []
    for seq, entry_id, hash_ in (
        AuditLink.objects.filter(agency_id=agency_id).order_by("seq").values_list("seq", "entry_id", "hash")[: len(due)]
    ):
        if entry_id not in due:
            break
        prefix.append((seq, entry_id, hash_))
    if not prefix:
        return 0
    # The app's role cannot delete audit rows; the owner's function removes exactly this prefix and records
    # the AuditPrune row (audit migration 0005).
    with transaction.atomic(), platform_cursor("retention prunes a chain's oldest links") as cursor:
        cursor.execute("SELECT audit_prune_prefix(%s, %s)", [int(agency_id), int(prefix[-1][0])])
        (removed,) = cursor.fetchone()
    return int(removed)


@contextlib.contextmanager
def audit_maintenance(using: str | None = None):
    """Allow the table owner to change or delete audit rows inside this block, on the owner's connection
    (`DATABASES["owner"]`, the default here; tests that deliberately tamper). The application's role is
    refused even here (the trigger checks the owner)."""
    from django.db import connections

    from tenants.dbroles import owner_alias

    using = using or owner_alias()
    with (
        transaction.atomic(using=using),
        platform_cursor("the audit maintenance switch of this transaction", connection=connections[using]) as cursor,
    ):
        cursor.execute("SELECT set_config('civicdesk.audit_maintenance', 'on', true)")
        yield
        cursor.execute("SELECT set_config('civicdesk.audit_maintenance', 'off', true)")


__all__ = ["PLATFORM_CHAIN", "ChainReport", "audit_maintenance", "chain_verify", "chains_seal", "link_hash"]
