"""What an audit entry names as its object, in the reader's language.

django-auditlog stores `str(instance)` as an entry's `object_repr`, in whatever language the writer's
request had ("Gespräch 97c85a84", "SPR-REG-2026-000002: Status change", "dana — Caseworker @ Public
Works"). Entries are evidence and never change, so the words are not taken from there when a page shows
them: each new entry of the kinds below also stores the name's parts as stable values in its additional
data (`{"label": {"kind": "status", "ref": "SPR-REG-2026-000002"}}`: codes, references, numbers, never
words), and the page writes the name from them in the reader's language. Entries written before that are
read back from their `object_repr` (`legacy`), which every language's words are matched against.

Exports keep the stored `object_repr` and the stored codes as they are.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

Params = dict[str, str]


@dataclass(frozen=True)
class LabelSpec:
    text: object  # a lazy message with %(name)s placeholders, or a callable(params) -> str
    make: Callable[[models.Model], Params | None]
    legacy: Callable[[str, str, type[models.Model]], Params | None]
    choices: tuple[str, ...] = ()  # params holding a value of the model's field of the same name


def _pattern(regex: str, *names: str) -> Callable[[str, str, type[models.Model]], Params | None]:
    compiled = re.compile(regex)

    def parse(repr_: str, _pk: str, _model) -> Params | None:
        found = compiled.match(repr_)
        return dict(zip(names, found.groups(), strict=True)) if found else None

    return parse


@functools.cache
def _labels_to_values(model: type[models.Model], field_name: str) -> dict[str, str]:
    """Every language's label of a choice field, mapped back to its stored value."""
    field = model._meta.get_field(field_name)
    out: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in field.flatchoices:
                out.setdefault(str(label), str(value))
    return out


def _choice_value(model, field_name: str, label: str) -> str | None:
    return _labels_to_values(model, field_name).get(label.strip())


def _choice_prefix(model, field_name: str, text: str) -> tuple[str, str] | None:
    """(value, rest) when `text` starts with one of the field's labels in any language (longest first)."""
    for label in sorted(_labels_to_values(model, field_name), key=len, reverse=True):
        if label and text.startswith(label):
            return _labels_to_values(model, field_name)[label], text[len(label) :].strip()
    return None


def _conversation_legacy(repr_: str, pk: str, _model) -> Params:
    # "<Conversation in the writer's language> 97c85a84": the id is the last word.
    return {"id": repr_.rsplit(" ", 1)[-1] if " " in repr_ else pk[:8]}


def _id_legacy(_repr: str, pk: str, _model) -> Params:
    return {"id": pk}


def _event_legacy(repr_: str, _pk: str, model) -> Params | None:
    ref, sep, kind_label = repr_.rpartition(": ")
    kind = _choice_value(model, "kind", kind_label) if sep else None
    return {"ref": ref, "kind": kind} if kind else None


def _membership_legacy(repr_: str, _pk: str, model) -> Params | None:
    found = re.match(r"^(.*) — (.*) @ (.*)$", repr_)
    if not found:
        return None
    role = _choice_value(model, "role", found.group(2))
    return {"user": found.group(1), "role": role, "agency": found.group(3)} if role else None


def _subscription_legacy(repr_: str, pk: str, model) -> Params | None:
    found = re.match(r"^(.*) subscription (\d+)$", repr_)
    channel = _choice_value(model, "channel", found.group(1)) if found else None
    return {"channel": channel, "id": found.group(2)} if channel else None


def _connection_legacy(repr_: str, _pk: str, model) -> Params | None:
    found = re.match(r"^(.*) \(\d+\)$", repr_)
    kind = _choice_value(model, "kind", found.group(1)) if found else None
    return {"kind": kind} if kind else None


def _hold_legacy(repr_: str, _pk: str, model) -> Params | None:
    found = _choice_prefix(model, "target", repr_)
    return {"target": found[0], "ref": found[1]} if found else None


def _retention_legacy(repr_: str, _pk: str, model) -> Params | None:
    found = re.match(r"^(.*): (\d+) days$", repr_)
    kind = _choice_value(model, "kind", found.group(1)) if found else None
    return {"kind": kind, "days": found.group(2)} if kind else None


def _alert_legacy(repr_: str, _pk: str, _model) -> Params | None:
    msg_type, _sep, identifier = repr_.partition(" ")
    return {"msg_type": msg_type, "identifier": identifier} if identifier else None


def _retention_text(params: Params) -> str:
    days = int(params.get("days") or 0)
    return ngettext("%(kind)s: %(days)s day", "%(kind)s: %(days)s days", days) % {**params, "days": days}


def _fixed(_repr: str, _pk: str, _model) -> Params:
    return {}


def _topic_text(params: Params) -> str:
    from analytics.feedback.topics import topic_name

    return topic_name(params.get("slug"), params.get("name"))


def _topic_legacy(repr_: str, _pk: str, _model) -> Params | None:
    from analytics.feedback.topics import DEFAULT_NAMES

    slug = next((slug for slug, name in DEFAULT_NAMES.items() if name == repr_), None)
    return {"slug": slug, "name": repr_} if slug else None


