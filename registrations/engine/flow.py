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

The rules live by responsibility: `state` (FlowState and what runners show), `rules` (visibility and
checks), `steps` (step at a time), `questions` (question at a time), `review` (summary and confirm);
`Flow` below binds them to one form, language and clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from registrations.engine.i18n import FieldError
from registrations.engine.questions import (
    answer,
    back_question,
    next_question,
    options,
    pass_answered,
    skip_question,
)
from registrations.engine.review import confirm, summary, summary_text
from registrations.engine.rules import error_message, validate_submission
from registrations.engine.schema import FormSpec, StepSpec
from registrations.engine.state import Check, FlowState, Question, SummarySection
from registrations.engine.steps import back, current_step, goto_step, skip_step, start, submit_step, to_review


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

    def pass_answered(self, state: FlowState) -> FlowState:
        return pass_answered(self.spec, state)

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
