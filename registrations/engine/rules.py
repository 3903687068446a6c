"""Which steps and questions apply given the answers so far (visibility, `prune`), and the checks of
answers: one field (`clean_answer`, with a runner's own `check`), a step, a whole submission."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from registrations.engine.conditions import evaluate, referenced_fields
from registrations.engine.fields import clean_value, is_empty
from registrations.engine.i18n import FieldError, localize, message
from registrations.engine.schema import FieldSpec, FormSpec, StepSpec
from registrations.engine.state import Check


# --- visibility ------------------------------------------------------------------------------------
def step_visible(step: StepSpec, answers: Mapping[str, Any]) -> bool:
    return evaluate(step.show_if, answers)


def field_visible(spec: FormSpec, item: FieldSpec, answers: Mapping[str, Any]) -> bool:
    step = spec.step(item.step_id)
    return step is not None and step_visible(step, answers) and evaluate(item.show_if, answers)


def visible_steps(spec: FormSpec, answers: Mapping[str, Any]) -> list[StepSpec]:
    return [step for step in spec.steps if step_visible(step, answers)]


def visible_fields(spec: FormSpec, answers: Mapping[str, Any], step: StepSpec | None = None) -> list[FieldSpec]:
    items = step.fields if step is not None else spec.fields
    return [item for item in items if field_visible(spec, item, answers)]


def deciding_fields(spec: FormSpec) -> frozenset[str]:
    """The questions whose answers decide whether other questions or steps apply (their show-if conditions)."""
    found: set[str] = set()
    for step in spec.steps:
        found.update(referenced_fields(step.show_if))
        for item in step.fields:
            found.update(referenced_fields(item.show_if))
    return frozenset(found)


def count_settled(spec: FormSpec, ahead: list[FieldSpec]) -> bool:
    """Is the number of questions final, with `ahead` (the visible questions from the current one on) still to
    answer? Not while one of them decides whether others apply: a report's category brings its own questions,
    a registration's "ID type" its ID number. Answers given before the current question count as settled."""
    deciding = deciding_fields(spec)
    return not any(item.id in deciding for item in ahead)


def steps_settled(spec: FormSpec, ahead: list[StepSpec]) -> bool:
    """The web form's "Step 2 of 5": is the number of steps final, with `ahead` (the visible steps from the current
    one on) still to fill in? Not while one of their questions decides whether a step applies."""
    deciding = {name for step in spec.steps for name in referenced_fields(step.show_if)}
    return not any(item.id in deciding for step in ahead for item in step.fields)


def prune(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only answers to known questions that are visible given the (kept) earlier answers."""
    kept: dict[str, Any] = {}
    for item in spec.fields:
        if item.id in answers and not is_empty(answers[item.id]) and field_visible(spec, item, kept):
            kept[item.id] = answers[item.id]
    return kept


# --- checking --------------------------------------------------------------------------------------
def clean_answer(
    item: FieldSpec, raw: Any, *, today: date, lang: str, check: Check | None
) -> tuple[Any, FieldError | None]:
    value, error = clean_value(item, raw, today=today, lang=lang)
    if error is None and value is not None and check is not None:
        value, error = check(item, value)
        if error is not None:
            value = None
    return value, error


def form_message(spec: FormSpec, code: str, lang: str, **params: Any) -> str:
    """The engine's message `code`, as this form words it (`FormSpec.messages`) or by default."""
    own = spec.messages.get(code)
    if own:
        text = localize(own, lang)
        try:
            return text.format(**params)
        except (KeyError, IndexError):
            return text
    return message(code, lang, **params)


def error_message(spec: FormSpec, error: FieldError, lang: str) -> str:
    return error.message(lang) if error.text else form_message(spec, error.code, lang, **error.params)


def validate_submission(
    spec: FormSpec, answers: Mapping[str, Any], *, today: date, lang: str = "en", check: Check | None = None
) -> tuple[dict[str, Any], dict[str, FieldError]]:
    """Clean a complete set of answers; errors per field id (missing, invalid, not applicable, unknown)."""
    if not isinstance(answers, Mapping):
        return {}, {"answers": FieldError("invalid")}
    cleaned: dict[str, Any] = {}
    errors: dict[str, FieldError] = {}
    known = {item.id for item in spec.fields}
    for key in answers:
        if key not in known:
            errors[str(key)] = FieldError("unknown_field")
    for item in spec.fields:
        step = spec.step(item.step_id)
        depends_on = set(referenced_fields(item.show_if)) | set(referenced_fields(step.show_if if step else None))
        if depends_on & errors.keys():
            continue  # cannot tell whether it applies until the earlier answer is fixed
        raw = answers.get(item.id)
        if not field_visible(spec, item, cleaned):
            if not is_empty(raw):
                errors[item.id] = FieldError("not_applicable")
            continue
        value, error = clean_answer(item, raw, today=today, lang=lang, check=check)
        if error is not None:
            errors[item.id] = error
        elif value is not None:
            cleaned[item.id] = value
    return cleaned, errors


def step_errors(spec: FormSpec, step: StepSpec, answers: Mapping[str, Any], *, today: date) -> dict[str, FieldError]:
    errors = {}
    for item in visible_fields(spec, answers, step):
        _value, error = clean_value(item, answers.get(item.id), today=today)
        if error is not None:
            errors[item.id] = error
    return errors


def first_incomplete_step(spec: FormSpec, answers: Mapping[str, Any], *, today: date) -> StepSpec | None:
    for step in visible_steps(spec, answers):
        if step_errors(spec, step, answers, today=today):
            return step
    return None


def step_reachable(spec: FormSpec, step_id: str, answers: Mapping[str, Any], *, today: date) -> bool:
    """A step can be opened when it applies and every step before it is complete."""
    step = spec.step(step_id)
    if step is None or not step_visible(step, answers):
        return False
    for earlier in visible_steps(spec, answers):
        if earlier.id == step_id:
            return True
        if step_errors(spec, earlier, answers, today=today):
            return False
    return False


def step_skippable(spec: FormSpec, step: StepSpec, answers: Mapping[str, Any]) -> bool:
    return not any(item.required for item in visible_fields(spec, answers, step))
