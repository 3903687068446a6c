"""The audit trail for people: one sentence per entry ("Dana moved SPR-2026-000009 from Acknowledged
to In progress"), only the fields that really changed, with their labels and display values.

Sentences are chosen per kind of record (`SENTENCES`, keyed by `app_label.model`); every other kind
gets a plain "created / changed … of / deleted / viewed" sentence. Entries keep auditlog's raw
diff, which the page shows one click away."""

import contextlib
import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tenants.audit_events import event_sentence
from tenants.audit_labels import object_label
from tenants.audit_translations import translation_changes

# auditlog writes "None" for empty values and "<app>.<Model>.None" for reverse relations and m2m
# managers on a created row: neither is a change a person made.
_EMPTY_VALUES = frozenset({"None", "", "[]", "{}", "False", "0"})
_MANAGER_REPR = re.compile(r"^[\w]+\.[\w]+\.None$")
_TRUNCATE = 120

# auditlog's own action names are translated into two languages only (ja, ko), so the trail names them itself.
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("Viewed"),
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class AuditRow:
    entry: LogEntry
    actor_name: str
    sentence: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.entry.action, self.entry.get_action_display()))

    @property
    def raw(self) -> list[tuple[str, str, str]]:
        return [(name, *_raw_pair(values)) for name, values in (self.entry.changes_dict or {}).items()]


def _raw_pair(values) -> tuple[str, str]:
    if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation": "add", "objects": [...]}
        objects = ", ".join(str(item) for item in values.get("objects", []))
        return "", f"{values.get('operation', '')}: {objects}"
    return str(values[0]), str(values[1])


def _model_of(entry: LogEntry) -> type[models.Model] | None:
    return entry.content_type.model_class() if entry.content_type_id else None


def _field(model, name: str) -> models.Field | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # Reverse relations and m2m managers are not columns of this record.
    return found if getattr(found, "concrete", False) else None


def _raw_changes(entry: LogEntry) -> dict[str, tuple[str, str]]:
    """The changed columns only: no "None → None", no manager reprs, no empty values on a new row."""
    model = _model_of(entry)
    out = {}
    for name, values in (entry.changes_dict or {}).items():
        if not isinstance(values, list | tuple) or len(values) != 2:
            continue
        old, new = (str(v) if v is not None else "None" for v in values)
        if _MANAGER_REPR.match(old) or _MANAGER_REPR.match(new):
            continue
        fld = _field(model, name) if model is not None else None
        if model is not None and (fld is None or _bookkeeping(fld)):
            continue
        if old == new or ({old, new} <= {"None", ""}):
            continue
        if entry.action == LogEntry.Action.CREATE and new in _EMPTY_VALUES:
            continue
        out[name] = (old, new)
    return out


def _bookkeeping(fld: models.Field) -> bool:
    """Columns that say nothing a person did: the key, the agency, automatic timestamps."""
    return bool(
        fld.primary_key
        or fld.name == "agency"
        or getattr(fld, "auto_now", False)
        or getattr(fld, "auto_now_add", False)
    )