SPECS: dict[str, LabelSpec] = {
    "chat.conversation": LabelSpec(_("Conversation %(id)s"), lambda o: {"id": str(o.pk)[:8]}, _conversation_legacy),
    "chat.note": LabelSpec(_("Note %(id)s"), lambda o: {"id": str(o.pk)}, _id_legacy),
    "chat.message": LabelSpec(
        _("message %(seq)s (%(role)s)"),
        lambda o: {"seq": str(o.seq), "role": o.role},
        _pattern(r"^#(\d+) (\w+)$", "seq", "role"),
        choices=("role",),
    ),
    "registrations.registration": LabelSpec(
        _("Draft %(id)s"),
        lambda o: None if o.reference else {"id": str(o.pk)},
        _pattern(r"^Draft (\d+)$", "id"),
    ),
    "registrations.registrationevent": LabelSpec(
        _("%(ref)s: %(kind)s"),
        lambda o: {"ref": str(o.registration), "kind": o.kind},
        _event_legacy,
        choices=("kind",),
    ),
    "requests_app.follower": LabelSpec(
        _("follower %(id)s of %(ref)s"),
        lambda o: {"ref": o.request.reference, "id": str(o.pk)},
        _pattern(r"^(.*) follower (\d+)$", "ref", "id"),
    ),
    "requests_app.requestphoto": LabelSpec(
        _("photo %(id)s of %(ref)s"),
        lambda o: {"ref": o.request.reference, "id": str(o.pk)},
        _pattern(r"^(.*) photo (\d+)$", "ref", "id"),
    ),
    "requests_app.agencyrequestsettings": LabelSpec(_("Service request settings"), lambda o: {}, _fixed),
    "tenants.membership": LabelSpec(
        _("%(user)s — %(role)s at %(agency)s"),
        lambda o: {"user": o.user.get_username(), "role": o.role, "agency": o.agency.name},
        _membership_legacy,
        choices=("role",),
    ),
    "crisis.crisisstate": LabelSpec(_("crisis mode settings"), lambda o: {}, _pattern(r"^crisis state of agency \d+$")),
    "crisis.subscription": LabelSpec(
        _("%(channel)s subscription %(id)s"),
        lambda o: {"channel": o.channel, "id": str(o.pk)},
        _subscription_legacy,
        choices=("channel",),
    ),
    "crisis.alert": LabelSpec(
        _("%(msg_type)s %(identifier)s"),
        lambda o: {"msg_type": o.msg_type, "identifier": o.identifier},
        _alert_legacy,
        choices=("msg_type",),
    ),
    "frontdoor.routedquestion": LabelSpec(
        _("routed question #%(id)s"), lambda o: {"id": str(o.pk)}, _pattern(r"^Routed question #(\d+)$", "id")
    ),
    "knowledge.unansweredquestion": LabelSpec(
        _("unanswered question #%(id)s"),
        lambda o: {"id": str(o.pk)},
        _pattern(r"^Unanswered question #(\d+)$", "id"),
    ),
    "analytics.feedbacktopic": LabelSpec(_topic_text, lambda o: {"slug": o.slug, "name": o.name}, _topic_legacy),
    "analytics.feedback": LabelSpec(
        _("feedback #%(id)s"), lambda o: {"id": str(o.pk)}, _pattern(r"^Feedback #(\d+)$", "id")
    ),
    "messaging.channelconnection": LabelSpec(
        _("%(kind)s connection"), lambda o: {"kind": o.kind}, _connection_legacy, choices=("kind",)
    ),
    "privacy.legalhold": LabelSpec(
        _("%(target)s %(ref)s"),
        lambda o: {"target": o.target, "ref": o.reference},
        _hold_legacy,
        choices=("target",),
    ),
    "privacy.retentionpolicy": LabelSpec(
        _retention_text,
        lambda o: {"kind": o.kind, "days": str(o.days)},
        _retention_legacy,
        choices=("kind",),
    ),
}


def label_params(instance: models.Model) -> Params | None:
    """The stable parts of the instance's name for its audit entries (None: its name is its own data)."""
    spec = SPECS.get(instance._meta.label_lower)
    return spec.make(instance) if spec is not None else None


def object_label(entry) -> str:
    """The entry's object as the reader's language names it; the stored `object_repr` when nothing better."""
    repr_ = entry.object_repr or ""
    if not entry.content_type_id:
        return repr_
    key = f"{entry.content_type.app_label}.{entry.content_type.model}"
    spec = SPECS.get(key)
    model = entry.content_type.model_class()
    if spec is None or model is None:
        return repr_
    stored = (entry.additional_data or {}).get("label") if isinstance(entry.additional_data, dict) else None
    params = stored if isinstance(stored, dict) else spec.legacy(repr_, str(entry.object_pk or ""), model)
    if params is None:
        return repr_
    shown = {name: str(value) for name, value in params.items()}
    for name in spec.choices:
        if name in shown:
            field = model._meta.get_field(name)
            shown[name] = str(dict(field.flatchoices).get(shown[name], shown[name]))
    try:
        return str(spec.text) % shown if isinstance(spec.text, Promise | str) else spec.text(shown)
    except (KeyError, ValueError, TypeError):
        return repr_
