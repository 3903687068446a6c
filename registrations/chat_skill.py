"""The chat skill "register for a service": pick a published form, then fill it in one question at a
time through `registrations.conversation.RegistrationConversation` (the draft is saved after every
message, so leaving and coming back later in the same conversation resumes where it stopped)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.registry import Skill, Turn, quick_reply
from registrations.conversation import RegistrationConversation
from registrations.selectors import form_title, forms_published
from registrations.services import form_current_version

NAME = "register_service"
MAX_CHOICES = 8


def _norm(text: str) -> str:
    return " ".join(str(text or "").casefold().replace("-", " ").split())


class RegisterServiceSkill(Skill):
    name = NAME
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
    keywords = {
        "en": ["register", "sign up", "enroll", "registration"],
        "es": ["inscribir", "registrarme", "inscripción"],
        "zh-hans": ["登记", "报名", "注册"],
    }

    def available(self, agency) -> bool:
        return forms_published(agency=agency).exists()

    # --- routing ----------------------------------------------------------------------------------------
    def handle(self, turn: Turn):
        ref = str(turn.conversation.pk)
        convo = RegistrationConversation.resume(agency=turn.agency, conversation_ref=ref)
        if convo is not None:
            if turn.state.get("step") != "form" or turn.from_menu:
                # Coming back to a draft left earlier in this conversation: ask where it stopped.
                reply = convo.prompt()
                text = _("Welcome back. Let's continue where you stopped.") + "\n\n" + reply.text
                return self._form_reply(turn, convo, reply, text=text)
            return self._form_reply(turn, convo, convo.reply(turn.text, action=turn.action))
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
        convo, reply = RegistrationConversation.start(
            agency=turn.agency, form=form, conversation_ref=ref, language=turn.language or "en"
        )
        return self._form_reply(turn, convo, reply)

    def _form_reply(self, turn: Turn, convo, reply, *, text: str | None = None):
        if reply.done:
            return turn.reply(reply.text, decision={"reference": reply.reference})
        buttons = [quick_reply(label, action) for label, action in reply.buttons]
        if not any(action == "reg_change" for _label, action in reply.buttons):  # "Change" is the way back
            buttons.append(quick_reply(_("Back"), "back_step"))
        return turn.reply(
            text or reply.text,
            actions=[*buttons, quick_reply(_("Cancel"), "cancel")],
            state={"step": "form", "registration": convo.registration.pk, "field": reply.field_id},
        )

    # --- choosing the form ----------------------------------------------------------------------------
    def _titles(self, turn: Turn, form) -> list[str]:
        version = form_current_version(agency=turn.agency, form=form)
        return [form.slug, form.title, form_title(form, version, turn.language)]

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
            if wanted in {_norm(title) for title in self._titles(turn, form)}:
                return form
        for form in forms:  # "register to vote" → "Voter registration"? only when the title is in the text
            if any(_norm(title) and _norm(title) in wanted for title in self._titles(turn, form)):
                return form
        return None
