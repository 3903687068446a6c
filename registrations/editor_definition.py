"""The question editor's state turned back into a form definition, with the problems found at the question (or
page) each belongs to, in the admin's language. What the editor does not show is taken from the stored
definition, question by question (see `registrations.editor_state`)."""

from __future__ import annotations

import copy
import re

from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.language import in_sentence
from registrations.editor_state import KINDS, MAX_TEXT, EditorState, Question
from registrations.editor_state import _text as text_in
from registrations.engine import DefinitionError, load_definition, localize
from registrations.engine.definition import _ALLOWED_OPTIONS, _COMMON, CHOICE_TYPES, ID_PATTERN

CONTACT_TYPES = {"name": "text", "email": "email", "phone": "phone"}
CONTACT_MESSAGES = {
    "name": lambda: _("The applicant's name is taken from this question: its answer must stay text."),
    "email": lambda: _("The applicant's e-mail is taken from this question: its answer must stay an e-mail address."),
    "phone": lambda: _(
        "The applicant's phone number is taken from this question: its answer must stay a phone number."
    ),
}


# --- Back to a definition ---------------------------------------------------------------------------------


def _merged(stored, typed: dict[str, str], first: str) -> dict[str, str]:
    """The stored text per language with the editor's languages replaced by what was typed (empty: removed)."""
    out = dict(stored) if isinstance(stored, dict) else ({first: stored} if isinstance(stored, str) and stored else {})
    for code, text in typed.items():
        if text:
            out[code] = text
        else:
            out.pop(code, None)
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _value_for(label: str, taken: set[str], number: int) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", slugify(label)).strip("_")[:50] or f"choice_{number}"
    value, extra = base, 2
    while value in taken:
        value, extra = f"{base}_{extra}", extra + 1
    return value


def _choices(question: Question, stored: dict, languages: list[str], errors: list[str]) -> list[dict]:
    """The choices as typed, one per line. A line keeps its choice's stored value when its text is that choice's
    (so removing or reordering lines never gives an answer another meaning), or when only words changed in place;
    a new line gets a new value. Choices with text in none of the editor's languages are kept where they were."""
    first = languages[0]
    stored_choices = [
        choice for choice in stored.get("choices") or [] if isinstance(choice, dict) and "value" in choice
    ]
    lines = {code: [line for line in _lines(question.choices.get(code, "")) if line] for code in languages}
    names = lines[first]
    if not names and stored_choices and not any(question.choices.values()):
        return copy.deepcopy(stored_choices)  # in none of the editor's languages: kept as they are
    if not names:
        errors.append(_("Write at least one choice in %(language)s, one per line.") % {"language": in_sentence(first)})
        return []
    if len({name.casefold() for name in names}) != len(names):
        errors.append(_("Two choices have the same name."))
    for code in languages[1:]:
        if len(lines[code]) > len(names):
            errors.append(
                _("There are more choices in %(language)s than in %(first)s: one choice per line, in the same order.")
                % {"language": in_sentence(code), "first": in_sentence(first)}
            )

    def shown(choice: dict) -> bool:
        return any(text_in(choice.get("label"), code, first) for code in languages)

    by_text = {text_in(choice.get("label"), first, first).casefold(): choice for choice in stored_choices}
    by_text.pop("", None)
    positional = [value.strip() for value in question.values.split(",") if value.strip()]
    in_place = len(positional) == len(names)  # nothing added or removed: a changed line is the same choice
    every_value = {choice["value"] for choice in stored_choices}
    taken: set[str] = set()
    out = []
    for number, name in enumerate(names):
        choice = by_text.get(name.casefold())
        if choice is None and in_place:
            choice = next((item for item in stored_choices if item["value"] == positional[number]), None)
        if choice is not None and choice["value"] in taken:
            choice = None
        value = choice["value"] if choice is not None else _value_for(name, taken | every_value, number + 1)
        taken.add(value)
        built = copy.deepcopy(choice) if choice is not None else {}
        typed = {code: (lines[code][number] if number < len(lines[code]) else "") for code in languages}
        built.update(value=value, label=_merged(built.get("label"), typed, first))
        out.append(built)
    for index, choice in enumerate(stored_choices):
        if not shown(choice) and choice["value"] not in taken:
            out.insert(min(index, len(out)), copy.deepcopy(choice))
    return out


def _field(question: Question, stored: dict, languages: list[str], errors: list[str]) -> dict:
    first = languages[0]
    if question.type not in KINDS:
        errors.append(_("Choose what kind of answer this question takes."))
        question.type = stored.get("type", "text") if stored.get("type") in KINDS else "text"
    # The agency's first language is required where the form has it (a form written only in English stays valid at
    # an agency whose languages, the editor's, do not include English).
    if not question.label.get(first) and (
        text_in(stored.get("label"), first, first) or not _merged(stored.get("label"), question.label, first)
    ):
        errors.append(_("Write the question in %(language)s.") % {"language": in_sentence(first)})
    for texts in (question.label, question.help):
        if any(len(text) > MAX_TEXT for text in texts.values()):
            errors.append(_("A text is longer than %(n)d characters.") % {"n": MAX_TEXT})
            break
    spec = copy.deepcopy(stored)
    spec.update(id=question.id, type=question.type, label=_merged(stored.get("label"), question.label, first))
    help_text = _merged(stored.get("help"), question.help, first)
    if help_text:
        spec["help"] = help_text
    else:
        spec.pop("help", None)
    if question.required:
        spec.pop("required", None)  # the engine's default
    else:
        spec["required"] = False
    if question.type in CHOICE_TYPES:
        spec["choices"] = _choices(question, stored, languages, errors)
    allowed = _COMMON | _ALLOWED_OPTIONS[question.type]
    # A question that became another kind keeps only the options that kind has (a date's earliest day does
    # not follow it into a yes-or-no question).
    return {key: value for key, value in spec.items() if key in allowed}


