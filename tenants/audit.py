"""The audit trail: which models are audited, and reads of an agency's entries."""

from collections.abc import Iterable
from datetime import date

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.encoding import smart_str


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
        .order_by("-timestamp", "-pk")
    )


def audit_entries_filtered(
    *,
    agency,
    actor_id: int | None = None,
    content_type_id: int | None = None,
    action: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    reference: str = "",
) -> QuerySet[LogEntry]:
    """One agency's entries, newest first, narrowed by the audit page's filters. Dates are days in
    the current time zone, both ends included."""
    entries = audit_entries_for_agencies(agency_ids=[agency.pk])
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if content_type_id is not None:
        entries = entries.filter(content_type_id=content_type_id)
    if action is not None:
        entries = entries.filter(action=action)
    if date_from is not None:
        entries = entries.filter(timestamp__date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(timestamp__date__lte=date_to)
    if reference:
        entries = entries.filter(object_repr__icontains=reference)
    return entries


def audited_content_types() -> list[ContentType]:
    """The kinds of record in the trail, for the filter, sorted by their name."""
    models = [model for model in auditlog.get_models() if not model._meta.abstract]
    types = ContentType.objects.get_for_models(*models).values()
    return sorted(types, key=lambda ct: str(ct.model_class()._meta.verbose_name_plural).lower())


def audit_updates(changed: Iterable[tuple[Model, Model]], *, fields: Iterable[str]) -> list[LogEntry]:
    """Write the entries django-auditlog would write for saving each `(old, new)` pair with
    `update_fields=fields`, in one INSERT: for `bulk_update`, which sends no signals.

    The entries are the same as auditlog's own (diff with the model's include/exclude/mask options,
    repr, additional data with the agency, correlation id, and the actor and remote address of the
    current `set_actor` context)."""
    context = auditlog_value.get({})
    actor = context.get("actor")
    if not isinstance(actor, get_user_model()):
        actor = None
    fields = list(fields)
    entries = []
    for old, new in changed:
        changes = model_instance_diff(
            old, new, fields_to_check=fields, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
        )
        if not changes:
            continue
        get_additional_data = getattr(new, "get_additional_data", None)
        entries.append(
            LogEntry(
                content_type=ContentType.objects.get_for_model(new),
                object_pk=str(new.pk),
                object_id=new.pk if isinstance(new.pk, int) else None,
                object_repr=smart_str(new),
                serialized_data=LogEntry.objects._get_serialized_data_or_none(new),
                action=LogEntry.Action.UPDATE,
                changes=changes,
                actor=actor,
                actor_email=getattr(actor, "email", None) if actor else None,
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
                additional_data=get_additional_data() if callable(get_additional_data) else None,
                cid=get_cid(),
            )
        )
    return LogEntry.objects.bulk_create(entries)
