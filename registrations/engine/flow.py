"""The flow engine: where a person is in a form, what they may do next, and whether they are done.

Pure functions over `(FormSpec, FlowState)`; a `FlowState` is plain data (`to_dict()` / `from_dict()`
round-trip through JSON), so a runner keeps it wherever it likes. Two runners use the same rules:

* step at a time (the web wizard): `submit_step`, `skip_step`, `back`, `goto_step`, `summary`, `confirm`;
* question at a time (chat): `next_question`, `answer(state, text) -> (state, error)`, `back`, `summary`,
  `confirm`, `options` (the buttons to offer) — `answer` also understands "back", "skip" and "confirm"
  in English, Spanish and Chinese.

A runner may add its own checks of an answer (`check(field, value) -> (value, error)`: the agency's
service area, a catalogue's rules), run after the engine's own wherever an answer is accepted, and a
form may reword the engine's messages (`FormSpec.messages`, `FieldSpec.error_messages`).

Conditions only look at earlier answers, so visibility is decided in order and answers that a later
change makes irrelevant are dropped (`prune`). `validate_submission` is the one check of a whole set of
answers (used on confirm and by the API): missing required answers, answers to hidden questions and
unknown questions are all refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from registrations.engine.conditions import evaluate, referenced_fields
from registrations.engine.fields import (
    NO_WORDS,
    YES_WORDS,
    _words,
    choice_lines,
    clean_value,
    display_value,
    is_empty,
    mask_value,
    parse_text,
    question_hint,
)
from registrations.engine.i18n import FieldError, localize, message
from registrations.engine.schema import CHOICE_TYPES, FieldSpec, FormSpec, StepSpec

# A runner's extra check of a cleaned answer: (the value to keep, None) or (None, why it is refused).
Check = Callable[[FieldSpec, Any], tuple[Any, FieldError | None]]

STEPS, REVIEW, CONFIRMED = "steps", "review", "confirmed"
COMMANDS = {
    "back": {"back", "go back", "previous", "atrás", "atras", "volver", "regresar", "返回", "上一步", "后退"},
    "skip": {"skip", "omitir", "saltar", "跳过", "略过"},
    "confirm": {"confirm", "submit", "send", "confirmar", "enviar", "确认", "提交"},
}


# At the review, a plain "yes" sends the form (people answer "Yes", "ok", "oui", "是的", not the command
# word) and a plain "no" or "change" goes back to change the last answer.
REVIEW_YES = YES_WORDS | {
    "ok", "okay", "k", "yes please", "correct", "right", "all good", "looks good", "send", "send it", "go",
    "oui", "ja", "jawohl", "vale", "de acuerdo", "correcto", "listo", "está bien", "esta bien",
    "好的", "可以", "行", "没问题", "确定", "对的", "👍",
}  # fmt: skip
REVIEW_CHANGE = NO_WORDS | {"change", "edit", "fix", "cambiar", "corregir", "editar", "修改", "更改", "改"}


def review_command(text: str) -> str | None:
    """What a message at the review means: "confirm", "back" or None (neither)."""
    command = parse_command(text)
    if command in ("confirm", "back"):
        return command
    words = _words(text or "")
    if words in REVIEW_YES:
        return "confirm"
    if words in REVIEW_CHANGE:
        return "back"
    return None


@dataclass(frozen=True)
class FlowState:
    answers: dict[str, Any] = field(default_factory=dict)
    step: str | None = None  # the current step (web) — the step of `field` when asking questions
    field: str | None = None  # the current question (chat)
    stage: str = STEPS  # steps → review → confirmed
    reviewing: bool = False  # came back from the review page to change something: return there

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def position(self) -> dict[str, Any]:
        """Everything but the answers (a runner may store answers elsewhere, e.g. encrypted)."""
        data = self.to_dict()
        data.pop("answers")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None, answers: Mapping[str, Any] | None = None) -> FlowState:
        data = dict(data or {})
        stage = data.get("stage") if data.get("stage") in (STEPS, REVIEW, CONFIRMED) else STEPS
        return cls(
            answers=dict(answers if answers is not None else data.get("answers") or {}),
            step=data.get("step") if isinstance(data.get("step"), str) else None,
            field=data.get("field") if isinstance(data.get("field"), str) else None,
            stage=stage,
            reviewing=bool(data.get("reviewing")),
        )


@dataclass(frozen=True)
class Question:
    field: FieldSpec
    step: StepSpec
    number: int
    total: int
    lang: str
    answer: Any = None

    @property
    def label(self) -> str:
        return localize(self.field.label, self.lang)

    def prompt(self) -> str:
        """The question as one chat message: progress, label, help, options, how to answer."""
        lines = [f"({message('question_of', self.lang, n=self.number, total=self.total)}) {self.label}"]
        if self.field.help:
            lines.append(localize(self.field.help, self.lang))
        lines += choice_lines(self.field, self.lang)
        hint = question_hint(self.field, self.lang)
        if hint:
            lines.append(hint)
        if not self.field.required:
            lines.append(message("hint_skip", self.lang))
        return "\n".join(lines)


@dataclass(frozen=True)
class SummaryItem:
    field: FieldSpec
    label: str
    value: Any
    display: str
    sensitive: bool


@dataclass(frozen=True)
class SummarySection:
    step: StepSpec
    title: str
    items: list[SummaryItem]


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


def prune(spec: FormSpec, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only answers to known questions that are visible given the (kept) earlier answers."""
    kept: dict[str, Any] = {}
    for item in spec.fields:
        if item.id in answers and not is_empty(answers[item.id]) and field_visible(spec, item, kept):
            kept[item.id] = answers[item.id]
    return kept


