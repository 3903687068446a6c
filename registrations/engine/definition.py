"""The form definition's JSON Schema (`DEFINITION_SCHEMA`, also served to the editor), its constants, and the
checks JSON Schema cannot express (unique ids, conditions on earlier questions only, options per field type).
Each problem is reported with where it is (`steps[1].fields[0].show_if`)."""

from __future__ import annotations

import re
from typing import Any

import jsonschema

from registrations.engine.conditions import OPERATORS, condition_values, referenced_fields
from registrations.engine.i18n import LANGUAGES
from registrations.engine.validators import IDENTIFIERS

SCHEMA_VERSION = 1
FIELD_TYPES = (
    "text",
    "number",
    "date",
    "email",
    "phone",
    "single_choice",
    "multiple_choice",
    "yes_no",
    "address",
    "file",
    "identifier",
    "location",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
FILE_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
MAX_FILE_MB = 10
ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
DATE_BOUND = r"^(today([+-][0-9]{1,5})?|[0-9]{4}-[0-9]{2}-[0-9]{2})$"

_TEXT = {
    "oneOf": [
        {"type": "string", "minLength": 1, "maxLength": 2000},
        {
            "type": "object",
            "propertyNames": {"enum": list(LANGUAGES)},
            "additionalProperties": {"type": "string", "maxLength": 2000},
            "minProperties": 1,
        },
    ]
}
_CONDITION: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "properties": {
        "field": {"type": "string", "pattern": ID_PATTERN},
        "all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
        "any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
        "not": {"$ref": "#/$defs/condition"},
        "equals": {"type": ["string", "number", "boolean"]},
        "not_equals": {"type": ["string", "number", "boolean"]},
        "in": {"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}},
        "not_in": {"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}},
        "contains": {"type": "string"},
        "answered": {"type": "boolean"},
        "gt": {"type": ["number", "string"]},
        "gte": {"type": ["number", "string"]},
        "lt": {"type": ["number", "string"]},
        "lte": {"type": ["number", "string"]},
    },
    "additionalProperties": False,
}
_FIELD = {
    "type": "object",
    "required": ["id", "type", "label"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "type": {"enum": list(FIELD_TYPES)},
        "label": {"$ref": "#/$defs/text"},
        "help": {"$ref": "#/$defs/text"},
        "required": {"type": "boolean"},
        "sensitive": {"type": "boolean"},
        "show_if": {"$ref": "#/$defs/condition"},
        "autocomplete": {"type": "string", "pattern": r"^[a-z0-9 -]{1,60}$"},
        "hint": {"$ref": "#/$defs/text"},
        "error_messages": {
            "type": "object",
            "propertyNames": {"pattern": r"^[a-z_]{1,40}$"},
            "additionalProperties": {"$ref": "#/$defs/text"},
        },
        "pattern": {"type": "string", "minLength": 1, "maxLength": 300},
        "pattern_message": {"$ref": "#/$defs/text"},
        "min_length": {"type": "integer", "minimum": 0},
        "max_length": {"type": "integer", "minimum": 1, "maximum": 5000},
        "multiline": {"type": "boolean"},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "integer": {"type": "boolean"},
        "min_date": {"type": "string", "pattern": DATE_BOUND},
        "max_date": {"type": "string", "pattern": DATE_BOUND},
        "min_age": {"type": "integer", "minimum": 0, "maximum": 150},
        "max_age": {"type": "integer", "minimum": 0, "maximum": 150},
        "choices": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "required": ["value", "label"],
                "additionalProperties": False,
                "properties": {
                    "value": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]{1,60}$"},
                    "label": {"$ref": "#/$defs/text"},
                    "keywords": {
                        "type": "array",
                        "maxItems": 50,
                        "items": {"type": "string", "minLength": 2, "maxLength": 60},
                    },
                },
            },
        },
        "min_choices": {"type": "integer", "minimum": 0},
        "max_choices": {"type": "integer", "minimum": 1},
        "validator": {"enum": sorted(IDENTIFIERS)},
        "accept": {"type": "array", "minItems": 1, "items": {"enum": list(FILE_TYPES)}, "uniqueItems": True},
        "max_size_mb": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_FILE_MB},
        "expect": {"type": ["string", "boolean"]},
        "expect_message": {"$ref": "#/$defs/text"},
        "country": {"type": "string", "pattern": r"^[A-Z]{2}$"},
    },
}
DEFINITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "CivicDesk registration form definition",
    "type": "object",
    "required": ["schema_version", "title", "steps"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "title": {"$ref": "#/$defs/text"},
        "description": {"$ref": "#/$defs/text"},
        "confirmation": {"$ref": "#/$defs/text"},
        "contact": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "pattern": ID_PATTERN},
                "email": {"type": "string", "pattern": ID_PATTERN},
                "phone": {"type": "string", "pattern": ID_PATTERN},
            },
        },
        "steps": {
            "type": "array",
            "minItems": 1,
            "maxItems": 50,
            "items": {
                "type": "object",
                "required": ["id", "title", "fields"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": ID_PATTERN},
                    "title": {"$ref": "#/$defs/text"},
                    "description": {"$ref": "#/$defs/text"},
                    "show_if": {"$ref": "#/$defs/condition"},
                    "fields": {"type": "array", "minItems": 1, "maxItems": 50, "items": {"$ref": "#/$defs/field"}},
                },
            },
        },
    },
    "$defs": {"text": _TEXT, "condition": _CONDITION, "field": _FIELD},
}
_VALIDATOR = jsonschema.Draft202012Validator(DEFINITION_SCHEMA)

