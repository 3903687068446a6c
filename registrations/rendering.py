"""The web runner's half of a step: turning POSTed inputs into raw answers, and fields into inputs."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registrations.engine import FieldError, FieldSpec, FormSpec, StepSpec, localize
from registrations.engine.conditions import referenced_fields
from registrations.engine.definition import FILE_TYPES
from registrations.engine.fields import ADDRESS_PARTS

INPUT_TYPES = {"text": "text", "number": "text", "date": "date", "email": "email", "phone": "tel", "identifier": "text"}
INPUT_MODES = {"number": "decimal", "phone": "tel", "identifier": "text"}
ADDRESS_LABELS = {
    "line1": (_("Street address"), "address-line1"),
    "line2": (_("Apartment, suite, unit (optional)"), "address-line2"),
    "city": (_("City"), "address-level2"),
    "region": (pgettext_lazy("part of a postal address", "State"), "address-level1"),
    "postal_code": (_("ZIP code"), "postal-code"),
}


@dataclass
class ChoiceView:
    value: str
    label: str
    checked: bool
    index: int


@dataclass
class FieldView:
    spec: FieldSpec
    id: str
    label: str
    help: str
    error: str
    value: Any
    required: bool
    input_type: str = "text"
    input_mode: str = ""
    choices: list[ChoiceView] = field(default_factory=list)
    address: list[dict] = field(default_factory=list)
    show_if: str = ""  # JSON condition evaluated in the page (it depends on this step's answers)
    saved: bool = False  # a sensitive answer (or a file) is stored but not sent back to the browser
    file: dict | None = None
    accept: str = ""
    file_types: str = ""
    max_size_mb: float = 0
    multiple: bool = False  # several files at once (a report's photos)

    @property
    def describedby(self) -> str:
        ids = []
        if self.help:
            ids.append(f"{self.id}-help")
        if self.saved:
            ids.append(f"{self.id}-saved")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def raw_from_post(step: StepSpec, post, saved: dict[str, Any], sensitive: frozenset[str]) -> dict[str, Any]:
    """What the person typed in this step, shaped for the engine. Blank sensitive inputs keep their
    saved answer (sensitive answers are never echoed back into the page). Files are added by the view."""
    raw: dict[str, Any] = {}
    for item in step.fields:
        if item.type == "multiple_choice":
            raw[item.id] = post.getlist(item.id)
        elif item.type == "address":
            raw[item.id] = {part: post.get(f"{item.id}__{part}", "") for part in ADDRESS_PARTS}
        elif item.type == "file":
            continue
        else:
            raw[item.id] = post.get(item.id, "")
        if item.id in sensitive and item.id in saved and _blank(raw[item.id]):
            raw[item.id] = saved[item.id]
    return raw


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return not any(str(v).strip() for v in value.values())
    if isinstance(value, list):
        return not value
    return not str(value).strip()


def _as_input(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return "" if spec.type not in ("multiple_choice", "address") else ([] if spec.type == "multiple_choice" else {})
    if spec.type == "yes_no" and isinstance(value, bool):
        return "yes" if value else "no"
    return value


def field_views(
    spec: FormSpec,
    step: StepSpec,
    *,
    answers: dict[str, Any],
    raw: dict[str, Any] | None,
    errors: dict[str, FieldError],
    lang: str,
    visible: list[FieldSpec],
) -> list[FieldView]:
    """Inputs for the step's fields. Fields hidden by an earlier step's answers are left out; fields
    whose condition looks at this step carry it as JSON so the page can show and hide them live."""
    in_step = {item.id for item in step.fields}
    visible_ids = {item.id for item in visible}
    views = []
    for item in step.fields:
        depends_here = bool(set(referenced_fields(item.show_if)) & in_step)
        if item.id not in visible_ids and not depends_here:
            continue
        if raw is not None and item.id in raw and not item.sensitive:
            value = raw[item.id]
        else:
            value = None if item.sensitive and item.type != "file" else answers.get(item.id)
        value = _as_input(item, value)
        error = errors.get(item.id)
        view = FieldView(
            spec=item,
            id=item.id,
            label=localize(item.label, lang),
            help=localize(item.help, lang),
            error=error.message(lang) if error else "",
            value=value,
            required=item.required,
            input_type=INPUT_TYPES.get(item.type, "text"),
            input_mode=INPUT_MODES.get(item.type, ""),
            show_if=json.dumps(item.show_if) if depends_here else "",
            saved=item.sensitive and item.type != "file" and item.id in answers,
        )
        if item.type in ("single_choice", "multiple_choice"):
            chosen = value if isinstance(value, list) else [value]
            view.choices = [
                ChoiceView(choice.value, localize(choice.label, lang), choice.value in chosen, index)
                for index, choice in enumerate(item.choices)
            ]
        elif item.type == "yes_no":
            view.choices = [
                ChoiceView("yes", str(_("Yes")), value == "yes", 0),
                ChoiceView("no", str(_("No")), value == "no", 1),
            ]
        elif item.type == "address":
            current = value if isinstance(value, dict) else {}
            view.address = [
                {
                    "name": f"{item.id}__{part}",
                    "part": part,
                    "label": ADDRESS_LABELS[part][0],
                    "autocomplete": ADDRESS_LABELS[part][1],
                    "value": "" if item.sensitive else current.get(part, ""),
                    "required": part in ("line1", "city", "postal_code"),
                }
                for part in ADDRESS_PARTS
            ]
        elif item.type == "file":
            view.file = answers.get(item.id) if isinstance(answers.get(item.id), dict) else None
            view.value = ""
            view.accept = ",".join(item.accept)
            view.file_types = ", ".join(FILE_TYPES[t] for t in item.accept)
            view.max_size_mb = item.max_size_mb
        views.append(view)
    return views


def page_answers_for_conditions(step: StepSpec, answers: dict[str, Any], sensitive: frozenset[str]) -> str:
    """Earlier answers the page's live conditions need (never sensitive ones)."""
    needed = set()
    in_step = {item.id for item in step.fields}
    for item in step.fields:
        needed |= set(referenced_fields(item.show_if)) - in_step
    return json.dumps({key: answers[key] for key in needed if key in answers and key not in sensitive})
