"""Moving step at a time (the web wizard): start, submit or skip a step, back, open a step, to review."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from registrations.engine.conditions import evaluate
from registrations.engine.i18n import FieldError
from registrations.engine.rules import (
    clean_answer,
    first_incomplete_step,
    prune,
    step_reachable,
    step_skippable,
    step_visible,
    visible_fields,
    visible_steps,
)
from registrations.engine.schema import FormSpec, StepSpec
from registrations.engine.state import CONFIRMED, REVIEW, STEPS, Check, FlowState


# --- moving ------------------------------------------------------------------------------------------
def start(spec: FormSpec, answers: Mapping[str, Any] | None = None) -> FlowState:
    answers = prune(spec, answers or {})
    first = visible_steps(spec, answers)[0]
    return FlowState(answers=answers, step=first.id, field=_first_field(spec, first, answers))


def _first_field(spec: FormSpec, step: StepSpec, answers: Mapping[str, Any]) -> str | None:
    fields = visible_fields(spec, answers, step)
    return fields[0].id if fields else None


def _at_step(spec: FormSpec, state: FlowState, step: StepSpec | None, answers: Mapping[str, Any]) -> FlowState:
    if step is None:
        return replace(state, answers=dict(answers), step=None, field=None, stage=REVIEW, reviewing=False)
    return replace(state, answers=dict(answers), step=step.id, field=_first_field(spec, step, answers), stage=STEPS)


def step_after(spec: FormSpec, step_id: str | None, answers: Mapping[str, Any]) -> StepSpec | None:
    index = spec.step_index(step_id)
    return next((step for step in spec.steps[index + 1 :] if step_visible(step, answers)), None)


def _step_before(spec: FormSpec, step_id: str | None, answers: Mapping[str, Any]) -> StepSpec | None:
    index = spec.step_index(step_id) if step_id else len(spec.steps)
    return next((step for step in reversed(spec.steps[:index]) if step_visible(step, answers)), None)


def current_step(spec: FormSpec, state: FlowState) -> StepSpec | None:
    """The step to show, or None at review/confirmed. A stale position falls back to the first step."""
    if state.stage != STEPS:
        return None
    step = spec.step(state.step)
    if step is not None and step_visible(step, state.answers):
        return step
    return step_after(spec, state.step, state.answers) or visible_steps(spec, state.answers)[0]


def _after_step(spec: FormSpec, state: FlowState, step: StepSpec, answers: dict, *, today: date) -> FlowState:
    if state.reviewing:
        return _at_step(spec, state, first_incomplete_step(spec, answers, today=today), answers)
    return _at_step(spec, state, step_after(spec, step.id, answers), answers)


def submit_step(
    spec: FormSpec,
    state: FlowState,
    raw: Mapping[str, Any],
    *,
    today: date,
    lang: str = "en",
    partial: bool = False,
    check: Check | None = None,
) -> tuple[FlowState, dict[str, FieldError]]:
    """Answer the current step. With errors the state is unchanged; `partial` keeps what is valid
    without moving on (saving before going back or leaving), and reports no errors."""
    if state.stage == CONFIRMED:
        return state, {"__all__": FieldError("already_confirmed")}
    step = current_step(spec, state)
    if step is None:
        return state, {}
    answers = dict(state.answers)
    errors: dict[str, FieldError] = {}
    for item in step.fields:
        if not evaluate(item.show_if, answers):
            answers.pop(item.id, None)
            continue
        value, error = clean_answer(item, raw.get(item.id), today=today, lang=lang, check=check)
        if error is not None:
            errors[item.id] = error
            if not partial:
                answers.pop(item.id, None)
        elif value is None:
            answers.pop(item.id, None)
        else:
            answers[item.id] = value
    answers = prune(spec, answers)
    if partial:
        return replace(state, answers=answers, step=step.id), {}
    if errors:
        return state, errors
    return _after_step(spec, state, step, answers, today=today), {}


def skip_step(spec: FormSpec, state: FlowState, *, today: date) -> tuple[FlowState, FieldError | None]:
    step = current_step(spec, state)
    if step is None:
        return state, None
    if not step_skippable(spec, step, state.answers):
        return state, FieldError("cannot_skip")
    answers = prune(spec, {key: value for key, value in state.answers.items() if spec.field(key) not in step.fields})
    return _after_step(spec, state, step, answers, today=today), None


def back(spec: FormSpec, state: FlowState) -> FlowState:
    """Step runner: to the previous step (from review: the last step). Nothing is lost."""
    if state.stage == CONFIRMED:
        return state
    from_id = None if state.stage == REVIEW else state.step
    previous = _step_before(spec, from_id, state.answers)
    if previous is None:
        return state
    return replace(_at_step(spec, state, previous, state.answers), reviewing=False)


def goto_step(spec: FormSpec, state: FlowState, step_id: str, *, today: date) -> tuple[FlowState, FieldError | None]:
    """Open a step directly (the review page's "Change" links). Refused when earlier steps are unfinished."""
    if state.stage == CONFIRMED:
        return state, FieldError("already_confirmed")
    if not step_reachable(spec, step_id, state.answers, today=today):
        return state, FieldError("step_incomplete")
    reviewing = state.stage == REVIEW or state.reviewing
    return replace(_at_step(spec, state, spec.step(step_id), state.answers), reviewing=reviewing), None


def to_review(spec: FormSpec, state: FlowState, *, today: date) -> tuple[FlowState, StepSpec | None]:
    """Go to review if everything is complete; otherwise (state at, the first incomplete step)."""
    incomplete = first_incomplete_step(spec, state.answers, today=today)
    if incomplete is not None:
        return _at_step(spec, state, incomplete, state.answers), incomplete
    return _at_step(spec, state, None, state.answers), None