class _Resolver:
    """Display values for foreign keys on one page of entries, with one query per related model."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], str], str] = {}

    def want(self, related: type[models.Model], value: str) -> None:
        if value not in ("None", ""):
            self.wanted[related].add(value)

    def load(self) -> None:
        user_model = get_user_model()
        for related, pks in self.wanted.items():
            manager = related._default_manager
            clean = []
            for pk in pks:
                # A legacy value that is not a key is shown as stored.
                with contextlib.suppress(ValidationError):
                    clean.append(related._meta.pk.to_python(pk))
            # A model with a `display_name` property names its rows in the reader's language (feedback topics).
            shown = isinstance(getattr(related, "display_name", None), property)
            for obj in manager.filter(pk__in=clean):
                name = person_name(obj) if related is user_model else (obj.display_name if shown else str(obj))
                self.names[(related, str(obj.pk))] = name

    def name(self, related: type[models.Model], value: str) -> str:
        if value in ("None", ""):
            return ""
        return self.names.get((related, value), _("deleted record #%(id)s") % {"id": value})


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _display(model, name: str, value: str, resolver: _Resolver) -> str:
    fld = _field(model, name) if model is not None else None
    if fld is None:
        return value
    if value in ("None", ""):
        return ""
    if fld.is_relation and fld.related_model is not None:
        return resolver.name(fld.related_model, value)
    if fld.choices:
        return str(dict(fld.flatchoices).get(value, value))
    if isinstance(fld, models.BooleanField):
        return _("yes") if value == "True" else _("no") if value == "False" else value
    if isinstance(fld, models.DateTimeField):
        parsed = parse_datetime(value)
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, datetime.UTC)
            return date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
    return value if len(value) <= _TRUNCATE else value[: _TRUNCATE - 1] + "…"


# Columns that django-guardian's base classes give the case sharing tables, without a translatable name.
_INHERITED_NAMES = {
    "permission": gettext_lazy("permission"),
    "user": gettext_lazy("staff member"),
    "group": gettext_lazy("group"),
}


def field_name_for_people(model, name: str) -> str:
    """The field's name as the trail shows it: its translated verbose name, written as it is written (lower case
    in English, a German noun keeps its capital)."""
    fld = _field(model, name) if model is not None else None
    if fld is None:
        return name
    if not isinstance(fld.verbose_name, Promise) and name in _INHERITED_NAMES:
        return str(_INHERITED_NAMES[name])
    return str(fld.verbose_name)


# --- Sentences --------------------------------------------------------------------------------------
# Each takes (entry, actor, changes as {field: (old display, new display)}) and returns a sentence or
# None to fall back to the generic one.
SentenceFn = Callable[[LogEntry, str, dict[str, tuple[str, str]]], str | None]


def _moved(actor: str, ref: str, changes: dict) -> str | None:
    if "status" in changes:
        old, new = changes["status"]
        if old:
            return _("%(actor)s moved %(ref)s from %(old)s to %(new)s") % {
                "actor": actor,
                "ref": ref,
                "old": old,
                "new": new,
            }
        return _("%(actor)s set %(ref)s to %(new)s") % {"actor": actor, "ref": ref, "new": new}
    return None


def _service_request(entry: LogEntry, actor: str, changes: dict) -> str | None:
    ref = object_label(entry)
    if entry.action == LogEntry.Action.CREATE:
        source = changes.get("source", ("", ""))[1]
        if source:
            return _("%(actor)s filed %(ref)s (%(source)s)") % {"actor": actor, "ref": ref, "source": source}
        return _("%(actor)s filed %(ref)s") % {"actor": actor, "ref": ref}
    if entry.action != LogEntry.Action.UPDATE:
        return None
    if (sentence := _moved(actor, ref, changes)) is not None:
        return sentence
    if "duplicate_of" in changes and changes["duplicate_of"][1]:
        return _("%(actor)s merged %(ref)s into %(other)s") % {
            "actor": actor,
            "ref": ref,
            "other": changes["duplicate_of"][1],
        }
    if "assignee" in changes:
        who = changes["assignee"][1]
        if who:
            return _("%(actor)s assigned %(ref)s to %(who)s") % {"actor": actor, "ref": ref, "who": who}
        return _("%(actor)s unassigned %(ref)s") % {"actor": actor, "ref": ref}
    if "department" in changes and changes["department"][1]:
        return _("%(actor)s routed %(ref)s to %(department)s") % {
            "actor": actor,
            "ref": ref,
            "department": changes["department"][1],
        }
    return None


def _registration(entry: LogEntry, actor: str, changes: dict) -> str | None:
    if entry.action == LogEntry.Action.UPDATE:
        ref = changes.get("reference", ("", ""))[1] or object_label(entry)
        return _moved(actor, ref, changes)
    if entry.action == LogEntry.Action.CREATE:
        return _("%(actor)s started an application: %(ref)s") % {"actor": actor, "ref": object_label(entry)}
    return None


def _conversation(entry: LogEntry, actor: str, changes: dict) -> str | None:
    ref = object_label(entry)
    if entry.action == LogEntry.Action.CREATE:
        return _("A citizen started %(ref)s") % {"ref": ref}
    if entry.action != LogEntry.Action.UPDATE:
        return None
    state = changes.get("state", ("", ""))[1]
    raw_state = entry.changes_dict.get("state", [None, None])[1] if "state" in changes else None
    if raw_state == "queued":
        return _("%(ref)s was queued for a person") % {"ref": ref}
    if raw_state == "agent":
        return _("%(actor)s took over %(ref)s") % {"actor": actor, "ref": ref}
    if raw_state == "closed":
        return _("%(actor)s closed %(ref)s") % {"actor": actor, "ref": ref}
    if raw_state == "bot":
        return _("%(actor)s handed %(ref)s back to the assistant") % {"actor": actor, "ref": ref}
    if state:
        return _("%(actor)s set %(ref)s to %(new)s") % {"actor": actor, "ref": ref, "new": state}
    if "csat_score" in changes and changes["csat_score"][1]:
        return _("The citizen rated %(ref)s %(score)s out of 5") % {"ref": ref, "score": changes["csat_score"][1]}
    return None


def _membership(entry: LogEntry, actor: str, changes: dict) -> str | None:
    if entry.action == LogEntry.Action.CREATE and "role" in changes:
        return _("%(actor)s gave %(who)s the role %(role)s") % {
            "actor": actor,
            "who": changes.get("user", ("", ""))[1] or object_label(entry),
            "role": changes["role"][1],
        }
    if entry.action == LogEntry.Action.UPDATE and "role" in changes:
        return _("%(actor)s changed the role of %(who)s from %(old)s to %(new)s") % {
            "actor": actor,
            "who": object_label(entry),
            "old": changes["role"][0],
            "new": changes["role"][1],
        }
    return None


def _document_version(entry: LogEntry, actor: str, changes: dict) -> str | None:
    if entry.action == LogEntry.Action.UPDATE and "status" in changes:
        return _("%(ref)s is now %(status)s") % {"ref": object_label(entry), "status": changes["status"][1]}
    if entry.action == LogEntry.Action.CREATE:
        return _("%(actor)s uploaded %(ref)s") % {"actor": actor, "ref": object_label(entry)}
    return None


def _notification(entry: LogEntry, actor: str, changes: dict) -> str | None:
    """A staff decision on the notification outbox (requests_app.services.outbox_staff)."""
    decision = ((entry.additional_data or {}).get("outbox") or {}).get("decision")
    if decision == "retry":
        return _("%(actor)s put notification %(ref)s back in the outbox to be sent again") % {
            "actor": actor,
            "ref": object_label(entry),
        }
    if decision == "discard":
        return _("%(actor)s discarded notification %(ref)s: it will not be sent") % {
            "actor": actor,
            "ref": object_label(entry),
        }
    return None


SENTENCES: dict[str, SentenceFn] = {
    "requests_app.servicerequest": _service_request,
    "registrations.registration": _registration,
    "chat.conversation": _conversation,
    "tenants.membership": _membership,
    "knowledge.documentversion": _document_version,
    "requests_app.notification": _notification,
}


def _generic(entry: LogEntry, actor: str, changes: list[str], kind: str) -> str:
    ref = object_label(entry)
    params = {"actor": actor, "kind": kind, "ref": ref}
    if entry.action == LogEntry.Action.CREATE:
        return _("%(actor)s created %(kind)s “%(ref)s”") % params
    if entry.action == LogEntry.Action.DELETE:
        return _("%(actor)s deleted %(kind)s “%(ref)s”") % params
    if entry.action == LogEntry.Action.ACCESS:
        return _("%(actor)s viewed %(kind)s “%(ref)s”") % params
    labels = ", ".join(changes) if changes else ""
    if labels:
        return _("%(actor)s changed %(fields)s of %(kind)s “%(ref)s”") % {**params, "fields": labels}
    return _("%(actor)s changed %(kind)s “%(ref)s”") % params


def _actor_name(entry: LogEntry) -> str:
    if entry.actor_id:
        return person_name(entry.actor)
    # A request from a browser without a staff login is a citizen; no address: a background job.
    return _("A visitor") if entry.remote_addr else _("The system")


def _subject(entry: LogEntry, name: str) -> str:
    """The actor as its sentence's subject: a person with a language's courtesy (Korean "김 님이"), not the system."""
    if entry.actor_id:
        return pgettext("the person who did what an audit sentence tells", "%(name)s") % {"name": name}
    return name


def audit_rows(entries: Iterable[LogEntry]) -> list[AuditRow]:
    """Render one page of entries (select_related actor and content_type) for people."""
    entries = list(entries)
    resolver = _Resolver()
    raws = []
    for entry in entries:
        model = _model_of(entry)
        raw = _raw_changes(entry)
        raws.append(raw)
        if model is None:
            continue
        for name, (old, new) in raw.items():
            fld = _field(model, name)
            if fld is not None and fld.is_relation and fld.related_model is not None:
                resolver.want(fld.related_model, old)
                resolver.want(fld.related_model, new)
    resolver.load()
    rows = []
    for entry, raw in zip(entries, raws, strict=True):
        model = _model_of(entry)
        by_field = {
            name: (_display(model, name, old, resolver), _display(model, name, new, resolver))
            for name, (old, new) in raw.items()
        }
        row = AuditRow(entry=entry, actor_name=_actor_name(entry))
        names = {name: field_name_for_people(model, name) for name in by_field}
        row.changes = []
        for name, (old, new) in by_field.items():
            per_text = translation_changes(model, *raw[name]) if name == "translations" and model is not None else None
            if per_text is None:
                row.changes.append(Change(label=capfirst(names[name]), old=old, new=new))
            else:  # one line per language and text that changed
                row.changes += [Change(label=label, old=before, new=after) for label, before, after in per_text]
        kind = str(model._meta.verbose_name) if model is not None else entry.content_type.name
        key = f"{entry.content_type.app_label}.{entry.content_type.model}"
        sentence_fn = SENTENCES.get(key)
        subject = _subject(entry, row.actor_name)
        sentence = event_sentence(entry, subject)
        if sentence is None and sentence_fn is not None:
            sentence = sentence_fn(entry, subject, by_field)
        row.sentence = sentence or _generic(entry, subject, list(names.values()), kind)
        rows.append(row)
    return rows