# --- checking --------------------------------------------------------------------------------------
def _clean(item: FieldSpec, raw: Any, *, today: date, lang: str, check: Check | None) -> tuple[Any, FieldError | None]:
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
        value, error = _clean(item, raw, today=today, lang=lang, check=check)
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


def _step_after(spec: FormSpec, step_id: str | None, answers: Mapping[str, Any]) -> StepSpec | None:
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
    return _step_after(spec, state.step, state.answers) or visible_steps(spec, state.answers)[0]


def _after_step(spec: FormSpec, state: FlowState, step: StepSpec, answers: dict, *, today: date) -> FlowState:
    if state.reviewing:
        return _at_step(spec, state, first_incomplete_step(spec, answers, today=today), answers)
    return _at_step(spec, state, _step_after(spec, step.id, answers), answers)


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
        value, error = _clean(item, raw.get(item.id), today=today, lang=lang, check=check)
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


# --- one question at a time ----------------------------------------------------------------------------
def parse_command(text: str) -> str | None:
    word = re.sub(r"[\s.!?。\uff01\uff1f]+", " ", text or "").strip().casefold()
    for command, words in COMMANDS.items():
        if word in words:
            return command
    return None


def _current_field(spec: FormSpec, state: FlowState) -> FieldSpec | None:
    if state.stage != STEPS:
        return None
    item = spec.field(state.field) if state.field else None
    if item is not None and field_visible(spec, item, state.answers):
        return item
    step = current_step(spec, state)
    while step is not None:
        fields = visible_fields(spec, state.answers, step)
        if fields:
            return fields[0]
        step = _step_after(spec, step.id, state.answers)
    return None


def next_question(spec: FormSpec, state: FlowState, *, lang: str = "en") -> Question | None:
    """The question to ask now, or None when it is time for the summary (or all is done)."""
    item = _current_field(spec, state)
    if item is None:
        return None
    fields = visible_fields(spec, state.answers)
    number = next((index for index, other in enumerate(fields, start=1) if other.id == item.id), 1)
    return Question(
        field=item,
        step=spec.step(item.step_id),
        number=number,
        total=len(fields),
        lang=lang,
        answer=state.answers.get(item.id),
    )


def _advance_from(spec: FormSpec, state: FlowState, item: FieldSpec, answers: dict) -> FlowState:
    fields = visible_fields(spec, answers)
    order = [other.id for other in spec.fields]
    position = order.index(item.id)
    following = next((other for other in fields if order.index(other.id) > position), None)
    if following is None:
        return replace(state, answers=answers, step=None, field=None, stage=REVIEW, reviewing=False)
    return replace(state, answers=answers, step=following.step_id, field=following.id, stage=STEPS)