def _id_from_label(question: Question, first: str, taken: set[str]) -> str:
    """A new question's id from its label ("Preferred language" -> preferred_language), when free."""
    base = re.sub(r"[^a-z0-9_]+", "_", slugify(question.label.get(first, "")).replace("-", "_")).strip("_")[:40]
    if base and re.match(ID_PATTERN, base) and base not in taken:
        return base
    return question.id


def definition_from_state(state: EditorState, stored: dict) -> tuple[dict, dict[str, list[str]]]:
    """The definition the state describes, and the problems found: {"form" | "s<i>" | "q<i>_<j>": [messages]}."""
    first = state.languages[0]
    errors: dict[str, list[str]] = {}
    stored_fields = {
        spec["id"]: spec
        for step in stored.get("steps", [])
        for spec in step.get("fields", [])
        if isinstance(spec, dict)
    }
    stored_steps = {step["id"]: step for step in stored.get("steps", []) if isinstance(step, dict)}
    taken = set(stored_fields) | state.all_ids()
    contact_roles = {
        field_id: role for role, field_id in (stored.get("contact") or {}).items() if role in CONTACT_TYPES
    }
    definition = {key: copy.deepcopy(value) for key, value in stored.items() if key != "steps"}
    definition["schema_version"] = stored.get("schema_version", 1)
    definition["title"] = _merged(stored.get("title"), state.title, first)
    if not state.title.get(first) and (text_in(stored.get("title"), first, first) or not definition["title"]):
        errors.setdefault("form", []).append(
            _("Give the form a title in %(language)s.") % {"language": in_sentence(first)}
        )
    steps = []
    for s, step in enumerate(state.steps):
        stored_step = stored_steps.get(step.id, {})
        built = {key: copy.deepcopy(value) for key, value in stored_step.items() if key != "fields"}
        built["id"] = step.id
        built["title"] = _merged(stored_step.get("title"), step.title, first)
        if not step.title.get(first) and (text_in(stored_step.get("title"), first, first) or not built["title"]):
            errors.setdefault(f"s{s}", []).append(
                _("Give the page a title in %(language)s.") % {"language": in_sentence(first)}
            )
        fields = []
        for q, question in enumerate(step.questions):
            problems: list[str] = []
            stored_field = stored_fields.get(question.id, {})
            if not stored_field and question.id.startswith("question_"):
                new_id = _id_from_label(question, first, taken - {question.id})
                taken.add(new_id)
                question.id = new_id
            fields.append(_field(question, stored_field, state.languages, problems))
            role = contact_roles.get(question.id)
            if role is not None and question.type != CONTACT_TYPES[role]:
                problems.append(CONTACT_MESSAGES[role]())
            if problems:
                errors[f"q{s}_{q}"] = problems
        built["fields"] = fields
        steps.append(built)
    definition["steps"] = steps
    if not errors:
        try:
            load_definition(definition)
        except DefinitionError as exc:
            for message in exc.errors:
                key, message = _in_words(message, definition)
                errors.setdefault(key, []).append(message)
    return definition, errors


def _position(definition: dict, field_id: str) -> str | None:
    for s, step in enumerate(definition["steps"]):
        for q, spec in enumerate(step["fields"]):
            if spec["id"] == field_id:
                return f"q{s}_{q}"
    return None


def _in_words(message: str, definition: dict) -> tuple[str, str]:
    """(where, message): the engine's messages the editor's buttons can cause, said in the admin's words at the
    question to change; any other as the engine says it, at the question its path names."""
    found = re.match(r"^steps\[(\d+)\]\.fields\[(\d+)\]\.show_if: '(.+)' is not a choice of '([a-z0-9_]+)'$", message)
    if found:
        dependent = definition["steps"][int(found.group(1))]["fields"][int(found.group(2))]
        owner = _position(definition, found.group(4))
        if owner is not None:
            return owner, _(
                "Question “%(question)s” is shown only for the choice “%(value)s”: keep that choice, or change that "
                "question's condition in the JSON view first."
            ) % {
                "question": localize(dependent.get("label"), get_language()) or dependent["id"],
                "value": found.group(3),
            }
    return _where(message, definition), message


def _where(message: str, definition: dict) -> str:
    """Which question (or page) an engine message is about, by its path or the field id it names."""
    found = re.match(r"^steps\[(\d+)\]\.fields\[(\d+)\]", message)
    if found:
        return f"q{found.group(1)}_{found.group(2)}"
    found = re.match(r"^steps\[(\d+)\]", message)
    if found:
        return f"s{found.group(1)}"
    found = re.match(r"^contact\.\w+: '([a-z0-9_]+)'", message)
    if found:
        for s, step in enumerate(definition["steps"]):
            for q, spec in enumerate(step["fields"]):
                if spec["id"] == found.group(1):
                    return f"q{s}_{q}"
    return "form"
