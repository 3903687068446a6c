"""The chat skill "register for a service": pick a published form, then fill it in one question at a
time on the form engine's chat runner (`chat.engine.forms.FormSkill`, as every form in the chat). The
draft is the registration row, saved after every message (sensitive answers encrypted), so leaving and
coming back later in the same conversation resumes where it stopped; a file question links the web form."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.forms import FormSkill, Refused
from chat.engine.registry import Turn, quick_reply
from core import language as language_codes
from registrations import services, signup_words
from registrations.engine import FieldError
from registrations.flows import flow_for, spec_for, state_for
from registrations.form_marks import marks as _marks
from registrations.form_marks import norm as _norm
from registrations.links import resume_url, track_url
from registrations.models import Registration, Status, chat_channel
from registrations.selectors import form_title, forms_published, registration_draft_for_conversation
from registrations.services import form_current_version

NAME = "register_service"
MAX_CHOICES = 8


def _form_language_note(spec, language: str | None) -> str:
    """ "This form is only available in English." in the citizen's language, when the agency wrote the form in
    other languages than theirs (its questions then come in English, or in the first language it has)."""
    written = (
        [language_codes.normalize(code) for code, text in spec.title.items() if text]
        if isinstance(spec.title, dict)
        else []
    )
    wanted = language_codes.normalize(language)
    if not written or not wanted or language_codes.primary(wanted) in {language_codes.primary(c) for c in written}:
        return ""
    shown = "en" if "en" in written else written[0]
    ui, name = language_codes.named_for(shown, wanted)
    with translation.override(ui):
        return _("This form is only available in %(language)s.") % {"language": name}


class RegisterServiceSkill(FormSkill):
    name = NAME
    action_prefix = "reg"
    label = gettext_lazy("Register for a service")
    description = (
        "The citizen wants to sign up or register for a service or programme, such as voter registration, "
        "employment assistance, vehicle registration, social benefits or tax registration."
    )
    parameters = {
        "type": "object",
        "properties": {"form": {"type": "string", "description": "The service or form named, if any."}},
    }
    menu_order = 25
    examples = {
        "en": [
            "register to vote",
            "I want to sign up for employment assistance",
            "register for a service",
            "sign up for benefits",
            "apply for a program",
            "voter registration",
            "I need to register my business for taxes",
        ],
        "es": [
            "inscribirme para votar",
            "quiero inscribirme en ayuda para el empleo",
            "registrarme para un servicio",
            "solicitar beneficios",
            "registro de votantes",
        ],
        "zh-hans": ["登记选民", "我想报名就业援助", "注册服务", "申请福利", "办理登记"],
    }
    # The words of signing up in every language the chat speaks (`registrations.signup_words`): a statement
    # naming the act is a registration ("quiero apuntarme a…", "ich will mich eintragen lassen"); a question
    # about a registration ("how long does voter registration take?") is for the knowledge base, unless it
    # names the act ("how do I sign up for …?", "¿dónde me apunto?").
    keywords = signup_words.KEYWORDS
    asked_how = True  # "can I report it anonymously / by phone?", "kann man sich online anmelden?": questions
    questions = False
    request_words = {
        language: [*words, *signup_words.PLACES.get(language, [])] for language, words in signup_words.VERBS.items()
    }

    def available(self, agency) -> bool:
        return forms_published(agency=agency).exists()

    # --- routing ----------------------------------------------------------------------------------------
    def handle(self, turn: Turn):
        registration = self._draft(turn)
        if registration is not None:
            data = {"registration": registration}
            if turn.state.get("step") != "form" or turn.from_menu:
                # Coming back to a draft left earlier in this conversation: ask where it stopped.
                flow = self.flow(turn, data)
                lead = _("Welcome back. Let's continue where you stopped.")
                return self.ask(turn, flow, state_for(registration), data, lead=lead)
            return self.answer(turn, state_for(registration), data)
        forms = list(forms_published(agency=turn.agency)[:MAX_CHOICES])
        if not forms:
            return turn.reply(_("There are no services to register for online at the moment."))
        form = self._chosen(turn, forms)
        if form is None:
            if turn.state.get("step") == "pick" and not turn.from_menu and not turn.action:
                text = _("I did not find that service. Please choose one of these:")
            else:
                text = _("Which service would you like to register for?")
            return turn.reply(text, actions=self._choices(turn, forms), state={"step": "pick"})
        registration = services.registration_start(
            agency=turn.agency,
            form=form,
            channel=chat_channel(turn.conversation.channel),
            language=turn.language or "en",
            conversation_ref=str(turn.conversation.pk),
        )
        data = {"registration": registration}
        # The form's name first: a citizen who typed "투표하려면 등록하고 싶어요" sees which form began (seen on make
        # run: "(질문 1) 미국 시민이십니까?" alone), then the note when it is not in their language.
        title = form_title(form, registration.form_version, turn.language)
        note = _form_language_note(spec_for(registration.form_version), turn.language)
        lead = "\n".join(part for part in (title, note) if part)
        return self.ask(turn, self.flow(turn, data), state_for(registration), data, lead=lead)

    def _draft(self, turn: Turn) -> Registration | None:
        return registration_draft_for_conversation(agency=turn.agency, conversation_ref=str(turn.conversation.pk))

    # --- the form engine's side -----------------------------------------------------------------------
    def flow(self, turn: Turn, data: dict):
        registration = data["registration"]
        return flow_for(agency=turn.agency, version=registration.form_version, lang=registration.language)

    def kept_draft(self, turn: Turn):
        """The conversation's draft registration (sent or deleted meanwhile: None)."""
        registration = self._draft(turn) if turn.state.get("step") == "form" else None
        if registration is None:
            return None
        data = {"registration": registration}
        return self.flow(turn, data), state_for(registration), data

    def save(self, turn: Turn, state, data: dict) -> dict:
        registration = data["registration"]
        if registration.status == Status.DRAFT:
            data["registration"] = services.registration_save_progress(
                agency=turn.agency, registration=registration, state=state
            )
        return {"step": "form", "registration": registration.pk, "field": state.field or ""}

    def question_text(self, turn: Turn, flow, state, question, data: dict) -> str:
        text = question.prompt()
        if question.field.type == "file":
            text = f"{text}\n{resume_url(data['registration'])}"  # continue on the web to upload it
        return text

    def cancelled(self, turn: Turn):
        return turn.reply(_("Cancelled."))

    def submit(self, turn: Turn, flow, answers: dict, pending: dict):
        registration = self._draft(turn)
        if registration is None:  # sent meanwhile (another tab, the web form)
            return Refused(field_id="", reason=flow.error_message(FieldError("already_confirmed")))
        registration = self.send(turn, flow, registration)
        if isinstance(registration, Refused):
            return registration
        with translation.override(registration.language):
            text = _(
                "Thank you, your application was sent. Your reference number is %(reference)s. "
                "Ask me “check status %(reference)s” any time, or follow it here: %(url)s"
            ) % {"reference": registration.reference, "url": track_url(registration)}
        return turn.reply(text, decision={"reference": registration.reference})

    def send(self, turn: Turn, flow, registration: Registration, *, actor=None) -> Registration | Refused:
        """Submit the conversation's draft registration: by the citizen (`submit`), or by the agent who took the
        conversation (`actor`, `chat.completion`); an answer refused (or the draft sent meanwhile) is a `Refused`."""
        try:
            return services.registration_submit(agency=turn.agency, registration=registration, actor=actor)
        except services.SubmissionInvalid as exc:
            field_id, error = next(iter(exc.errors.items()))
            return Refused(field_id=field_id, reason=flow.error_message(error))
        except services.RegistrationError as exc:
            return Refused(field_id="", reason=exc.message)

    # --- choosing the form ----------------------------------------------------------------------------
    def _titles(self, turn: Turn, form) -> list[str]:
        version = form_current_version(agency=turn.agency, form=form)
        return [form.slug, form.title, form_title(form, version, turn.language)]

    def _names(self, turn: Turn, form) -> list[str]:
        """The form's slug and titles, its title in every language it has too (the citizen may name it in one the
        conversation does not use: "đăng ký cử tri" in an English conversation)."""
        version = form_current_version(agency=turn.agency, form=form)
        title = spec_for(version).title if version is not None else None
        others = [str(text) for text in title.values() if text] if isinstance(title, dict) else []
        return list(dict.fromkeys([*self._titles(turn, form), *others]))

    def _choices(self, turn: Turn, forms) -> list[dict]:
        return [quick_reply(self._titles(turn, form)[2], f"{NAME}:{form.slug}") for form in forms]

    def _chosen(self, turn: Turn, forms):
        by_slug = {form.slug: form for form in forms}
        if turn.action.startswith(f"{NAME}:"):
            return by_slug.get(turn.action.split(":", 1)[1])
        wanted = _norm(turn.arguments.get("form") or "") or _norm(turn.text)
        if not wanted:
            return None
        if wanted.isdigit() and turn.state.get("step") == "pick":
            index = int(wanted) - 1
            return forms[index] if 0 <= index < len(forms) else None
        for form in forms:
            if wanted in {_norm(title) for title in self._names(turn, form)}:
                return form
        for form in forms:  # the whole title in the text: "I want a library card"
            if any(_norm(title) and _norm(title) in wanted for title in self._names(turn, form)):
                return form
        # "I want to register to vote" → "Voter registration": the title's own words (less the words of
        # registering itself) in the text, for exactly one form; failing that, its description's ("투표하려면
        # 등록하고 싶어요", to vote, names "유권자 등록" only by its description: "…선거에 투표할 수 있도록…").
        said = _marks(wanted, vietnamese=turn.language == "vi")
        named = [form for form in forms if said & set().union(*(_marks(_norm(t)) for t in self._names(turn, form)))]
        if named:
            return named[0] if len(named) == 1 else None
        # A description shares everyday words with others ("pour", "Springfield"): the one sharing most, alone, and
        # at least two of the message's marks unless it has only one ("swimming lessons" is not "…or less").
        shared = sorted(
            (
                (len(said & set().union(*(_marks(_norm(t)) for t in self._descriptions(turn, form)))), form)
                for form in forms
            ),
            key=lambda item: -item[0],
        )
        enough = 1 if len(said) == 1 else 2
        if shared and shared[0][0] >= enough and (len(shared) == 1 or shared[0][0] > shared[1][0]):
            return shared[0][1]
        return None

    def _descriptions(self, turn: Turn, form) -> list[str]:
        """The form's description in every language it has (the citizen may write one the chat does not use)."""
        version = form_current_version(agency=turn.agency, form=form)
        description = spec_for(version).description if version is not None else None
        if isinstance(description, dict):
            return [str(text) for text in description.values() if text]
        return [description] if description else []
