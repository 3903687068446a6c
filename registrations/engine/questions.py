"""Question at a time (chat): the question to ask, taking one message as an answer or a command ("back",
"skip", "confirm" in English, Spanish and Chinese; a plain "yes" or "no" at the review), and the buttons to offer."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from registrations.engine.definition import CHOICE_TYPES
from registrations.engine.fields import NO_WORDS, YES_WORDS
from registrations.engine.i18n import FieldError, localize, message
from registrations.engine.i18n_more import MORE_COMMANDS
from registrations.engine.parsing import parse_text, plain_words
from registrations.engine.review import confirm
from registrations.engine.rules import (
    clean_answer,
    count_settled,
    field_visible,
    form_message,
    prune,
    visible_fields,
)
from registrations.engine.schema import FieldSpec, FormSpec
from registrations.engine.state import CONFIRMED, REVIEW, STEPS, Check, FlowState, Question
from registrations.engine.steps import current_step, step_after

COMMANDS = {
    "back": {"back", "go back", "previous", "atrás", "atras", "volver", "regresar", "返回", "上一步", "后退"},
    "skip": {"skip", "omitir", "saltar", "跳过", "略过"},
    "confirm": {"confirm", "submit", "send", "confirmar", "enviar", "确认", "提交"},
}
for _command, _words in MORE_COMMANDS.items():
    COMMANDS[_command] |= _words


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
    words = plain_words(text or "")
    if words in REVIEW_YES:
        return "confirm"
    if words in REVIEW_CHANGE:
        return "back"
    return None


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
        step = step_after(spec, step.id, state.answers)
    return None


def next_question(spec: FormSpec, state: FlowState, *, lang: str = "en") -> Question | None:
    """The question to ask now, or None when it is time for the summary (or all is done)."""
    item = _current_field(spec, state)
    if item is None:
        return None
    fields = visible_fields(spec, state.answers)
    number = next((index for index, other in enumerate(fields, start=1) if other.id == item.id), 1)
    # "Question 1" at the report's category, "Question 2 of 5" once the category has brought its questions:
    # a total is shown only when no answer still to come can change it.
    return Question(
        field=item,
        step=spec.step(item.step_id),
        number=number,
        total=len(fields) if count_settled(spec, fields[number - 1 :]) else None,
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
    value, error = clean_answer(item, raw, today=today, lang=lang, check=check)
    if error is not None:
        return replace(state, step=item.step_id, field=item.id), error
    answers = dict(state.answers)
    if value is None:
        answers.pop(item.id, None)
    else:
        answers[item.id] = value
    return _advance_from(spec, state, item, prune(spec, answers)), None


def pass_answered(spec: FormSpec, state: FlowState) -> FlowState:
    """Past the current question, keeping the answer it already has (a runner filled it in from what the person
    said before it was asked); a question without an answer stays current."""
    item = _current_field(spec, state)
    if item is None or item.id not in state.answers:
        return state
    return _advance_from(spec, state, item, dict(state.answers))


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
