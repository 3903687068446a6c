"""Showing answers: as text in a summary, masked for sensitive questions, and how a chat question says
what kind of answer it wants (hints, numbered options)."""

from __future__ import annotations

from typing import Any

from registrations.engine.dates import format_date
from registrations.engine.fields import DATE_EXAMPLES
from registrations.engine.i18n import localize, message, normalize_language
from registrations.engine.schema import FieldSpec


def display_value(spec: FieldSpec, value: Any, lang: str | None = "en", *, iso_dates: bool = False) -> str:
    """The answer as text for a person reading `lang`: a date written out in that language ("27 mars 1990"),
    unless `iso_dates` (exports: the stored "1990-03-27")."""
    if value is None or value == "" or value == []:
        return ""
    if spec.type == "date" and not iso_dates:
        return format_date(str(value), lang)
    if spec.type == "yes_no":
        return message("yes" if value else "no", lang)
    if spec.type == "single_choice":
        return spec.choice_label(value, lang)
    if spec.type == "multiple_choice":
        return ", ".join(spec.choice_label(item, lang) for item in value)
    if spec.type == "address" and isinstance(value, dict):
        region_zip = " ".join(part for part in (value.get("region"), value.get("postal_code")) if part)
        parts = [value.get("line1"), value.get("line2"), value.get("city"), region_zip]
        return ", ".join(part for part in parts if part)
    if spec.type == "file" and isinstance(value, dict):
        return f"{value.get('name')} ({max(1, round(value.get('size', 0) / 1024))} KB)"
    if spec.type == "location" and isinstance(value, dict):
        if value.get("address"):
            return value["address"]
        return f"{value.get('lat')}, {value.get('long')}"
    return str(value)


MASK = "••••••"


def mask_value(spec: FieldSpec, value: Any) -> str:
    """A masked stand-in: identifiers and phone numbers keep their last 4 characters, nothing else does."""
    if value is None or value == "":
        return ""
    if spec.type in ("identifier", "phone") and isinstance(value, str) and len(value) >= 8:
        return "•••• " + value[-4:]
    return MASK


# The hint each type of question gets in chat (a date's names an example in the person's language).
_TYPE_HINTS = {
    "yes_no": "hint_yes_no",
    "single_choice": "hint_choice",
    "multiple_choice": "hint_multi",
    "address": "hint_address",
    "file": "file_in_chat",
    "location": "hint_location",
}


def question_hint(spec: FieldSpec, lang: str | None) -> str:
    if spec.hint:
        return localize(spec.hint, lang)
    if spec.type == "date":
        return message("hint_date", lang, example=DATE_EXAMPLES[normalize_language(lang)])
    code = _TYPE_HINTS.get(spec.type)
    return message(code, lang) if code else ""


def choice_lines(spec: FieldSpec, lang: str | None) -> list[str]:
    return [f"{index}. {localize(choice.label, lang)}" for index, choice in enumerate(spec.choices, start=1)]
