"""A change of an agency's own words in other languages, as the audit trail shows it: one line per language and
text that changed ("Translations: Simplified Chinese, Name: 斯普林菲尔德市公共工程局 → 斯普林菲尔德市公共工程署"), not the
whole `{language: {field: text}}` JSON before and after, escaped and cut off."""

from __future__ import annotations

import json

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.language import display_name


def _table(value: str) -> dict | None:
    if value in ("", "None", None):
        return {}
    try:
        table = json.loads(value)
    except (TypeError, ValueError):
        return None
    return table if isinstance(table, dict) else None


def _texts(table: dict) -> dict[tuple[str, str], str]:
    texts = {}
    for code, entry in table.items():
        if not isinstance(entry, dict):
            continue
        for name, text in entry.items():
            if name == "values" and isinstance(text, dict):
                texts.update({(code, f"values.{key}"): str(v) for key, v in text.items()})
            else:
                texts[(code, name)] = str(text)
    return texts


def translation_changes(model, old: str, new: str) -> list[tuple[str, str, str]] | None:
    """(label, old, new) per language and text that differ between the stored values `old` and `new`; None when a
    value is not such a table (shown as it is)."""
    before, after = _table(old), _table(new)
    if before is None or after is None:
        return None
    was, now = _texts(before), _texts(after)
    changes = []
    for code, name in sorted(set(was) | set(now)):
        if was.get((code, name), "") == now.get((code, name), ""):
            continue
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a choice's name ("values.small") or a text that is no model field
            label = name
        where = _("Translations: %(language)s, %(field)s") % {
            "language": display_name(code) or code,
            "field": capfirst(label),
        }
        changes.append((where, was.get((code, name), ""), now.get((code, name), "")))
    return changes
