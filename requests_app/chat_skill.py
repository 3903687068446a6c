"""The chat skill "report a problem": one question at a time, validated by the same service as the
web form (`service_request_create`), with nearby duplicates offered to follow instead."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.registry import Skill, Turn, quick_reply
from requests_app import selectors, validation
from requests_app.models import Source
from requests_app.services import DuplicatesFound, OnDuplicate, Reporter, service_request_create
from requests_app.services.filing import _follower_get_or_create

_COORDS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_CANCEL = {"cancel", "stop", "cancelar", "取消"}
_BACK = {"back", "atrás", "atras", "volver", "返回", "上一步"}
_YES = {"yes", "y", "ok", "confirm", "sí", "si", "confirmar", "是", "确认", "好"}
_SKIP = {"skip", "no", "omitir", "跳过"}
STEPS = ["category", "location", "description", "photo", "attributes", "confirm"]
_FIELD_STEP = {
    "service_code": "category",
    "lat": "location",
    "long": "location",
    "address_string": "location",
    "address_id": "location",
    "location": "location",
    "description": "description",
    "attribute": "attributes",
}


def _messages(exc: ValidationError) -> tuple[str, str]:
    """(first step to re-ask, the reasons as one line)."""
    if hasattr(exc, "error_dict"):
        step = ""
        reasons = []
        for field, errors in exc.message_dict.items():
            key = "attribute" if field.startswith("attribute") else field
            step = step or _FIELD_STEP.get(key, "")
            reasons.extend(errors)
        return step, " ".join(reasons)
    return "", " ".join(exc.messages)


def _categories(agency):
    return list(selectors.categories_active(agency=agency))


def _find_category(agency, text: str, action: str):
    categories = _categories(agency)
    if action.startswith("report:cat:"):
        code = action.split(":", 2)[2]
        return next((c for c in categories if c.code == code), None)
    needle = text.strip().lower()
    if not needle:
        return None
    for category in categories:
        names = {category.code.lower(), category.name.lower()}
        names.update(
            str(t.get("name", "")).lower() for t in (category.translations or {}).values() if isinstance(t, dict)
        )
        if needle in names:
            return category
    for category in categories:
        words = [w.strip().lower() for w in (category.keywords or "").split(",") if w.strip()]
        if any(word and word in needle for word in words) or category.name.lower() in needle:
            return category
    return None


def _nav():
    return [quick_reply(_("Back"), "report:back"), quick_reply(_("Cancel"), "report:cancel")]


def _track_link(agency, reference: str) -> str:
    return reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={reference}"


class ReportProblemSkill(Skill):
    name = "report_problem"
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
    }
    keywords = {
        "en": ["pothole", "report a problem", "broken street light", "report a"],
        "es": ["bache", "reportar", "farola"],
        "zh-hans": ["坑洞", "报告", "路灯"],
    }

    def available(self, agency) -> bool:
        return selectors.categories_active(agency=agency).exists()

    # --- questions -------------------------------------------------------------------------------

    def _ask(self, turn: Turn, state: dict, reason: str = ""):
        step = state["step"]
        lead = f"{reason} " if reason else ""
        if step == "category":
            actions = [
                quick_reply(c.name_in(turn.language), f"report:cat:{c.code}") for c in _categories(turn.agency)[:10]
            ]
            actions.append(quick_reply(_("Cancel"), "report:cancel"))
            return turn.reply(lead + _("What kind of problem is it?"), actions=actions, state=state)
        if step == "location":
            text = _("Where is it? Type an address, or share your location as coordinates like “39.78, -89.64”.")
            return turn.reply(lead + text, actions=_nav(), state=state)
        if step == "description":
            return turn.reply(lead + _("Describe the problem in a few words."), actions=_nav(), state=state)
        if step == "photo":
            text = _(
                "Photos cannot be sent in this chat. You can add one on the web report page: %(url)s . "
                "Type “skip” to continue."
            ) % {"url": reverse("requests:report", kwargs={"agency_slug": turn.agency.slug})}
            return turn.reply(lead + text, actions=[quick_reply(_("Skip"), "report:skip"), *_nav()], state=state)
        if step == "attributes":
            attribute = self._pending_attribute(turn, state)
            if attribute is None:
                state["step"] = "confirm"
                return self._ask(turn, state, reason)
            choices = attribute.choices_in(turn.language)
            actions = [quick_reply(name, f"report:val:{key}") for key, name in choices]
            return turn.reply(lead + attribute.question_in(turn.language), actions=actions + _nav(), state=state)
        if step == "confirm":
            category = selectors.category_get(agency=turn.agency, code=state["category"])
            where = state.get("address") or f"{state.get('lat')}, {state.get('long')}"
            summary = _("Please check: %(category)s at %(where)s — “%(description)s”. Send it?") % {
                "category": category.name_in(turn.language) if category else state["category"],
                "where": where,
                "description": state.get("description", ""),
            }
            actions = [quick_reply(_("Send"), "report:confirm"), *_nav()]
            return turn.reply(lead + summary, actions=actions, state=state)
        if step == "duplicate":
            reference = state["duplicate"]
            text = _("There is already an open report nearby: %(ref)s. Follow existing report %(ref)s instead?") % {
                "ref": reference
            }
            actions = [
                quick_reply(_("Follow %(ref)s") % {"ref": reference}, "report:follow"),
                quick_reply(_("File mine anyway"), "report:file"),
                quick_reply(_("Cancel"), "report:cancel"),
            ]
            return turn.reply(lead + text, actions=actions, state=state)
        return None

    def _required_attributes(self, turn: Turn, state: dict):
        category = selectors.category_get(agency=turn.agency, code=state["category"])
        if category is None:
            return []
        return [a for a in selectors.category_attributes(category=category) if a.required]

    def _pending_attribute(self, turn: Turn, state: dict):
        answers = state.setdefault("attributes", {})
        return next((a for a in self._required_attributes(turn, state) if a.code not in answers), None)

    # --- answers ---------------------------------------------------------------------------------

    def handle(self, turn: Turn):
        state = dict(turn.state or {})
        if not state.get("step"):
            state = {"step": "category", "attributes": {}}
            category = None if turn.from_menu else _find_category(turn.agency, turn.text, "")
            if category is not None:
                state["category"] = category.code
                state["step"] = "location"
            return self._ask(turn, state)
        text = turn.text.strip()
        lowered = text.lower()
        action = turn.action
        if action == "report:cancel" or lowered in _CANCEL:
            return turn.reply(_("Cancelled. Nothing was reported."))
        if action == "report:back" or lowered in _BACK:
            return self._back(turn, state)
        step = state["step"]
        if step == "category":
            category = _find_category(turn.agency, text, action)
            if category is None:
                return self._ask(turn, state, _("That is not one of the services offered here."))
            state["category"] = category.code
            state["attributes"] = {}
            state["step"] = "location"
        elif step == "location":
            match = _COORDS.match(text)
            lat, long, address = (match.group(1), match.group(2), "") if match else (None, None, text)
            settings_row = selectors.request_settings_get(agency=turn.agency)
            try:
                lat, long = validation.clean_location(
                    lat=lat,
                    long=long,
                    address=address,
                    service_area=settings_row.service_area,
                    center=(settings_row.map_latitude, settings_row.map_longitude) if settings_row.pk else None,
                )
                if address:
                    address = validation.clean_text(address, field="address_string", max_length=300)
            except ValidationError as exc:
                return self._ask(turn, state, _messages(exc)[1])
            state.update(lat=lat, long=long, address=address)
            state["step"] = "description"
        elif step == "description":
            try:
                state["description"] = validation.clean_description(text, required=True)
            except ValidationError as exc:
                return self._ask(turn, state, _messages(exc)[1])
            state["step"] = "photo"
        elif step == "photo":
            state["step"] = "attributes"
        elif step == "attributes":
            attribute = self._pending_attribute(turn, state)
            if attribute is not None:
                value = action.split(":", 2)[2] if action.startswith("report:val:") else _typed_choice(attribute, text)
                try:
                    validation.clean_attributes([attribute], {attribute.code: value})
                except ValidationError as exc:
                    return self._ask(turn, state, _messages(exc)[1])
                state["attributes"][attribute.code] = value
        elif step == "confirm":
            if action == "report:confirm" or lowered in _YES:
                return self._file(turn, state, OnDuplicate.ASK)
            return self._ask(turn, state, _("Send it, go back or cancel."))
        elif step == "duplicate":
            if action == "report:follow" or lowered in _YES:
                return self._follow(turn, state)
            if action == "report:file" or lowered in _SKIP:
                return self._file(turn, state, OnDuplicate.FILE)
            return self._ask(turn, state)
        return self._ask(turn, state)

    def _back(self, turn: Turn, state: dict):
        step = state["step"]
        if step == "duplicate":
            step = "confirm"
        if step == "attributes" and state.get("attributes"):
            state["attributes"].popitem()
            return self._ask(turn, state)
        if step == "confirm":
            answers = state.get("attributes") or {}
            if answers:
                answers.popitem()
                state["step"] = "attributes"
                return self._ask(turn, state)
            state["step"] = "photo"
            return self._ask(turn, state)
        index = STEPS.index(step) if step in STEPS else 0
        state["step"] = STEPS[max(index - 1, 0)]
        return self._ask(turn, state)

    def _file(self, turn: Turn, state: dict, on_duplicate: OnDuplicate):
        try:
            result = service_request_create(
                agency=turn.agency,
                category=state["category"],
                description=state.get("description", ""),
                lat=state.get("lat"),
                long=state.get("long"),
                address=state.get("address", ""),
                attributes=state.get("attributes") or {},
                reporter=Reporter(chat_conversation=str(turn.conversation.pk)),
                source=Source.CHAT,
                language=turn.language,
                on_duplicate=on_duplicate,
            )
        except DuplicatesFound as found:
            state["step"] = "duplicate"
            state["duplicate"] = found.duplicates[0].request.reference
            return self._ask(turn, state)
        except ValidationError as exc:
            step, reason = _messages(exc)
            state["step"] = step or "category"
            return self._ask(turn, state, reason)
        reference = result.request.reference
        text = _("Thank you. Your report %(ref)s has been filed. Track it here: %(url)s") % {
            "ref": reference,
            "url": _track_link(turn.agency, reference),
        }
        return turn.reply(text, decision={"service_request": reference})

    def _follow(self, turn: Turn, state: dict):
        reference = state["duplicate"]
        request = selectors.service_request_get_public(agency=turn.agency, reference=reference)
        if request is None:
            return self._file(turn, state, OnDuplicate.FILE)
        with transaction.atomic():
            _follower_get_or_create(
                agency=turn.agency,
                request=request,
                chat_conversation=str(turn.conversation.pk),
                language=turn.language,
            )
        text = _("You are now following %(ref)s. Track it here: %(url)s") % {
            "ref": reference,
            "url": _track_link(turn.agency, reference),
        }
        return turn.reply(text, decision={"service_request": reference, "following": True})


def register() -> None:
    from chat.engine.registry import register_skill

    register_skill(ReportProblemSkill())


def _typed_choice(attribute, text: str) -> str:
    """A typed answer to a choice question: the option whose name (or key) matches, else the text
    itself, which validation then refuses with the list of choices."""
    wanted = text.strip().casefold()
    for option in attribute.values or []:
        if wanted in {str(option.get("name", "")).strip().casefold(), str(option["key"]).casefold()}:
            return str(option["key"])
    for translation in (attribute.translations or {}).values():
        names = translation.get("values") if isinstance(translation, dict) else None
        for key, name in (names or {}).items() if isinstance(names, dict) else ():
            if wanted == str(name).strip().casefold():
                return str(key)
    return text
