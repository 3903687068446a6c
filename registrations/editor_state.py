"""The question editor's state: a form's pages and questions as a city clerk edits them (labels, help and choices
per language, kind of answer, required), read from a stored definition or from the editor's posted fields, changed
by its buttons (add, remove, move); `registrations.editor_definition` turns it back into a definition with the
problems found, each at the question it belongs to.

The state keeps what was typed as typed, so a page sent back with problems loses nothing. Everything the editor
does not show (conditions, validation rules, sensitive flags, keywords of choices, the form's contact fields,
texts in languages the agency does not list) is kept from the stored definition, question by question (by id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.engine.conditions import referenced_fields
from registrations.engine.definition import ID_PATTERN

MAX_STEPS = 50
MAX_QUESTIONS = 50
MAX_TEXT = 2000

# The kinds of answer a clerk picks from, in words ("identifier" needs a validator: kept, not offered anew).
KINDS = {
    "text": gettext_lazy("Text"),
    "number": gettext_lazy("Number"),
    "date": gettext_lazy("Date"),
    "email": gettext_lazy("E-mail address"),
    "phone": gettext_lazy("Phone number"),
    "yes_no": gettext_lazy("Yes or no"),
    "single_choice": gettext_lazy("One choice from a list"),
    "multiple_choice": gettext_lazy("Several choices from a list"),
    "address": gettext_lazy("Postal address"),
    "file": gettext_lazy("File upload"),
    "location": gettext_lazy("Place on a map"),
    "identifier": gettext_lazy("Identification number"),
}
OFFERED_KINDS = [kind for kind in KINDS if kind != "identifier"]


@dataclass
class Question:
    id: str
    type: str = "text"
    required: bool = True
    label: dict[str, str] = field(default_factory=dict)
    help: dict[str, str] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)  # language -> one choice per line
    values: str = ""  # the stored values of the choices, comma-separated, in the same order


@dataclass
class Step:
    id: str
    title: dict[str, str] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)


@dataclass
class EditorState:
    languages: list[str]
    title: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    def all_ids(self) -> set[str]:
        return {question.id for step in self.steps for question in step.questions}


class EditorInputError(ValueError):
    """The posted fields are not the editor's (a tampered or truncated page)."""


def _text(value, language: str, first: str) -> str:
    if isinstance(value, dict):
        return value.get(language, "")
    return value if isinstance(value, str) and language == first else ""


def state_from_definition(definition: dict, languages: list[str]) -> EditorState:
    first = languages[0]
    state = EditorState(
        languages=languages, title={code: _text(definition.get("title"), code, first) for code in languages}
    )
    for step in definition.get("steps", []):
        questions = []
        for spec in step.get("fields", []):
            choices = spec.get("choices") or []
            questions.append(
                Question(
                    id=spec["id"],
                    type=spec.get("type", "text"),
                    required=spec.get("required", True) is not False,
                    label={code: _text(spec.get("label"), code, first) for code in languages},
                    help={code: _text(spec.get("help"), code, first) for code in languages},
                    choices={
                        code: "\n".join(_text(choice.get("label"), code, first) for choice in choices)
                        for code in languages
                    },
                    values=",".join(choice.get("value", "") for choice in choices),
                )
            )
        state.steps.append(
            Step(
                id=step["id"],
                title={code: _text(step.get("title"), code, first) for code in languages},
                questions=questions,
            )
        )
    return state


def _count(post, name: str, limit: int) -> int:
    raw = post.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or int(raw) > limit:
        raise EditorInputError(name)
    return int(raw)


def _texts(post, prefix: str, languages: list[str]) -> dict[str, str]:
    return {code: post.get(f"{prefix}-{code}", "").strip() for code in languages}


