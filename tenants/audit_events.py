"""Sentences for the audit entries that code writes by hand (`LogEntry.objects.log_create(…)` with its own
additional data): an export of the trail, a transcript read, a form completed for a citizen, an erasure,
a retention run. What happened is read from the stable keys of the entry's additional data, so the sentence
is in the reader's language whatever the writer's was; the English `changes_text` those entries also carry
stays as stored (it is part of the chained evidence and of exports)."""

import datetime

from auditlog.models import LogEntry
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenants.audit_labels import object_label


def _day(value) -> str:
    try:
        return date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)


def event_sentence(entry: LogEntry, actor: str) -> str | None:
    """The sentence for a hand-written entry, or None for an ordinary one."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    ref = object_label(entry)
    export = data.get("export")
    if isinstance(export, dict) and entry.action == LogEntry.Action.ACCESS:
        return _("%(actor)s exported the audit trail from %(from)s to %(to)s (%(format)s)") % {
            "actor": actor,
            "from": _day(export.get("from", "")),
            "to": _day(export.get("to", "")),
            "format": str(export.get("format", "")).upper(),
        }
    if "access" in data and entry.action == LogEntry.Action.ACCESS:
        return _("%(actor)s read the transcript of %(ref)s") % {"actor": actor, "ref": ref}
    completed = data.get("completed_for_citizen")
    if isinstance(completed, dict):
        return _("%(actor)s filed %(reference)s for the citizen from %(ref)s") % {
            "actor": actor,
            "reference": completed.get("reference", ""),
            "ref": ref,
        }
    if isinstance(data.get("attached_for_citizen"), dict):
        return _("%(actor)s attached a file for the citizen in %(ref)s") % {"actor": actor, "ref": ref}
    if isinstance(data.get("erasure"), dict):
        return _("%(actor)s erased a citizen's data") % {"actor": actor}
    if isinstance(data.get("retention"), dict):
        return _("Data past its retention period was removed")
    if isinstance(data.get("lost_reference"), dict):
        return _("Someone asked for their references by e-mail")
    return None