def answer(
    spec: FormSpec,
    state: FlowState,
    text: str,
    *,
    today: date,
    lang: str = "en",
    choice: str | None = None,
    check: Check | None = None,
) -> tuple[FlowState, FieldError | None]:
    """Take one chat message. Returns the new state and, when the answer is refused, why.

    `choice`: the value of an option the person picked from the buttons (`options`), taken as is
    instead of reading `text` (a value such as "2" would otherwise be read as the second option)."""
    command = None if choice is not None else parse_command(text)
    if state.stage == REVIEW and choice is None:
        command = review_command(text)
    if state.stage == CONFIRMED:
        return state, FieldError("already_confirmed")
    if command == "back":
        return back_question(spec, state), None
    if state.stage == REVIEW:
        if command == "confirm":
            new_state, errors = confirm(spec, state, today=today, lang=lang, check=check)
            return new_state, next(iter(errors.values()), None)
        return state, FieldError("review_outro")
    item = _current_field(spec, state)
    if item is None:
        return replace(state, stage=REVIEW, step=None, field=None), None
    if command == "skip":
        return skip_question(spec, state)
    if choice is not None and item.type in CHOICE_TYPES:
        raw = [choice] if item.type == "multiple_choice" else choice
    elif choice is not None and item.type == "yes_no":
        raw = {"yes": True, "no": False}.get(choice, choice)
    else:
        raw = parse_text(item, text, lang)
    value, error = _clean(item, raw, today=today, lang=lang, check=check)
    if error is not None:
        return replace(state, step=item.step_id, field=item.id), error
    answers = dict(state.answers)
    if value is None:
        answers.pop(item.id, None)
    else:
        answers[item.id] = value
    return _advance_from(spec, state, item, prune(spec, answers)), None


def skip_question(spec: FormSpec, state: FlowState) -> tuple[FlowState, FieldError | None]:
    item = _current_field(spec, state)
    if item is None:
        return state, None
    if item.required:
        return state, FieldError("cannot_skip")
    answers = prune(spec, {key: value for key, value in state.answers.items() if key != item.id})
    return _advance_from(spec, state, item, answers), None


def back_question(spec: FormSpec, state: FlowState) -> FlowState:
    """Chat runner: to the previous question (from review: the last one)."""
    if state.stage == CONFIRMED:
        return state
    fields = visible_fields(spec, state.answers)
    if not fields:
        return state
    current = _current_field(spec, state)
    if current is None:
        previous = fields[-1]
    else:
        ids = [item.id for item in fields]
        index = ids.index(current.id)
        if index == 0:
            return replace(state, step=current.step_id, field=current.id)
        previous = fields[index - 1]
    return replace(state, step=previous.step_id, field=previous.id, stage=STEPS, reviewing=False)


# --- review and confirm -----------------------------------------------------------------------------
def summary(
    spec: FormSpec, state: FlowState, *, lang: str = "en", reveal_sensitive: bool = False
) -> list[SummarySection]:
    sections = []
    for step in visible_steps(spec, state.answers):
        items = []
        for item in visible_fields(spec, state.answers, step):
            value = state.answers.get(item.id)
            shown = display_value(item, value, lang)
            if item.sensitive and not reveal_sensitive:
                shown = mask_value(item, value)
            items.append(SummaryItem(item, localize(item.label, lang), value, shown, item.sensitive))
        sections.append(SummarySection(step, localize(step.title, lang), items))
    return sections


def summary_text(spec: FormSpec, state: FlowState, *, lang: str = "en") -> str:
    lines = [form_message(spec, "review_intro", lang)]
    sections = summary(spec, state, lang=lang)
    for section in sections:
        if len(sections) > 1 or localize(section.title, lang):
            lines.append(f"— {section.title}")
        for item in section.items:
            lines.append(f"• {item.label}: {item.display or form_message(spec, 'not_answered', lang)}")
    lines.append(form_message(spec, "review_outro", lang))
    return "\n".join(lines)


