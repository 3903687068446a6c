"""The chat skill "report a problem": a form of the flow engine (`chat.engine.forms.FormSkill`) built
from the agency's catalogue each turn (category, location, description, photo, the category's own
questions), checked by the same validation as the web form and filed by `service_request_create`,
with nearby duplicates offered to follow instead."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.forms import Decision, FormSkill, Refused
from chat.engine.intents import _matcher, normalize
from chat.engine.types import Turn
from messaging.turns import PHOTO_ONLY
from registrations.engine import FieldError, FieldSpec, Flow, FlowState, parse_command
from registrations.engine.rules import clean_answer
from requests_app import report_words, selectors, validation
from requests_app.chat_elsewhere import handled_elsewhere
from requests_app.chat_form import ATTRIBUTE_PREFIX, Catalogue, attribute_field_id, category_keywords, review_message
from requests_app.chat_location import typed_place
from requests_app.chat_opening import noted_text, opening_answers
from requests_app.models import chat_source
from requests_app.photos import MAX_PHOTOS
from requests_app.services import (
    DuplicatesFound,
    FilingResult,
    OnDuplicate,
    Reporter,
    follower_add,
    service_request_create,
)

# Where the filing service's field errors send the citizen back to.
_FIELD_QUESTION = {
    "service_code": "category",
    "lat": "location",
    "long": "location",
    "address_string": "location",
    "address_id": "location",
    "location": "location",
    "description": "description",
    "media": "photo",
}


def _refusal(exc: ValidationError) -> FieldError:
    return FieldError("invalid", text=" ".join(exc.messages))


def _going_back(turn: Turn, prefix: str) -> bool:
    """The citizen pressed "Back" (or typed it)."""
    return turn.action == f"{prefix}:back" or (not turn.action and parse_command(turn.text or "") == "back")


def _track_link(agency, reference: str) -> str:
    return reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={reference}"


class ReportProblemSkill(FormSkill):
    name = "report_problem"
    action_prefix = "report"
    label = gettext_lazy("Report a problem")
    description = "The citizen wants to report a problem such as a pothole, a broken street light or a hazard."
    menu_order = 20
    examples = {
        "en": [
            "report a pothole",
            "there is a broken street light",
            "report a problem",
            "I want to report a hazard",
            "there is a fallen tree on the road",
            "the park bench is broken",
        ],
        "es": ["reportar un bache", "hay una farola rota", "reportar un problema", "quiero reportar un peligro"],
        "zh-hans": ["报告路面坑洞", "路灯坏了", "报告问题", "我要报告一个问题"],
        "de": ["ein Schlagloch melden", "die Straßenlaterne ist kaputt", "ein Problem melden", "Gefahr melden"],
    }
    # A report names the act or says what is there (`requests_app.report_words`, every language).
    keywords = report_words.KEYWORDS
    # Never a question about its topic ("how long does it take to fix a pothole?"), unless the
    # question names the act ("how do I report a pothole?").
    questions = False
    # … or demands that something finally be done ("is anyone ever going to do something about the rats?")
    request_words = {
        language: [*words, *report_words.DEMAND_WORDS.get(language, [])]
        for language, words in report_words.REQUEST_WORDS.items()
    }
    asked_how = True  # "can I report it anonymously / by phone?", "kann man sich online anmelden?": questions
    asked_after_telling = True  # "There's a huge pothole on Elm … Can you send someone to fix it?" reports it
    # Another request in the middle of a report (`chat.engine.interrupts`).
    leave_text = gettext_lazy("Leave this report and go to “%(label)s”? What you have entered so far is kept.")
    again_text = gettext_lazy("Is this another problem? Start a new report? This one is kept, to finish later.")
    stay_label = gettext_lazy("No, continue the report")
    kept_text = gettext_lazy("Your report so far is kept: you can finish it when you are back with the assistant.")
    resume_label = gettext_lazy("Continue the report")

    def available(self, agency) -> bool:
        return selectors.categories_active(agency=agency).exists()

    def subject(self, turn: Turn, flow: Flow, state: FlowState) -> bool | None:
        """ "The pothole is near the school" names the draft's own category (True: an answer, not a new report);
        "there's a broken street light on Elm St" another one (False); most messages name none (None)."""
        text = normalize(turn.text)

        def names(category) -> bool:
            words = [word for word in category_keywords(category) if len(word) > 2 or not word.isascii()]  # 坑洞
            return any(_matcher(normalize(word))(text) for word in words)

        named = {category.code for category in selectors.categories_active(agency=turn.agency) if names(category)}
        if state.answers.get("category") in named:
            return True
        return False if named else None

    # --- the form -----------------------------------------------------------------------------------
    def flow(self, turn: Turn, data: dict) -> Flow:
        catalogue = Catalogue(turn.agency, turn.language)
        spec = catalogue.spec(turn.agency, turn.conversation.channel, attach=not _via_portal(turn))
        return Flow(spec, lang=turn.language, check=self._checker(turn, catalogue))

    # --- photos sent on a messaging channel (kept in the form's data, filed with the report) ----------
    def handle(self, turn: Turn):
        if not turn.state and not turn.from_menu and not turn.action and self.load(turn) is None:
            elsewhere = handled_elsewhere(turn)
            if elsewhere is not None:
                return elsewhere
        photos = _sent_photos(turn)
        if photos and self.load(turn) is None:
            flow = self.flow(turn, {})
            state = self.start(turn, flow)
            return self.ask(turn, flow, state, {"photos": photos}, lead=_("Photo received."))
        return super().handle(turn)

    def answer(self, turn: Turn, state: FlowState, data: dict):
        if _sent_location(turn):
            flow = self.flow(turn, data)
            question = flow.next_question(state)
            if question is not None and question.field.type != "location":
                # A pin shared at another question (the description) is not its answer: its coordinates
                # would be filed as the description.
                return self.ask(turn, flow, state, data, _("A shared location does not answer this question."))
        photos = _sent_photos(turn)
        if not photos:
            return super().answer(turn, state, data)
        data = {**data, "photos": [*data.get("photos", []), *photos][:MAX_PHOTOS]}
        flow = self.flow(turn, data)
        question = flow.next_question(state)
        if turn.text == PHOTO_ONLY or (question is not None and question.field.id == "photo"):
            return self.ask(turn, flow, state, data, lead=_("Photo received."))
        return super().answer(turn, state, data)  # the caption answers the question asked

    def ask(self, turn: Turn, flow: Flow, state: FlowState, data: dict, reason: str = "", *, lead: str = ""):
        prefilled = list(data.get("prefilled") or [])
        while (question := flow.next_question(state)) is not None:
            if question.field.id == "photo" and data.get("photos"):
                if _going_back(turn, self.action_prefix):  # past the photo that came already, not onto it again
                    state = flow.back(state)
                else:
                    state, _error = flow.skip(state)  # the photo came already
                break
            if question.field.id not in prefilled or _going_back(turn, self.action_prefix):
                break
            # Told in the opening message: not asked (once; going back to it asks it).
            prefilled.remove(question.field.id)
            state = flow.pass_answered(state)
        if data.get("prefilled"):
            data = {**data, "prefilled": prefilled}
        if data.get("noted"):
            noted, data = data["noted"], {key: value for key, value in data.items() if key != "noted"}
            lead = "\n\n".join(part for part in (noted_text(state.answers, noted), lead) if part)
        return super().ask(turn, flow, state, data, reason, lead=lead)

    def _submit(self, turn: Turn, flow: Flow, state: FlowState, data: dict, pending: dict):
        return super()._submit(turn, flow, state, data, {**pending, "photos": data.get("photos", [])})

    def opening_data(self, turn: Turn, state: FlowState) -> dict:
        """The questions the opening message answered (`start`): passed over once, and said so."""
        told = [field_id for field_id in ("location", "description") if field_id in state.answers]
        return {"prefilled": told, "noted": told} if told else {}

    def start(self, turn: Turn, flow: Flow) -> FlowState:
        """ "There's a big pothole outside 418 Linden Ave, it's about a foot wide": the category, the place and the
        description are taken from the opening message (`requests_app.chat_opening`), each as its question's answer
        would be (refused: asked as usual)."""
        state = flow.start()
        if turn.from_menu or turn.action or not turn.text.strip():
            return state
        answered, error = flow.answer(state, turn.text)
        state = state if error is not None else answered
        told = opening_answers(
            agency=turn.agency, text=turn.text, categories=selectors.categories_active(agency=turn.agency)
        )
        answers = dict(state.answers)
        for field_id, raw in told.items():
            field = flow.spec.field(field_id)
            value, refused = clean_answer(field, raw, today=flow.today, lang=flow.lang, check=flow.check)
            if refused is None and value is not None:
                answers[field_id] = value
        return FlowState.from_dict(state.to_dict(), answers)

    def _checker(self, turn: Turn, catalogue: Catalogue):
        settings_row = selectors.request_settings_get(agency=turn.agency)

        def check(field: FieldSpec, value):
            try:
                if field.id == "location":
                    value = typed_place(agency=turn.agency, value=value)  # "5th and Main": placed where they cross
                    lat, long = validation.clean_location(
                        lat=value["lat"],
                        long=value["long"],
                        address=value["address"],
                        service_area=settings_row.service_area,
                        center=(settings_row.map_latitude, settings_row.map_longitude) if settings_row.pk else None,
                    )
                    address = validation.clean_text(value["address"], field="address_string", max_length=300)
                    return {"lat": lat, "long": long, "address": address}, None
                if field.id == "description":
                    return validation.clean_description(value, required=True), None
                attribute = catalogue.attributes.get(field.id)
                if attribute is not None:
                    return validation.clean_attributes([attribute], {attribute.code: value})[attribute.code], None
            except ValidationError as exc:
                return None, _refusal(exc)
            return value, None

        return check

    def review_text(self, turn: Turn, flow: Flow, state: FlowState, data: dict) -> str:
        return review_message(flow, state, photos=len(data.get("photos") or []))

    def cancelled(self, turn: Turn):
        return turn.reply(_("Cancelled. Nothing was reported."))

    # --- filing ---------------------------------------------------------------------------------------
    def submit(self, turn: Turn, flow: Flow, answers: dict, pending: dict):
        if pending.get("value") == "follow":
            return self._follow(turn, answers, pending["duplicate"])
        filed = self.file(turn, answers, pending)
        if not isinstance(filed, FilingResult):
            return filed
        reference = filed.request.reference
        text = _("Thank you. Your report %(ref)s has been filed. Track it here: %(url)s") % {
            "ref": reference,
            "url": _track_link(turn.agency, reference),
        }
        return turn.reply(text, decision={"service_request": reference})

    def file(self, turn: Turn, answers: dict, pending: dict, *, actor=None) -> FilingResult | Decision | Refused:
        """File the draft's `answers` for the conversation's citizen (who follows it in the chat): by the citizen
        (`submit`), or by the agent who took the conversation (`actor`, `chat.completion`), with the photos sent in
        the chat (`pending["photos"]`) and those the agent attaches (`pending["uploads"]`, checked as every report
        photo is). A duplicate nearby is a `Decision` (follow it, or file anyway: `pending["value"]`), a refused
        answer or photo a `Refused`."""
        on_duplicate = OnDuplicate.FILE if pending.get("value") == "file" else OnDuplicate.ASK
        category = answers.get("category", "")
        prefix = f"{ATTRIBUTE_PREFIX}{category}:"
        location = answers.get("location") or {}
        photos = [*_photo_files(turn.agency, pending.get("photos") or []), *(pending.get("uploads") or [])]
        try:
            return service_request_create(
                agency=turn.agency,
                actor=actor,
                category=category,
                description=answers.get("description", ""),
                lat=location.get("lat"),
                long=location.get("long"),
                address=location.get("address", ""),
                attributes={key[len(prefix) :]: value for key, value in answers.items() if key.startswith(prefix)},
                photos=photos,
                reporter=Reporter(chat_conversation=str(turn.conversation.pk)),
                source=chat_source(turn.conversation.channel),
                language=turn.language,
                on_duplicate=on_duplicate,
            )
        except DuplicatesFound as found:
            reference = found.duplicates[0].request.reference
            return Decision(
                text=_("There is already an open report nearby: %(ref)s. Follow existing report %(ref)s instead?")
                % {"ref": reference},
                options=[
                    (_("Follow %(ref)s") % {"ref": reference}, "follow"),
                    (_("File mine anyway"), "file"),
                ],
                yes="follow",
                no="file",
                data={"duplicate": reference},
            )
        except ValidationError as exc:
            return self._refused(exc, category)
        finally:
            for photo in photos:
                photo.close()

    def _refused(self, exc: ValidationError, category: str) -> Refused:
        field_id = ""
        if hasattr(exc, "error_dict"):
            for name in exc.message_dict:
                if name.startswith("attribute[") and name.endswith("]"):
                    field_id = attribute_field_id(category, name[len("attribute[") : -1])
                else:
                    field_id = _FIELD_QUESTION.get(name, "")
                if field_id:
                    break
        return Refused(field_id=field_id or "category", reason=" ".join(exc.messages))

    def follow(self, turn: Turn, reference: str) -> str | None:
        """The conversation's citizen follows the open report `reference` instead of filing theirs: the reference
        followed (a report merged meanwhile: its original), or None when it is no longer open to follow."""
        request = selectors.service_request_get_public(agency=turn.agency, reference=reference)
        if request is None:
            return None
        # Through the service: a report merged meanwhile is followed where the work goes on (its original).
        follower = follower_add(
            agency=turn.agency,
            request=request,
            chat_conversation=str(turn.conversation.pk),
            language=turn.language,
        )
        return follower.request.reference

    def _follow(self, turn: Turn, answers: dict, reference: str):
        reference = self.follow(turn, reference)
        if reference is None:
            return self.submit(turn, None, answers, {"value": "file"})
        text = _("You are now following %(ref)s. Track it here: %(url)s") % {
            "ref": reference,
            "url": _track_link(turn.agency, reference),
        }
        return turn.reply(text, decision={"service_request": reference, "following": True})


def _sent_photos(turn: Turn) -> list[str]:
    """Photos the citizen's message brought (a messaging channel stored them: `messaging.media`)."""
    payload = turn.message.payload if turn.message is not None else {}
    names = (payload or {}).get("photos") or []
    return [name for name in names if isinstance(name, str)]


def _via_portal(turn: Turn) -> bool:
    """The message came through the portal's front door chat (`frontdoor.relay`), which cannot attach photos."""
    payload = turn.message.payload if turn.message is not None else {}
    return bool((payload or {}).get("via_portal"))


def _sent_location(turn: Turn) -> bool:
    """The citizen's message is a location shared from the phone (WhatsApp, Telegram, Messenger)."""
    payload = turn.message.payload if turn.message is not None else {}
    return isinstance((payload or {}).get("location"), dict)


def _photo_files(agency, names: list[str]) -> list:
    """The stored channel photos of this agency, opened for filing (cleaned and re-encoded there)."""
    prefix = f"messaging/{agency.pk}/"
    return [default_storage.open(name) for name in names if name.startswith(prefix) and default_storage.exists(name)]


def register() -> None:
    from chat.engine.registry import register_skill

    register_skill(ReportProblemSkill())