# Which options make sense for which field types (everything else is refused, to catch typos early).
_COMMON = {
    "id",
    "type",
    "label",
    "help",
    "required",
    "sensitive",
    "show_if",
    "autocomplete",
    "hint",
    "error_messages",
}
_ALLOWED_OPTIONS = {
    "text": {"pattern", "pattern_message", "min_length", "max_length", "multiline"},
    "number": {"min", "max", "integer"},
    "date": {"min_date", "max_date", "min_age", "max_age"},
    "email": {"max_length"},
    "phone": set(),
    "single_choice": {"choices", "expect", "expect_message"},
    "multiple_choice": {"choices", "min_choices", "max_choices"},
    "yes_no": {"expect", "expect_message"},
    "address": {"country"},
    "file": {"accept", "max_size_mb"},
    "identifier": {"validator", "pattern", "pattern_message", "min_length", "max_length"},
    "location": set(),
}


def _where(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def schema_errors(data: Any) -> list[str]:
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda error: list(map(str, error.absolute_path)))
    return [f"{_where(error.absolute_path)}: {error.message}" for error in errors[:25]]


def semantic_errors(data: dict) -> list[str]:
    errors: list[str] = []
    seen_fields: dict[str, dict] = {}
    step_ids: set[str] = set()
    for s_index, step in enumerate(data["steps"]):
        where_step = f"steps[{s_index}]"
        if step["id"] in step_ids:
            errors.append(f"{where_step}.id: the step id {step['id']!r} is used twice")
        step_ids.add(step["id"])
        errors += _condition_errors(step.get("show_if"), seen_fields, f"{where_step}.show_if")
        for f_index, spec in enumerate(step["fields"]):
            where = f"{where_step}.fields[{f_index}]"
            if spec["id"] in seen_fields:
                errors.append(f"{where}.id: the field id {spec['id']!r} is used twice")
            errors += _condition_errors(spec.get("show_if"), seen_fields, f"{where}.show_if")
            errors += _field_errors(spec, where)
            seen_fields[spec["id"]] = spec
    for role, field_id in (data.get("contact") or {}).items():
        spec = seen_fields.get(field_id)
        if spec is None:
            errors.append(f"contact.{role}: there is no field {field_id!r}")
            continue
        expected = {"name": ("text",), "email": ("email",), "phone": ("phone",)}[role]
        if spec["type"] not in expected:
            errors.append(f"contact.{role}: {field_id!r} must be a field of type {expected[0]}")
        if spec.get("sensitive"):
            errors.append(f"contact.{role}: {field_id!r} is sensitive; contact details are stored unencrypted")
    return errors


def _condition_errors(condition: dict | None, earlier: dict[str, dict], where: str) -> list[str]:
    if not condition:
        return []
    errors = []
    for name in referenced_fields(condition):
        if name not in earlier:
            errors.append(f"{where}: {name!r} is not an earlier field (conditions may only use earlier answers)")
    for name, op, value in condition_values(condition):
        spec = earlier.get(name)
        if spec is None or spec["type"] not in CHOICE_TYPES:
            continue
        values = value if op in ("in", "not_in") else [value]
        known = {choice["value"] for choice in spec.get("choices", [])}
        for item in values:
            if op != "answered" and item not in known:
                errors.append(f"{where}: {item!r} is not a choice of {name!r}")
    leaves = _leaf_problems(condition)
    return errors + [f"{where}: {problem}" for problem in leaves]


def _leaf_problems(condition: dict) -> list[str]:
    problems = []
    combinators = [key for key in ("all", "any", "not") if key in condition]
    ops = [op for op in OPERATORS if op in condition]
    if combinators:
        if len(combinators) > 1 or "field" in condition or ops:
            problems.append("use one of all/any/not on its own")
        for key in ("all", "any"):
            for item in condition.get(key, ()):
                problems += _leaf_problems(item)
        if "not" in condition:
            problems += _leaf_problems(condition["not"])
    elif "field" not in condition or len(ops) != 1:
        problems.append(f"a condition needs a field and exactly one of {', '.join(OPERATORS)}")
    return problems


def _field_errors(spec: dict, where: str) -> list[str]:
    errors = []
    kind = spec["type"]
    extra = set(spec) - _COMMON - _ALLOWED_OPTIONS[kind]
    for option in sorted(extra):
        errors.append(f"{where}.{option}: not an option of a {kind} field")
    if kind in CHOICE_TYPES:
        values = [choice["value"] for choice in spec.get("choices", [])]
        if not values:
            errors.append(f"{where}.choices: a {kind} field needs choices")
        if len(values) != len(set(values)):
            errors.append(f"{where}.choices: choice values must be unique")
        if "expect" in spec and spec["expect"] not in values:
            errors.append(f"{where}.expect: {spec['expect']!r} is not one of the choices")
    if kind == "yes_no" and "expect" in spec and not isinstance(spec["expect"], bool):
        errors.append(f"{where}.expect: use true or false for a yes_no field")
    if kind == "identifier" and not (spec.get("validator") or spec.get("pattern")):
        errors.append(f"{where}: an identifier field needs a validator or a pattern")
    if "pattern" in spec:
        try:
            re.compile(spec["pattern"])
        except re.error as exc:
            errors.append(f"{where}.pattern: not a valid regular expression ({exc})")
    for low, high in (
        ("min", "max"),
        ("min_length", "max_length"),
        ("min_age", "max_age"),
        ("min_choices", "max_choices"),
    ):
        if low in spec and high in spec and spec[low] > spec[high]:
            errors.append(f"{where}: {low} is greater than {high}")
    if kind == "multiple_choice" and spec.get("min_choices", 0) > len(spec.get("choices", [])):
        errors.append(f"{where}.min_choices: more than there are choices")
    return errors
