"""Editing an agency's own words in its other languages on the form where the thing itself is edited.

Every model an agency names things in keeps its translations the same way: a `translations` JSON field
`{language: {field: text}}` (`tenants.translations`), the model's own fields holding the agency's first language.
`TranslationsField` shows that JSON as one box per language and field (the agency's languages after its first),
says which languages still lack a text the first language has, and keeps whatever it does not show (a language
the agency no longer lists, choice names of a question whose choices it was not told) as it was."""

from __future__ import annotations

import json
import re

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from core.language import display_name


def other_languages(agency) -> list[str]:
    """The languages an agency's texts are translated into: the ones it lists after its first."""
    languages = list(getattr(agency, "languages", None) or [])
    return languages[1:] if languages else [code for code, _name in settings.LANGUAGES if code != "en"]


def missing_languages(obj, fields: tuple[str, ...], languages: list[str]) -> list[str]:
    """The languages among `languages` lacking a translation of a field `obj` has a text for."""
    table = getattr(obj, "translations", None) or {}
    wanted = [name for name in fields if str(getattr(obj, name, "") or "").strip()]
    missing = []
    for code in languages:
        entry = table.get(code) if isinstance(table.get(code), dict) else {}
        if any(not str(entry.get(name) or "").strip() for name in wanted):
            missing.append(code)
    return missing


def language_names(codes: list[str]) -> str:
    return ", ".join(display_name(code) or code for code in codes)


class TranslationsWidget(forms.Widget):
    """Boxes `<name>__<language>__<field>` (and `…__values.<key>` for choice names), plus a hidden
    `<name>__rest` with the JSON the boxes do not cover."""

    def __init__(self, *, fields, languages, labels=None, base=None, choices=None, attrs=None):
        super().__init__(attrs)
        self.fields = tuple(fields)
        self.languages = list(languages)
        self.labels = dict(labels or {})
        self.base = dict(base or {})  # field → the text in the agency's first language
        self.choices = list(choices or [])  # (key, name in the first language) of a question's choices
        self.invalid: set[tuple[str, str]] = set()  # (language, field) of the boxes whose text was refused

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.invalid = set()  # each form's own: Widget's copy is shallow
        return copy

    def _value(self, value) -> dict:
        if isinstance(value, str):
            try:
                value = json.loads(value or "{}")
            except ValueError:
                return {}
        return value if isinstance(value, dict) else {}

    def _rest(self, table: dict) -> dict:
        rest = {}
        for code, entry in table.items():
            if not isinstance(entry, dict):
                continue
            if code not in self.languages:
                rest[code] = entry
                continue
            keep = {k: v for k, v in entry.items() if k not in self.fields and k != "values"}
            shown = {key for key, _name in self.choices}
            values = {k: v for k, v in (entry.get("values") or {}).items() if k not in shown}
            if values:
                keep["values"] = values
            if keep:
                rest[code] = keep
        return rest

    def render(self, name, value, attrs=None, renderer=None):
        table = self._value(value)
        blocks = []
        for code in self.languages:
            entry = table.get(code) if isinstance(table.get(code), dict) else {}
            info = get_language_info(code) if code in dict(settings.LANGUAGES) else {"bidi": False}
            direction = "rtl" if info.get("bidi") else "auto"
            rows = []
            missing = 0
            for field in self.fields:
                text = str(entry.get(field) or "")
                if not text.strip() and str(self.base.get(field) or "").strip():
                    missing += 1
                invalid = (code, field) in self.invalid
                rows.append(self._box(f"{name}__{code}__{field}", self._label(field), text, code, direction, invalid))
            values = entry.get("values") if isinstance(entry.get("values"), dict) else {}
            for key, first in self.choices:
                text = str(values.get(key) or "")
                if not text.strip():
                    missing += 1
                label = _("Choice “%(choice)s”") % {"choice": first}
                rows.append(self._box(f"{name}__{code}__values.{key}", label, text, code, direction))
            state = (
                format_html('<span class="translations-missing">{}</span>', _("missing"))
                if missing
                else format_html('<span class="translations-done">{}</span>', _("complete"))
            )
            # One <details> per language, as the crisis form's: closed unless one of its texts was refused.
            own = info.get("name_local", "") if code in dict(settings.LANGUAGES) else ""
            shown = display_name(code) or code
            own_name = format_html(' <span lang="{}">({})</span>', code, own) if own and own != shown else ""
            blocks.append(
                format_html(
                    '<details class="translations-language" data-language="{}"{}><summary>{}{} ({})</summary>{}'
                    "</details>",
                    code,
                    mark_safe(" open") if any(c == code for c, _f in self.invalid) else "",
                    shown,
                    own_name,
                    state,
                    mark_safe("".join(rows)),  # noqa: S308 - each row built by format_html
                )
            )
        rest = json.dumps(self._rest(table), ensure_ascii=False)
        hidden = format_html('<input type="hidden" name="{}__rest" value="{}">', name, rest)
        if not blocks:
            note = format_html('<p class="help">{}</p>', _("The agency lists one language: nothing to translate."))
            return format_html('<div class="translations-grid">{}{}</div>', note, hidden)
        return format_html(
            '<div class="translations-grid">{}{}</div>', format_html_join("", "{}", ((b,) for b in blocks)), hidden
        )

    def _label(self, field: str) -> str:
        return str(self.labels.get(field) or field)

    @staticmethod
    def _box(name: str, label: str, text: str, code: str, direction: str, invalid: bool = False) -> str:
        box_id = "id_" + name.replace(".", "_")
        flag = mark_safe(' aria-invalid="true"') if invalid else ""
        if len(text) > 80 or name.endswith("__description"):
            box = format_html(
                '<textarea name="{}" id="{}" rows="2" cols="60" lang="{}" dir="{}"{}>{}</textarea>',
                name,
                box_id,
                code,
                direction,
                flag,
                text,
            )
        else:
            box = format_html(
                '<input type="text" name="{}" id="{}" value="{}" size="40" lang="{}" dir="{}"{}>',
                name,
                box_id,
                text,
                code,
                direction,
                flag,
            )
        return format_html('<p class="translations-box"><label for="{}">{}</label> {}</p>', box_id, label, box)

    def value_from_datadict(self, data, files, name):
        if f"{name}__rest" not in data and name in data:
            return data.get(name)  # a plain JSON value (a script, a test posting the field as before)
        try:
            table = json.loads(data.get(f"{name}__rest") or "{}")
        except ValueError:
            table = {}
        table = table if isinstance(table, dict) else {}
        for code in self.languages:
            entry = dict(table.get(code) or {})
            for field in self.fields:
                text = str(data.get(f"{name}__{code}__{field}") or "").strip()
                if text:
                    entry[field] = text
            values = dict(entry.get("values") or {})
            for key, _first in self.choices:
                text = str(data.get(f"{name}__{code}__values.{key}") or "").strip()
                if text:
                    values[key] = text
            if values:
                entry["values"] = values
            if entry:
                table[code] = entry
        return table

    def value_omitted_from_data(self, data, files, name):
        return f"{name}__rest" not in data and name not in data


