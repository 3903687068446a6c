"""The audit trail: which models are audited, and reads of an agency's entries."""

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import QuerySet


def audited(model=None, **options):
    """Class decorator: register a domain model with django-auditlog.

    Tenant-owned models put `{"agency_id": …}` into each entry's additional data (see
    `TenantOwned.get_additional_data`), which is how entries are scoped to an agency.
    """

    def register(cls):
        auditlog.register(cls, **options)
        return cls

    return register(model) if model is not None else register


def audit_entries_for_agencies(*, agency_ids) -> QuerySet[LogEntry]:
    return (
        LogEntry.objects.filter(additional_data__agency_id__in=list(agency_ids))
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
