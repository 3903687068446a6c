"""Where a person is in a form (`FlowState`: plain data, JSON round-trip), and what the runners show:
a question to ask (`Question`), the review's sections (`SummarySection`, `SummaryItem`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from registrations.engine.display import choice_lines, question_hint
from registrations.engine.i18n import FieldError, localize, message
from registrations.engine.schema import FieldSpec, StepSpec

# A runner's extra check of a cleaned answer: (the value to keep, None) or (None, why it is refused).
Check = Callable[[FieldSpec, Any], tuple[Any, FieldError | None]]

STEPS, REVIEW, CONFIRMED = "steps", "review", "confirmed"


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
    total: int | None  # None while an answer still to come decides which questions follow
    lang: str
    answer: Any = None

    @property
    def label(self) -> str:
        return localize(self.field.label, self.lang)

    def prompt(self) -> str:
        """The question as one chat message: progress, label, help, options, how to answer."""
        count = (
            message("question_of", self.lang, n=self.number, total=self.total)
            if self.total is not None
            else message("question_n", self.lang, n=self.number)
        )
        lines = [f"({count}) {self.label}"]
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
