"""The parsed form definition (`FormSpec`, `StepSpec`, `FieldSpec`) and `load_definition`; the JSON Schema and
the other checks of a definition are in `registrations.engine.definition`.

`load_definition(data)` returns a `FormSpec` or raises `DefinitionError` with every problem found,
each prefixed with where it is (`steps[1].fields[0].show_if`), so an agency admin editing JSON sees
exactly what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registrations.engine.definition import FILE_TYPES, schema_errors, semantic_errors
from registrations.engine.i18n import Text, localize


class DefinitionError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text
    keywords: tuple[str, ...] = ()  # a typed answer containing one of these picks this choice


@dataclass(frozen=True)
class FieldSpec:
    id: str
    type: str
    label: Text
    step_id: str
    help: Text | None = None
    required: bool = True
    sensitive: bool = False
    show_if: dict | None = None
    autocomplete: str = ""
    pattern: str | None = None
    pattern_message: Text | None = None
    min_length: int | None = None
    max_length: int | None = None
    multiline: bool = False
    min: float | None = None
    max: float | None = None
    integer: bool = False
    min_date: str | None = None
    max_date: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    choices: tuple[Choice, ...] = ()
    min_choices: int | None = None
    max_choices: int | None = None
    validator: str | None = None
    accept: tuple[str, ...] = ()
    max_size_mb: float = 5
    expect: Any = None
    expect_message: Text | None = None
    country: str = "US"
    hint: Text | None = None  # how to answer, replacing the type's own hint in chat
    error_messages: dict[str, Text] = field(default_factory=dict, compare=False)  # FieldError code → the author's text

    def choice_label(self, value: Any, lang: str | None) -> str:
        for choice in self.choices:
            if choice.value == value:
                return localize(choice.label, lang)
        return str(value)

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True)
class StepSpec:
    id: str
    title: Text
    fields: tuple[FieldSpec, ...]
    description: Text | None = None
    show_if: dict | None = None


@dataclass(frozen=True)
class FormSpec:
    title: Text
    steps: tuple[StepSpec, ...]
    description: Text | None = None
    confirmation: Text | None = None
    contact: dict[str, str] = field(default_factory=dict)
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    # The engine's own messages reworded for this form (e.g. "review_outro"), by message code.
    messages: dict[str, Text] = field(default_factory=dict, compare=False)

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return tuple(item for step in self.steps for item in step.fields)

    def field(self, field_id: str) -> FieldSpec | None:
        return self._fields_by_id.get(field_id)

    def step(self, step_id: str | None) -> StepSpec | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def step_index(self, step_id: str | None) -> int:
        return next((index for index, step in enumerate(self.steps) if step.id == step_id), -1)

    @property
    def _fields_by_id(self) -> dict[str, FieldSpec]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {item.id: item for item in self.fields}
            object.__setattr__(self, "_by_id", cached)
        return cached

    @property
    def sensitive_field_ids(self) -> frozenset[str]:
        return frozenset(item.id for item in self.fields if item.sensitive)


def _field_spec(spec: dict, step_id: str) -> FieldSpec:
    options = {key: value for key, value in spec.items() if key not in ("choices", "accept")}
    return FieldSpec(
        **options,
        step_id=step_id,
        choices=tuple(
            Choice(choice["value"], choice["label"], tuple(choice.get("keywords", ())))
            for choice in spec.get("choices", [])
        ),
        accept=tuple(spec.get("accept", ())) or (tuple(FILE_TYPES) if spec["type"] == "file" else ()),
    )


def load_definition(data: Any) -> FormSpec:
    """Validate a definition (parsed JSON) and return its spec; raise DefinitionError listing every problem."""
    errors = schema_errors(data)
    if errors:
        raise DefinitionError(errors)
    errors = semantic_errors(data)
    if errors:
        raise DefinitionError(errors)
    steps = tuple(
        StepSpec(
            id=step["id"],
            title=step["title"],
            description=step.get("description"),
            show_if=step.get("show_if"),
            fields=tuple(_field_spec(spec, step["id"]) for spec in step["fields"]),
        )
        for step in data["steps"]
    )
    return FormSpec(
        title=data["title"],
        description=data.get("description"),
        confirmation=data.get("confirmation"),
        contact=dict(data.get("contact") or {}),
        steps=steps,
        raw=data,
    )
