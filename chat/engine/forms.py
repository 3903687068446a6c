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
(an option of a choice question), `pick:<value>` (an option of a `Decision`), `leave` / `stay` (the answer
to "Leave this report and go to …?"); `"<skill name>:resume"` takes up a form left earlier.

A typed message that is plainly not the answer is not taken as one: a question is answered from the
knowledge base and the question asked again; another request (a person, a status, another form) is served
after one question, or at once for a person, and the draft is kept (`chat.engine.interrupts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine import interrupts, language_request
from chat.engine.intents import is_question
from chat.engine.registry import Skill, get_skill
from chat.engine.semantic import intent_name
from chat.engine.skills.answer import PASSAGE_ACTION
from chat.engine.skills.feedback import says_goodbye
from chat.engine.types import BotReply, Turn, quick_reply
from registrations.engine import CONFIRMED, REVIEW, STEPS, Flow, FlowState, parse_command
from registrations.engine.fields import NO_WORDS, YES_WORDS
from registrations.engine.parsing import plain_words

DEFAULT_SKILL = "answer"  # the knowledge base's answers (chat.engine.engine.DEFAULT_SKILL)
# Questions whose answer is written in no language (the skill state's "expects": `chat.engine.engine` keeps the
# conversation's language through such an answer unless it is plainly a sentence of another language).
IN_NO_LANGUAGE = ("email", "phone", "number", "date", "identifier", "address")
_NAME_ID = re.compile(r"(?:^|_)(?:name|surname)$")


def expected_answer(question, flow: Flow) -> str:
    """What `question` asks for when its answer has no language: its type (`IN_NO_LANGUAGE`), or "name" for a text
    question asking for a person's name (autocomplete "name", "given-name", …; the form's contact name; an id such
    as "full_name"); "" otherwise (free text, a choice, a place: read as any message is)."""
    field = question.field
    if field.type in IN_NO_LANGUAGE:
        return field.type
    if field.type != "text" or field.multiline:
        return ""
    named = any(token.endswith("name") for token in field.autocomplete.split())
    if named or field.id == flow.spec.contact.get("name") or _NAME_ID.search(field.id):
        return "name"
    return ""


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
    # What the citizen is asked when a message at a question is another request (`chat.engine.interrupts`).
    leave_text = gettext_lazy("Leave this form and go to “%(label)s”? What you have entered so far is kept.")
    # A message that reads like a new form of the same kind starts one (the draft kept), asked with this text;
    # empty: such a message is this form's answer (a registration has one draft per conversation).
    again_text = ""
    stay_label = gettext_lazy("No, continue the form")
    kept_text = gettext_lazy("Your answers so far are kept: you can continue when you are back with the assistant.")
    resume_label = gettext_lazy("Continue the form")

    # --- what a flow kind supplies --------------------------------------------------------------------
    def flow(self, turn: Turn, data: dict) -> Flow:
        """The form's flow; `data` is what `load` keeps beside the draft ({} for a new form)."""
        raise NotImplementedError

    def submit(self, turn: Turn, flow: Flow, answers: dict, pending: dict) -> BotReply | Refused | Decision:
        raise NotImplementedError

    def start(self, turn: Turn, flow: Flow) -> FlowState:
        """The state of a new form (override to take answers from the opening message)."""
        return flow.start()

    def opening_data(self, turn: Turn, state: FlowState) -> dict:
        """Data kept beside a new form's draft, read from the opening message (override)."""
        return {}

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

    def review_text(self, turn: Turn, flow: Flow, state: FlowState, data: dict) -> str:
        """The review before "Send": every answer that will be filed (`data`: the skill's own, e.g. photos)."""
        return flow.summary_text(state)

    def question_text(self, turn: Turn, flow: Flow, state: FlowState, question, data: dict) -> str:
        return question.prompt()

    def kept_draft(self, turn: Turn) -> tuple[Flow, FlowState, dict] | None:
        """The draft `turn.state` holds (a form in progress or one left for later), read without running a turn:
        what staff and the citizen's data export show (`chat.drafts`). None: no draft there any more."""
        loaded = self.load(turn)
        if loaded is None:
            return None
        state, data = loaded
        return self.flow(turn, data), state, data

    def subject(self, turn: Turn, flow: Flow, state: FlowState) -> bool | None:
        """Does the message name what this draft is about (True: a report of its own category; then a message
        that reads like a new one of its kind is its answer), something else of its kind (False: another
        category), or neither (None)?"""
        return None

    # --- the runner ---------------------------------------------------------------------------------
    @property
    def prefix(self) -> str:
        return self.action_prefix or self.name

    def handle(self, turn: Turn) -> BotReply | None:
        loaded = self.load(turn)
        if turn.action == interrupts.resume_action(self.name):
            if loaded is not None:  # another of its kind runs (the button came with an earlier reply): that one
                return self.ask(turn, self.flow(turn, loaded[1]), *loaded)
            loaded = self._parked(turn)
            if loaded is not None:
                flow = self.flow(turn, loaded[1])
                return self.ask(turn, flow, *loaded, lead=_("Welcome back. Let's continue where you stopped."))
        if loaded is None:
            flow = self.flow(turn, {})
            state = self.start(turn, flow)
            return self.ask(turn, flow, state, self.opening_data(turn, state))
        return self.answer(turn, *loaded)

    def answer(self, turn: Turn, state: FlowState, data: dict) -> BotReply:
        """Take the citizen's message as the answer to the current question (or a command)."""
        flow = self.flow(turn, data)
        command, choice = self._read_action(turn)
        if command == "cancel":
            return self.cancelled(turn)
        leaving = turn.state.get("leaving")
        if isinstance(leaving, dict):
            # The answer to "Leave this report and go to …?"; anything else drops the question.
            typed = plain_words(turn.text or "") if command is None and choice is None and not turn.action else ""
            if command == "leave" or typed in YES_WORDS:
                return self._leave(turn, flow, state, data, leaving)
            if command == "stay" or typed in NO_WORDS:
                return self.ask(turn, flow, state, data, lead=_("Let's continue where we were."))
        pending = data.get("pending")
        if isinstance(pending, dict):
            return self._decide(turn, flow, state, data, pending, command, choice)
        if choice is not None and f"val:{choice}" not in {value for _label, value in flow.options(state)}:
            # A button of an earlier question (Telegram keeps old keyboards pressable; a reply carries
            # the title of the option pressed): not an answer to this one, whatever its text says.
            return self.ask(turn, flow, state, data, _("That button belongs to an earlier question."))
        if command in ("leave", "stay"):  # a button of a question answered already
            return self.ask(turn, flow, state, data)
        if command is None and choice is None and not turn.action:
            if state.stage == STEPS and language_request.asks_for_a_language(
                turn.text, turn.conversation.language, turn.language
            ):
                # "sorry, can we continue in English please": not the answer; the question again, in that language.
                turn.decision["form_interrupted"] = "language"
                return self.ask(turn, flow, state, data)
            interrupted = self._other_request(turn, flow, state, data) or self._question(turn, flow, state, data)
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
        if state.stage != STEPS:
            return None
        question = flow.next_question(state)
        if question is None or (question.field.type == "text" and question.field.multiline):
            return None
        # At "Where is it?" a greeting that opens a request ("Hallo, ich brauche help mit meinem trash pickup") is no
        # address though it asks nothing: it was stored as the place (session-25 walk, five languages).
        greeted = (
            question.field.type == "location"
            and interrupts.opens_with_a_greeting(turn.text)
            and not interrupts.looks_like_a_place(turn.text)
        )
        if not greeted and not is_question(turn.text):
            return None
        if question.field.type == "text" and "?" not in turn.text and len(turn.text.split()) < 3:
            return None  # "Will Smith", "May Chen": a name, though its first word could open a question
        answering = get_skill(DEFAULT_SKILL)
        if answering is None:
            return None
        turn.decision["form_interrupted"] = "question"
        answered = answering.handle(turn)
        if answered is None:
            return None
        reply = self.ask(turn, flow, state, data, lead=answered.text)
        # "Or did you mean one of these?" in the lead promises its buttons: they come first (a tap answers from that
        # passage and the draft is kept to continue, `engine._route`); the answer's other buttons stay out.
        suggested = [a for a in answered.actions if str(a.get("value", "")).startswith(PASSAGE_ACTION)]
        reply.actions = suggested + [a for a in reply.actions if a not in suggested]
        reply.citations = answered.citations
        reply.missed = answered.missed
        reply.decision = {**answered.decision, **reply.decision}
        return reply

    # --- another request at a question (`chat.engine.interrupts`) ---------------------------------------
    def _other_request(self, turn: Turn, flow: Flow, state: FlowState, data: dict) -> BotReply | None:
        if state.stage != STEPS or turn.understood is None or parse_command(turn.text) is not None:
            return None  # "back", "skip", "weiter": the form's own words
        question = flow.next_question(state)
        if question is None:
            return None
        field = question.field
        valid = field.type not in ("text", "location") and flow.answer(state, turn.text)[1] is None
        found = interrupts.interruption(
            turn,
            field,
            form=self.name,
            renew=bool(self.again_text),
            subject=self.subject(turn, flow, state),
            answers=bool(state.answers),
            valid=valid,
        )
        if found is None:
            return None
        turn.decision["form_interrupted"] = intent_name(found.skill)
        if found.skill == interrupts.GREETING or found.again:
            return self.ask(turn, flow, state, data, lead=_("Let's continue where we were."))
        other = get_skill(found.skill)
        if other is None:
            return None
        if found.act:
            return self._hand_over(turn, other, turn.text, self.save(turn, state, data), note=str(self.kept_text))
        if not state.answers and other is not self:
            return self._hand_over(turn, other, turn.text, None)  # nothing entered yet: nothing to ask about or keep
        label = getattr(other, "leave_label", None) or other.label  # "Give feedback", not the menu's "End the chat"
        if other.name == interrupts.FEEDBACK and says_goodbye(turn.text):
            label = other.label  # unless the citizen said goodbye: "Chat beenden" is asked about as "End the chat"
        text = str(self.again_text) if other is self else str(self.leave_text) % {"label": label}
        saved = {**self.save(turn, state, data), "leaving": {"skill": other.name, "text": turn.text}}
        actions = [
            quick_reply(_("Yes"), f"{self.prefix}:leave"),
            quick_reply(self.stay_label, f"{self.prefix}:stay"),
        ]
        return turn.reply(text, actions=actions, state=saved, decision={"form_field": field.id, "leaving": other.name})

    def _leave(self, turn: Turn, flow: Flow, state: FlowState, data: dict, leaving: dict) -> BotReply:
        other = get_skill(str(leaving.get("skill") or ""))
        if other is None or not other.available(turn.agency):
            return self.ask(turn, flow, state, data)
        turn.decision["form_interrupted"] = intent_name(other.name)
        return self._hand_over(turn, other, str(leaving.get("text") or ""), self.save(turn, state, data))

    def _hand_over(self, turn: Turn, other: Skill, text: str, saved: dict | None, *, note: str = "") -> BotReply:
        """`other` serves `text` as a new message would be served; this form's draft is kept (`saved`, unless
        None)."""
        turn.text, turn.action, turn.state, turn.from_menu = text, "", {}, False
        turn.intent, turn.detector, turn.skill_name = other.name, "interrupt", other.name
        reply = other.handle(turn)
        if reply is None:
            reply = get_skill(DEFAULT_SKILL).handle(turn)
        if note:
            reply.text = f"{reply.text}\n\n{note}"
        if saved is not None:
            reply.park = {**reply.park, self.name: interrupts.parked_entry(saved)}
        return reply

    def _parked(self, turn: Turn) -> tuple[FlowState, dict] | None:
        """The draft left earlier in this conversation, when it is still there."""
        saved = interrupts.parked_state(turn.conversation, self.name)
        if saved is None:
            return None
        turn.state = dict(saved)
        return self.load(turn)

    def ask(
        self, turn: Turn, flow: Flow, state: FlowState, data: dict, reason: str = "", *, lead: str = ""
    ) -> BotReply:
        """The current question (or the review), after `reason` when an answer was refused (or `lead`)."""
        question = flow.next_question(state)
        if question is None:
            state = FlowState.from_dict(
                {**state.position(), "stage": REVIEW, "step": None, "field": None}, state.answers
            )
            text = self.review_text(turn, flow, state, data)
        else:
            text = self.question_text(turn, flow, state, question, data)
        if reason or lead:
            text = f"{reason or lead}\n\n{text}"
        actions = [quick_reply(label, f"{self.prefix}:{value}") for label, value in flow.options(state)]
        actions.append(quick_reply(_("Cancel"), f"{self.prefix}:cancel"))
        saved = self.save(turn, state, data)
        expects = expected_answer(question, flow) if question is not None else ""
        if expects:
            saved["expects"] = expects
        return turn.reply(
            text,
            actions=actions,
            state=saved,
            decision={"form_field": question.field.id if question else "", "form_refused": bool(reason)},
        )

    def _read_action(self, turn: Turn) -> tuple[str | None, str | None]:
        """(command, option value) carried by a quick reply of this skill; a typed command word."""
        if turn.action.startswith(f"{self.prefix}:"):
            value = turn.action.split(":", 1)[1]
            if value in ("back", "skip", "confirm", "cancel", "leave", "stay"):
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