# A tag (`<b>`, `</p>`, `<script …>`, `<!-- …`): the agency's words are shown as plain text everywhere, so markup
# would show as typed; "a < b" or "<3" is no tag.
HTML_TAG = re.compile(r"<\s*(?:[A-Za-z][\w:-]*(?:\s[^<>]*)?|/\s*[A-Za-z][\w:-]*\s*|!--.*?)>", re.DOTALL)


class TranslationsField(forms.JSONField):
    """The form field of a `translations` model field, shown as `TranslationsWidget`. Each text is plain (no HTML
    tags) and at most as long as the field it translates (`max_lengths`); a refused box is marked and its
    language opened."""

    default_error_messages = {"invalid": gettext_lazy("Enter the translations as text.")}

    def __init__(self, *, fields=(), languages=(), labels=None, base=None, choices=None, max_lengths=None, **kwargs):
        kwargs.setdefault("required", False)
        kwargs["widget"] = TranslationsWidget(
            fields=fields, languages=languages, labels=labels, base=base, choices=choices
        )
        self.max_lengths = dict(max_lengths or {})
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if not isinstance(value, dict):
            return
        problems = []
        for code, entry in value.items():
            if not isinstance(entry, dict):
                continue
            texts = [(field, text) for field, text in entry.items() if field != "values"]
            values = entry.get("values") if isinstance(entry.get("values"), dict) else {}
            texts += [(f"values.{key}", text) for key, text in values.items()]
            for field, text in texts:
                if not isinstance(text, str):
                    continue
                where = {"language": display_name(code) or code, "field": self.widget._label(field)}
                limit = self.max_lengths.get(field)
                if limit and len(text) > limit:
                    self.widget.invalid.add((code, field))
                    problems.append(
                        _("%(language)s, %(field)s: at most %(n)d characters (this one has %(count)d).")
                        % {**where, "n": limit, "count": len(text)}
                    )
                if HTML_TAG.search(text):
                    self.widget.invalid.add((code, field))
                    problems.append(_("%(language)s, %(field)s: write plain text, without HTML tags.") % where)
        if problems:
            raise forms.ValidationError(problems)

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        return super().to_python(value)

    def bound_data(self, data, initial):
        return data if isinstance(data, dict) else super().bound_data(data, initial)

    def prepare_value(self, value):
        return value if isinstance(value, dict) else super().prepare_value(value)


def translations_form_field(model_field, *, agency, obj=None, choices=None) -> TranslationsField:
    """A `TranslationsField` for `model_field` (a `translations` JSONField with a `TranslationsValidator`), its
    boxes for the agency's languages after its first and the fields the validator allows."""
    from tenants.translations import TranslationsValidator

    validator = next((v for v in model_field.validators if isinstance(v, TranslationsValidator)), None)
    fields = validator.fields if validator else ()
    model = model_field.model
    labels = {}
    for field in fields:
        try:
            labels[field] = str(model._meta.get_field(field).verbose_name).capitalize()
        except Exception:  # noqa: BLE001 - a validator field that is no model field keeps its name
            labels[field] = field
    base = {field: getattr(obj, field, "") for field in fields} if obj is not None else {}
    max_lengths = {}
    for field in fields:
        try:
            max_lengths[field] = model._meta.get_field(field).max_length or (validator.max_length if validator else 0)
        except Exception:  # noqa: BLE001 - a validator field that is no model field: the validator's limit
            max_lengths[field] = validator.max_length if validator else 0
    return TranslationsField(
        fields=fields,
        languages=other_languages(agency),
        labels=labels,
        base=base,
        choices=choices,
        max_lengths=max_lengths,
        label=model_field.verbose_name,
        help_text=_(
            "The same texts in the agency's other languages. Empty: the page shows the text above, in the agency's "
            "first language."
        ),
        validators=list(model_field.validators),
    )
