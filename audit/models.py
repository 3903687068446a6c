"""The tamper-evident chain over the audit trail.

Every audit entry (django-auditlog's rows, whatever wrote them: the ORM, the bulk path in
`tenants/audit.py`, transcript-access entries) gets one `AuditLink` in the same transaction, written by a
database trigger (migration 0001), so no code path can skip it:

    hash = SHA-256(previous hash of the agency's chain ‖ canonical serialisation of the entry)

The trigger takes a per-agency advisory lock, so concurrent writers cannot fork a chain, and refuses
UPDATE and DELETE of audit rows (entries, links, seals) unless the table owner does it with
`civicdesk.audit_maintenance` set (retention). Entries without an agency form the platform chain
(agency 0). A daily `AuditSeal` records each chain's head, so removing the newest entries is detected.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

PLATFORM_CHAIN = 0


class AuditLink(models.Model):
    # Plain ids, not foreign keys: a deleted entry must leave its link behind (that is how it is detected).
    agency_id = models.BigIntegerField(db_index=False)
    seq = models.BigIntegerField()
    entry_id = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit chain link")
        verbose_name_plural = _("audit chain links")
        constraints = [models.UniqueConstraint(fields=["agency_id", "seq"], name="audit_link_agency_seq")]

    def __str__(self) -> str:
        return f"chain {self.agency_id} #{self.seq} {self.hash[:12]}"


class AuditSeal(models.Model):
    """A chain head as it was at a moment: its sequence number, hash and the number of links."""

    agency_id = models.BigIntegerField()
    sealed_at = models.DateTimeField(auto_now_add=True)
    head_seq = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    count = models.BigIntegerField()

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        indexes = [models.Index(fields=["agency_id", "-sealed_at"], name="audit_seal_agency_time")]

    def __str__(self) -> str:
        return f"chain {self.agency_id} sealed at #{self.head_seq}"


class AuditPrune(models.Model):
    """Retention removed a chain's oldest links up to `up_to_seq`; the next link must follow `last_hash`."""

    agency_id = models.BigIntegerField()
    up_to_seq = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField()
    pruned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit chain pruning")
        verbose_name_plural = _("audit chain prunings")
        indexes = [models.Index(fields=["agency_id", "-up_to_seq"], name="audit_prune_agency_seq")]

    def __str__(self) -> str:
        return f"chain {self.agency_id} pruned up to #{self.up_to_seq}"
