"""The review (summary of the answers, as sections or one chat message) and the final confirm."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from registrations.engine.display import display_value, mask_value
from registrations.engine.i18n import FieldError, localize, normalize_language
from registrations.engine.rules import form_message, validate_submission, visible_fields, visible_steps
from registrations.engine.schema import FormSpec
from registrations.engine.state import CONFIRMED, Check, FlowState, SummaryItem, SummarySection
from registrations.engine.steps import to_review

RIGHT_TO_LEFT = frozenset({"ar"})  # the engine's languages written right to left


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
    """The review as one chat message: each question on its line, its answer on the next, indented behind an
    arrow pointing at it ("• Êtes-vous citoyen des États-Unis ?" / "   → Oui"). A label and its answer joined by
    ": " read badly when the label is a question ("…?: Oui"), and a colon's spacing differs by language."""
    lines = [form_message(spec, "review_intro", lang)]
    sections = summary(spec, state, lang=lang)
    for section in sections:
        if len(sections) > 1 or localize(section.title, lang):
            lines.append(f"— {section.title}")
        for item in section.items:
            lines += item_lines(item.label, item.display or form_message(spec, "not_answered", lang), lang=lang)
    lines.append(form_message(spec, "review_outro", lang))
    text = "\n".join(lines)
    return _FRENCH_SPACE.sub("\u00a0", text) if normalize_language(lang) == "fr" else text


def item_lines(label: str, answer: str, *, lang: str = "en") -> list[str]:
    """One question of a chat review: "• question" on its line, the answer on the next behind an arrow pointing at it
    (a multi-line answer's later lines stay under the arrow). Shared by the chat's own reviews (the report form's)."""
    rtl = normalize_language(lang) in RIGHT_TO_LEFT
    arrow = "←" if rtl else "→"  # an arrow is not mirrored right to left
    lines = [f"• {label}"]
    for index, part in enumerate(answer.split("\n")):
        lead = f"   {arrow} " if index == 0 else "     "
        # Isolated in a right-to-left message, so "1 Main St" keeps its number in front (was: at the end), and led by
        # a right-to-left mark: the line has no letter of its own outside the isolate, and the chat lays each line out
        # by its first letter, so an answer in Latin letters ("pat@example.com", "Pat Citizen") sat at the left
        # edge of the Arabic review, under its question on the right (session-24 walk).
        lines.append(f"\u200f{lead}\u2068{part}\u2069" if rtl else f"{lead}{part}")
    return lines


# French sets "?", "!", ":", ";" and "»" after a space, "«" before one: a no-break space, so that a narrow chat bubble
# does not put a question's "?" alone on the next line ("… Ville de Springfield" / "?").
_FRENCH_SPACE = re.compile(r"(?<=«) | (?=[?!:;»])")


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