def options(spec: FormSpec, state: FlowState, *, lang: str = "en", max_choices: int = 10) -> list[tuple[str, str]]:
    """The buttons a chat runner may offer now, as (label, value): a choice question's options
    (`"val:<value>"`, passed back to `answer` as `choice`), yes/no, "skip" for an optional
    question, "back" after the first question, and "confirm" at the review. A button's label is also
    a valid typed answer (the command words include the labels)."""
    if state.stage == CONFIRMED:
        return []
    if state.stage == REVIEW:
        return [(form_message(spec, "button_confirm", lang), "confirm"), (message("button_change", lang), "back")]
    item = _current_field(spec, state)
    if item is None:
        return []
    buttons: list[tuple[str, str]] = []
    if item.type == "single_choice":
        buttons += [(localize(choice.label, lang), f"val:{choice.value}") for choice in item.choices[:max_choices]]
    elif item.type == "yes_no":
        buttons += [(message("yes", lang), "val:yes"), (message("no", lang), "val:no")]
    if not item.required:
        buttons.append((message("button_skip", lang), "skip"))
    first = next(iter(visible_fields(spec, state.answers)), None)
    if first is not None and first.id != item.id:
        buttons.append((message("button_back", lang), "back"))
    return buttons


def confirm(
    spec: FormSpec, state: FlowState, *, today: date, lang: str = "en", check: Check | None = None
) -> tuple[FlowState, dict[str, FieldError]]:
    """Final check of every answer. On errors the state moves to the first step that needs fixing."""
    if state.stage == CONFIRMED:
        return state, {"__all__": FieldError("already_confirmed")}
    cleaned, errors = validate_submission(spec, state.answers, today=today, lang=lang, check=check)
    if errors:
        moved, _step = to_review(spec, state, today=today)
        return moved, errors
    return replace(state, answers=cleaned, step=None, field=None, stage=CONFIRMED, reviewing=False), {}


class Flow:
    """The engine bound to one form, language and clock — what a runner holds on to."""

    def __init__(
        self,
        spec: FormSpec,
        *,
        lang: str = "en",
        today: date | Callable[[], date] | None = None,
        check: Check | None = None,
    ):
        self.spec = spec
        self.lang = lang
        self._today = today
        self.check = check

    @property
    def today(self) -> date:
        if self._today is None:
            return date.today()
        return self._today() if callable(self._today) else self._today

    def start(self, answers: Mapping[str, Any] | None = None) -> FlowState:
        return start(self.spec, answers)

    # chat
    def next_question(self, state: FlowState) -> Question | None:
        return next_question(self.spec, state, lang=self.lang)

    def answer(self, state: FlowState, text: str, *, choice: str | None = None) -> tuple[FlowState, FieldError | None]:
        return answer(self.spec, state, text, today=self.today, lang=self.lang, choice=choice, check=self.check)

    def options(self, state: FlowState) -> list[tuple[str, str]]:
        return options(self.spec, state, lang=self.lang)

    def error_message(self, error: FieldError) -> str:
        return error_message(self.spec, error, self.lang)

    def back(self, state: FlowState) -> FlowState:
        return back_question(self.spec, state)

    def skip(self, state: FlowState) -> tuple[FlowState, FieldError | None]:
        return skip_question(self.spec, state)

    def summary_text(self, state: FlowState) -> str:
        return summary_text(self.spec, state, lang=self.lang)

    # web
    def current_step(self, state: FlowState) -> StepSpec | None:
        return current_step(self.spec, state)

    def submit_step(self, state: FlowState, raw: Mapping[str, Any], *, partial: bool = False):
        return submit_step(self.spec, state, raw, today=self.today, lang=self.lang, partial=partial, check=self.check)

    def skip_step(self, state: FlowState):
        return skip_step(self.spec, state, today=self.today)

    def back_step(self, state: FlowState) -> FlowState:
        return back(self.spec, state)

    def goto_step(self, state: FlowState, step_id: str):
        return goto_step(self.spec, state, step_id, today=self.today)

    def to_review(self, state: FlowState):
        return to_review(self.spec, state, today=self.today)

    # both
    def summary(self, state: FlowState, *, reveal_sensitive: bool = False) -> list[SummarySection]:
        return summary(self.spec, state, lang=self.lang, reveal_sensitive=reveal_sensitive)

    def confirm(self, state: FlowState) -> tuple[FlowState, dict[str, FieldError]]:
        return confirm(self.spec, state, today=self.today, lang=self.lang, check=self.check)

    def validate(self, answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, FieldError]]:
        return validate_submission(self.spec, answers, today=self.today, lang=self.lang, check=self.check)
