"""Forms in the chat: any form of the flow engine (`registrations.engine`), one question at a time.

A `FormSkill` asks the flow's questions, takes the citizen's answers (typed, or a quick reply),
re-asks with the reason when an answer is refused, goes back, skips optional questions, shows the
review and submits on "confirm" (or "yes"); every form that runs here behaves the same way, in every
language the engine speaks. A flow kind (reports, registrations, later appointments and renewals)
supplies what differs:

    class ReportProblemSkill(FormSkill):
        def flow(self, turn, data) -> Flow                  # its questions (built per turn: may read the catalogue)
        def submit(self, turn, flow, answers, pending) -> BotReply | Refused | Decision
        def load(self, turn) / save(self, turn, state, data) # where the draft lives (default: the skill state)

`submit` may ask one more question before it can finish (`Decision`: a duplicate nearby, a slot taken
meanwhile), or send the citizen back to a question with the reason (`Refused`).

Quick replies carry `"<action_prefix>:<value>"`: `back`, `skip`, `confirm`, `cancel`, `val:<option>`
(an option of a choice question) and `pick:<value>` (an option of a `Decision`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from chat.engine.intents import is_question
from chat.engine.registry import Skill, get_skill
from chat.engine.types import BotReply, Turn, quick_reply
from registrations.engine import CONFIRMED, REVIEW, STEPS, Flow, FlowState, parse_command
from registrations.engine.fields import NO_WORDS, YES_WORDS
from registrations.engine.parsing import plain_words

DEFAULT_SKILL = "answer"  # the knowledge base's answers (chat.engine.engine.DEFAULT_SKILL)


@dataclass
class Refused:
    """The submission was refused because of one answer: ask `field_id` again, saying `reason`."""

    field_id: str
    reason: str


@dataclass
class Decision:
    """One more question before the submission can finish. `options` are (label, value); a typed
    yes / no picks `yes` / `no`; `data` comes back to `submit` as `pending` with the chosen `value`."""

    text: str
    options: list[tuple[str, str]]
    yes: str = ""
    no: str = ""
    data: dict = field(default_factory=dict)


class FormSkill(Skill):
    action_prefix = ""  # quick-reply prefix; the skill's name when empty

    # --- what a flow kind supplies --------------------------------------------------------------------
    def flow(self, turn: Turn, data: dict) -> Flow:
        """The form's flow; `data` is what `load` keeps beside the draft ({} for a new form)."""
        raise NotImplementedError

    def submit(self, turn: Turn, flow: Flow, answers: dict, pending: dict) -> BotReply | Refused | Decision:
        raise NotImplementedError

    def start(self, turn: Turn, flow: Flow) -> FlowState:
        """The state of a new form (override to take answers from the opening message)."""
        return flow.start()

    def load(self, turn: Turn) -> tuple[FlowState, dict] | None:
        """(the draft, data kept beside it) or None when no form is running."""
        saved = turn.state.get("form")
        if not isinstance(saved, dict):
            return None
        data = turn.state.get("data")
        return FlowState.from_dict(saved), dict(data) if isinstance(data, dict) else {}

    def save(self, turn: Turn, state: FlowState, data: dict) -> dict:
        """Keep the draft; returns the skill state for the next turn."""
        return {"form": state.to_dict(), "data": data}

    def cancelled(self, turn: Turn) -> BotReply:
        return turn.reply(_("Cancelled."))

    def review_text(self, turn: Turn, flow: Flow, state: FlowState) -> str:
        return flow.summary_text(state)

    def question_text(self, turn: Turn, flow: Flow, state: FlowState, question, data: dict) -> str:
        return question.prompt()

    # --- the runner ---------------------------------------------------------------------------------
    @property
    def prefix(self) -> str:
        return self.action_prefix or self.name

    def handle(self, turn: Turn) -> BotReply | None:
        loaded = self.load(turn)
        if loaded is None:
            flow = self.flow(turn, {})
            state = self.start(turn, flow)
            return self.ask(turn, flow, state, {})
        return self.answer(turn, *loaded)

    def answer(self, turn: Turn, state: FlowState, data: dict) -> BotReply:
        """Take the citizen's message as the answer to the current question (or a command)."""
        flow = self.flow(turn, data)
        command, choice = self._read_action(turn)
        if command == "cancel":
            return self.cancelled(turn)
        pending = data.get("pending")
        if isinstance(pending, dict):
            return self._decide(turn, flow, state, data, pending, command, choice)
        if choice is not None and f"val:{choice}" not in {value for _label, value in flow.options(state)}:
            # A button of an earlier question (Telegram keeps old keyboards pressable; a reply carries
            # the title of the option pressed): not an answer to this one, whatever its text says.
            return self.ask(turn, flow, state, data, _("That button belongs to an earlier question."))
        if command is None and choice is None and not turn.action:
            interrupted = self._question(turn, flow, state, data)
            if interrupted is not None:
                return interrupted
        text = command if command in ("back", "skip", "confirm") else turn.text
        state, error = flow.answer(state, text, choice=choice)
        if state.stage == CONFIRMED:
            return self._submit(turn, flow, state, data, {})
        reason = flow.error_message(error) if error is not None else ""
        return self.ask(turn, flow, state, data, reason)

    def _question(self, turn: Turn, flow: Flow, state: FlowState, data: dict) -> BotReply | None:
        """A typed message that is plainly a question ("When is trash collected?" while the form asks
        where the pothole is) is not the answer: it is answered from the knowledge base, and the form's
        question is asked again with the draft kept. Free text (a description) may be a question."""
        if state.stage != STEPS or not is_question(turn.text):
            return None
        question = flow.next_question(state)
        if question is None or (question.field.type == "text" and question.field.multiline):
            return None
        answering = get_skill(DEFAULT_SKILL)
        if answering is None:
            return None
        turn.decision["form_interrupted"] = "question"
        answered = answering.handle(turn)
        if answered is None:
            return None
        reply = self.ask(turn, flow, state, data, lead=answered.text)
        reply.citations = answered.citations
        reply.missed = answered.missed
        reply.decision = {**answered.decision, **reply.decision}
        return reply

    def ask(
        self, turn: Turn, flow: Flow, state: FlowState, data: dict, reason: str = "", *, lead: str = ""
    ) -> BotReply:
        """The current question (or the review), after `reason` when an answer was refused (or `lead`)."""
        question = flow.next_question(state)
        if question is None:
            state = FlowState.from_dict(
                {**state.position(), "stage": REVIEW, "step": None, "field": None}, state.answers
            )
            text = self.review_text(turn, flow, state)
        else:
            text = self.question_text(turn, flow, state, question, data)
        if reason or lead:
            text = f"{reason or lead}\n\n{text}"
        actions = [quick_reply(label, f"{self.prefix}:{value}") for label, value in flow.options(state)]
        actions.append(quick_reply(_("Cancel"), f"{self.prefix}:cancel"))
        return turn.reply(
            text,
            actions=actions,
            state=self.save(turn, state, data),
            decision={"form_field": question.field.id if question else "", "form_refused": bool(reason)},
        )

    def _read_action(self, turn: Turn) -> tuple[str | None, str | None]:
        """(command, option value) carried by a quick reply of this skill; a typed command word."""
        if turn.action.startswith(f"{self.prefix}:"):
            value = turn.action.split(":", 1)[1]
            if value in ("back", "skip", "confirm", "cancel"):
                return value, None
            if value.startswith("val:"):
                return None, value[4:]
            if value.startswith("pick:"):
                return "pick", value[5:]
        return None, None

    def _submit(self, turn: Turn, flow: Flow, state: FlowState, data: dict, pending: dict) -> BotReply:
        outcome = self.submit(turn, flow, dict(state.answers), pending)
        review = FlowState.from_dict({"stage": REVIEW}, state.answers)
        if isinstance(outcome, Decision):
            asked = {"_text": outcome.text, "_options": outcome.options, "_yes": outcome.yes, "_no": outcome.no}
            return self._ask_decision(turn, review, {**data, "pending": {**outcome.data, **asked}})
        if isinstance(outcome, Refused):
            data = {key: value for key, value in data.items() if key != "pending"}
            at = FlowState.from_dict({"stage": STEPS, "field": outcome.field_id}, state.answers)
            if flow.spec.field(outcome.field_id) is None:
                at = review
            return self.ask(turn, flow, at, data, outcome.reason)
        return outcome

    def _ask_decision(self, turn: Turn, state: FlowState, data: dict, reason: str = "") -> BotReply:
        pending = data["pending"]
        text = f"{reason} {pending['_text']}" if reason else pending["_text"]
        actions = [quick_reply(label, f"{self.prefix}:pick:{value}") for label, value in pending["_options"]]
        actions.append(quick_reply(_("Cancel"), f"{self.prefix}:cancel"))
        return turn.reply(text, actions=actions, state=self.save(turn, state, data))

    def _decide(self, turn: Turn, flow: Flow, state: FlowState, data: dict, pending: dict, command, choice) -> BotReply:
        values = [value for _label, value in pending.get("_options", [])]
        picked = choice if command == "pick" and choice in values else None
        if picked is None and command is None:
            typed = plain_words(turn.text or "")
            if parse_command(turn.text) == "back":
                data = {key: value for key, value in data.items() if key != "pending"}
                return self.ask(turn, flow, state, data)
            if typed in YES_WORDS and pending.get("_yes"):
                picked = pending["_yes"]
            elif (typed in NO_WORDS or parse_command(turn.text) == "skip") and pending.get("_no"):
                picked = pending["_no"]
            else:
                picked = next(
                    (value for label, value in pending.get("_options", []) if plain_words(label) == typed), None
                )
        elif command == "back":
            data = {key: value for key, value in data.items() if key != "pending"}
            return self.ask(turn, flow, state, data)
        if picked is None:
            return self._ask_decision(turn, state, data)
        if picked == "cancel":
            return self.cancelled(turn)
        chosen = {key: value for key, value in pending.items() if not key.startswith("_")}
        chosen["value"] = picked
        data = {key: value for key, value in data.items() if key != "pending"}
        return self._submit(turn, flow, state, data, chosen)