def state_from_post(post, languages: list[str]) -> EditorState:
    state = EditorState(languages=languages, title=_texts(post, "title", languages))
    for s in range(_count(post, "steps", MAX_STEPS)):
        step_id = post.get(f"s{s}-id", "")
        if not re.match(ID_PATTERN, step_id):
            raise EditorInputError(f"s{s}-id")
        step = Step(id=step_id, title=_texts(post, f"s{s}-title", languages))
        for q in range(_count(post, f"s{s}-count", MAX_QUESTIONS)):
            prefix = f"q{s}_{q}"
            question_id = post.get(f"{prefix}-id", "")
            if not re.match(ID_PATTERN, question_id):
                raise EditorInputError(f"{prefix}-id")
            step.questions.append(
                Question(
                    id=question_id,
                    type=post.get(f"{prefix}-type", "text"),
                    required=post.get(f"{prefix}-required") == "on",
                    label=_texts(post, f"{prefix}-label", languages),
                    help=_texts(post, f"{prefix}-help", languages),
                    choices={code: post.get(f"{prefix}-choices-{code}", "").strip() for code in languages},
                    values=post.get(f"{prefix}-values", ""),
                )
            )
        state.steps.append(step)
    return state


# --- The buttons ----------------------------------------------------------------------------------------


def _new_id(state: EditorState) -> str:
    taken = state.all_ids()
    number = 1
    while f"question_{number}" in taken:
        number += 1
    return f"question_{number}"


def _dependents(definition: dict, question_id: str) -> list[str]:
    """The questions (their ids) and contact roles that use this question's answer."""
    users = []
    for step in definition.get("steps", []):
        if question_id in referenced_fields(step.get("show_if") or {}):
            users.append(step["id"])
        for spec in step.get("fields", []):
            if question_id in referenced_fields(spec.get("show_if") or {}):
                users.append(spec["id"])
    return users


def op_target(op: str, state: EditorState) -> str:
    """Where the page should take the reader after the button `op` (the id of a question or a page)."""
    parts = op.split(":")
    try:
        s, q = int(parts[1]), (int(parts[2]) if len(parts) > 2 else None)
    except (IndexError, ValueError):
        return ""
    if parts[0] == "add":
        return f"q{s}_{len(state.steps[s].questions) - 1}" if s < len(state.steps) else ""
    if parts[0] in ("up", "down") and q is not None:
        return f"q{s}_{q - 1 if parts[0] == 'up' else q + 1}"
    return f"page-{s}"


def apply_op(state: EditorState, op: str, stored: dict) -> str | None:
    """Change the state as the button `op` says ("add:<page>", "remove:<page>:<n>", "up:…", "down:…");
    a message when it cannot be done. Raises EditorInputError for a button the page never had."""
    parts = op.split(":")
    try:
        numbers = [int(part) for part in parts[1:]]
        step = state.steps[numbers[0]]
        question = step.questions[numbers[1]] if len(numbers) > 1 else None
    except (ValueError, IndexError) as exc:
        raise EditorInputError(op) from exc
    if parts[0] == "add" and len(numbers) == 1:
        if len(step.questions) >= MAX_QUESTIONS:
            return _("A page holds at most %(n)d questions.") % {"n": MAX_QUESTIONS}
        step.questions.append(Question(id=_new_id(state), label=dict.fromkeys(state.languages, "")))
        return None
    if question is None or len(numbers) != 2:
        raise EditorInputError(op)
    index = numbers[1]
    if parts[0] == "remove":
        if len(step.questions) == 1:
            return _("A page needs at least one question: add another before removing this one.")
        users = _dependents(stored, question.id)
        if users:
            return _("Other questions are shown depending on this answer (%(ids)s): change them first.") % {
                "ids": ", ".join(users)
            }
        if question.id in (stored.get("contact") or {}).values():
            return _("The applicant's contact details are taken from this question: it cannot be removed here.")
        step.questions.pop(index)
        return None
    if parts[0] in ("up", "down"):
        target = index - 1 if parts[0] == "up" else index + 1
        if 0 <= target < len(step.questions):
            step.questions[index], step.questions[target] = step.questions[target], step.questions[index]
        return None
    raise EditorInputError(op)
