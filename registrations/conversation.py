"""The chat runner's Django half: a registration filled in one question at a time inside a conversation.

The chat skill "register for a service" (chat app) only routes messages here:

    convo = RegistrationConversation.resume(agency=agency, conversation_ref=str(conversation.pk))
    if convo is None:
        convo, reply = RegistrationConversation.start(agency=…, form=…, conversation_ref=…, language=…)
    else:
        reply = convo.reply(text)          # an answer, "back", "skip" or "confirm" (en/es/zh)
    send(reply.text)                        # re-asks with the reason when the answer was refused

Everything is stored in the draft registration after every message (sensitive answers encrypted),
so the person can leave and resume later in the same conversation, or continue on the web with
`reply.resume_url` (offered when a question needs a file upload).
"""

from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from registrations import services
from registrations.engine import REVIEW, Question, review_command
from registrations.engine.i18n import message
from registrations.flows import flow_for, state_for
from registrations.links import resume_url, track_url
from registrations.models import Channel, FormDefinition, Registration, Status
from registrations.selectors import registration_draft_for_conversation

# Quick-reply actions of the buttons below: what each one means, whatever its label's language.
ACTION_WORDS = {"reg_confirm": "confirm", "reg_change": "back", "reg_yes": "yes", "reg_no": "no"}


@dataclass(frozen=True)
class ChatReply:
    text: str
    done: bool = False  # submitted: the skill can end
    reference: str = ""
    resume_url: str = ""  # continue on the web (shown for file questions)
    field_id: str = ""  # the question now being asked ("" at the summary)
    buttons: tuple[tuple[str, str], ...] = ()  # (label, action): Confirm/Change at the summary, Yes/No


class RegistrationConversation:
    def __init__(self, *, agency, registration: Registration):
        self.agency = agency
        self.registration = registration

    # --- entry points ----------------------------------------------------------------------------------
    @classmethod
    def start(
        cls, *, agency, form: FormDefinition, conversation_ref: str, language: str = "en"
    ) -> tuple["RegistrationConversation", ChatReply]:
        registration = services.registration_start(
            agency=agency, form=form, channel=Channel.CHAT, language=language, conversation_ref=conversation_ref
        )
        convo = cls(agency=agency, registration=registration)
        return convo, convo.prompt()

    @classmethod
    def resume(cls, *, agency, conversation_ref: str) -> "RegistrationConversation | None":
        registration = registration_draft_for_conversation(agency=agency, conversation_ref=conversation_ref)
        return None if registration is None else cls(agency=agency, registration=registration)

    # --- one message at a time ---------------------------------------------------------------------------
    @property
    def flow(self):
        return flow_for(agency=self.agency, version=self.registration.form_version, lang=self.registration.language)

    def prompt(self) -> ChatReply:
        """The current question, or the summary when every question is answered."""
        flow = self.flow
        state = state_for(self.registration)
        question = flow.next_question(state)
        if question is None:
            return self._summary(flow.summary_text(state))
        return self._ask(question)

    def _summary(self, text: str) -> ChatReply:
        with translation.override(self.registration.language):
            buttons = (
                (pgettext("registration summary button", "Confirm"), "reg_confirm"),
                (pgettext("registration summary button", "Change"), "reg_change"),
            )
        return ChatReply(text, buttons=buttons)

    def _ask(self, question: Question, reason: str = "") -> ChatReply:
        text = question.prompt() if not reason else f"{reason}\n\n{question.prompt()}"
        link = resume_url(self.registration) if question.field.type == "file" else ""
        if link:
            text = f"{text}\n{link}"
        buttons = ()
        if question.field.type == "yes_no":
            lang = question.lang
            buttons = ((message("yes", lang), "reg_yes"), (message("no", lang), "reg_no"))
        return ChatReply(text, resume_url=link, field_id=question.field.id, buttons=buttons)

    def reply(self, text: str, *, action: str = "") -> ChatReply:
        """Take one message; `action` is the quick-reply button pressed, if any (see `ChatReply.buttons`)."""
        self.registration.refresh_from_db()
        if self.registration.status != Status.DRAFT:
            return self._submitted_reply()
        text = ACTION_WORDS.get(action, text)
        flow = self.flow
        state = state_for(self.registration)
        # At the summary the engine reads "yes"/"ok"/"oui"… as confirm and "no"/"change" as back.
        if state.stage == REVIEW and review_command(text) == "confirm":
            return self._submit()
        new_state, error = flow.answer(state, text)
        self.registration = services.registration_save_progress(
            agency=self.agency, registration=self.registration, state=new_state
        )
        if error is not None:
            question = flow.next_question(new_state)
            if question is None:
                return self._summary(f"{error.message(flow.lang)}\n\n{flow.summary_text(new_state)}")
            return self._ask(question, reason=error.message(flow.lang))
        return self.prompt()

    def _submit(self) -> ChatReply:
        try:
            self.registration = services.registration_submit(agency=self.agency, registration=self.registration)
        except services.SubmissionInvalid as exc:
            state = exc.state or state_for(self.registration)
            self.registration.refresh_from_db()
            flow = self.flow
            first = next(iter(exc.errors.values()))
            question = flow.next_question(replace(state, field=None))
            if question is None:
                return ChatReply(first.message(flow.lang))
            return self._ask(question, reason=first.message(flow.lang))
        except services.RegistrationError as exc:
            return ChatReply(exc.message)
        return self._submitted_reply()

    def _submitted_reply(self) -> ChatReply:
        registration = self.registration
        with translation.override(registration.language):
            text = _(
                "Thank you, your application was sent. Your reference number is %(reference)s. "
                "Ask me “check status %(reference)s” any time, or follow it here: %(url)s"
            ) % {"reference": registration.reference, "url": track_url(registration)}
        return ChatReply(text, done=True, reference=registration.reference)
