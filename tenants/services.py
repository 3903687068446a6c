"""Deleting an agency: the one path (the platform admin, benchmarks, evaluations and tests all use it).

Under row-level security (tenants.rls) Django's cascade sees an agency's rows only inside that agency's scope:
`agency.delete()` anywhere else collects none of them and the delete fails on the first foreign key. So
`delete_agency` runs the cascade inside `agency_context(agency)`, in one transaction, and records the
deletion on the platform's audit chain (who, why, what was removed, and the agency's chain head).

What happens to the agency's audit trail (`audit_trail`):
- "keep" (the default, and what the platform admin does): a government keeps the trail of a body it closes.
  Its entries, chain links and seals stay (they hold plain agency ids, not foreign keys), `audit_verify`
  still verifies that chain (as "agency <id>"), and it is readable through `cross_agency(reason=…)` or the
  owner only: no agency's scope matches it any more. The cascade's own DELETE entries are part of it.
- "purge": for throwaway agencies (benchmarks, evaluations, tests), whose trail is worth nothing. The cascade
  writes no entries, and `audit_drop_chain` (audit migration 0008, the owner's function, which refuses an
  agency that still exists) removes the entries, links, seals and prunings in the same transaction. The
  platform entry still records the chain's head and length, so the removal shows.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import ProtectedError

from core.sql import platform_cursor
from tenants.context import agency_context, cross_agency
from tenants.models import Agency

logger = logging.getLogger(__name__)

AUDIT_TRAIL_CHOICES = ("keep", "purge")


def delete_agency(agency: Agency, *, reason: str, actor=None, audit_trail: str = "keep") -> dict[str, int]:
    """Delete `agency` and everything it owns; returns the rows removed per model label."""
    if not (reason or "").strip():
        raise ValueError("delete_agency() needs a reason.")
    if audit_trail not in AUDIT_TRAIL_CHOICES:
        raise ValueError(f"audit_trail is one of {', '.join(AUDIT_TRAIL_CHOICES)}.")
    from audit.models import AuditLink

    pk, slug, name = agency.pk, agency.slug, agency.name
    with transaction.atomic():
        # Its partial vector indexes go once it is gone: DDL by the owner, on its own connection, after the
        # commit (DROP INDEX CONCURRENTLY inside this transaction would wait for it: the admin's delete view
        # runs in one).
        transaction.on_commit(lambda: _indexes_drop(pk))
        # Its stored files (documents, report photos, registration uploads, channel media) once the rows are.
        transaction.on_commit(lambda: _files_drop(pk))
        # The scope is a copy: Django sets the deleted instance's pk to None, and the scope must outlive that.
        scope = Agency(pk=pk, slug=slug, name=name)
        quiet = disable_auditlog() if audit_trail == "purge" else contextlib.nullcontext()
        with agency_context(scope), quiet:
            removed = _cascade(agency)
        with cross_agency(reason="an agency was deleted: its chain head and the platform's record of it"):
            with platform_cursor("link the deleted agency's audit entries now", connection=connection) as cursor:
                cursor.execute("SET CONSTRAINTS audit_link_entry IMMEDIATE")
            head = AuditLink.objects.filter(agency_id=pk).order_by("-seq").values_list("seq", "hash").first()
            links = AuditLink.objects.filter(agency_id=pk).count()
            purged = _audit_chain_drop(pk) if audit_trail == "purge" else 0
            LogEntry.objects.create(
                content_type=ContentType.objects.get_for_model(Agency),
                object_pk=str(pk),
                object_id=pk,
                object_repr=name,
                action=LogEntry.Action.DELETE,
                changes_text=f"agency {slug} deleted: {reason.strip()}",
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_email=getattr(actor, "email", None) if getattr(actor, "is_authenticated", False) else None,
                # No `agency_id`: the platform's chain, which outlives the agency.
                additional_data={
                    "deleted_agency": {"id": pk, "slug": slug, "name": name},
                    "reason": reason.strip(),
                    "audit_trail": audit_trail,
                    "chain_head": {"seq": head[0], "hash": head[1]} if head else None,
                    "chain_links": links,
                    "audit_entries_purged": purged,
                    "removed": {label: count for label, count in sorted(removed.items()) if count},
                },
            )
    return removed


def _cascade(agency: Agency) -> dict[str, int]:
    """`agency.delete()`, first removing the agency's rows that a PROTECT key would refuse to leave behind
    (a service request protects its category: the cascade from the agency reaches the category first)."""
    removed: Counter = Counter()
    for _attempt in range(10):
        try:
            with transaction.atomic():
                _total, counts = agency.delete()
        except ProtectedError as error:
            for model in {type(row) for row in error.protected_objects}:
                _total, counts = model._base_manager.filter(agency_id=agency.pk).delete()
                removed.update(counts)
            continue
        removed.update(counts)
        return dict(removed)
    raise RuntimeError(f"agency {agency.pk}: rows protected by foreign keys are still left")


# Where an agency's files live: every upload path carries the agency id (knowledge.models.version_upload_path,
# requests_app photo_path, registrations upload_path, messaging.media).
AGENCY_MEDIA = ("knowledge/agency-{id}/", "requests/{id}/", "registrations/{id}/", "messaging/{id}/")


def _files_drop(agency_id: int) -> int:
    removed = sum(_storage_tree_delete(prefix.format(id=int(agency_id))) for prefix in AGENCY_MEDIA)
    if removed:
        logger.info("Agency %s deleted: %s stored files removed", agency_id, removed)
    return removed


def _storage_tree_delete(prefix: str) -> int:
    from django.core.files.storage import default_storage

    try:
        directories, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return 0
    for name in files:
        default_storage.delete(prefix + name)
    return len(files) + sum(_storage_tree_delete(f"{prefix}{directory}/") for directory in directories)


def _indexes_drop(agency_id: int) -> None:
    from knowledge import indexes

    gone = Agency(pk=agency_id)
    with agency_context(gone):
        indexes.agency_indexes_ensure(agency=gone, force=False)


def _audit_chain_drop(agency_id: int) -> int:
    with platform_cursor("a deleted throwaway agency's audit chain is dropped") as cursor:
        cursor.execute("SELECT audit_drop_chain(%s)", [int(agency_id)])
        (removed,) = cursor.fetchone()
    return int(removed)
