"""The report form's questions in the chat, built from the agency's catalogue each turn: category, location,
description, photo, and each category's required questions (shown once that category is chosen)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chat.models import MESSAGING_CHANNELS
from core.language import isolated
from registrations.engine import FieldSpec, FormSpec, StepSpec
from registrations.engine.review import item_lines, summary
from registrations.engine.schema import Choice
from requests_app import selectors, validation
from requests_app.models import ServiceAttribute
from tenants.translations import translated

ATTRIBUTE_PREFIX = "attribute:"
_DATATYPE_FIELD = {
    ServiceAttribute.Datatype.SINGLE: {"type": "single_choice"},
    ServiceAttribute.Datatype.MULTI: {"type": "multiple_choice"},
    ServiceAttribute.Datatype.NUMBER: {"type": "number"},
    ServiceAttribute.Datatype.TEXT: {"type": "text", "multiline": True, "max_length": 4000},
    ServiceAttribute.Datatype.DATETIME: {"type": "text"},
    ServiceAttribute.Datatype.STRING: {"type": "text", "max_length": 500},
}


def attribute_field_id(category_code: str, attribute_code: str) -> str:
    return f"{ATTRIBUTE_PREFIX}{category_code}:{attribute_code}"


def category_keywords(category) -> tuple[str, ...]:
    """Typed words that name the category: its name and its keywords in every language it has."""
    names = [category.name, *category.keywords_every_language]
    names += [str(t.get("name", "")) for t in (category.translations or {}).values() if isinstance(t, dict)]
    return tuple(name.strip() for name in names if len(name.strip()) > 1)


def _value_names(attribute, key: str) -> tuple[str, ...]:
    """An option's name in the other languages (a typed "Grande" picks "Large")."""
    names = []
    for translation in (attribute.translations or {}).values():
        values = translation.get("values") if isinstance(translation, dict) else None
        if isinstance(values, dict) and values.get(key):
            names.append(str(values[key]))
    return tuple(name for name in names if len(name.strip()) > 1)


class Catalogue:
    """The agency's active categories and their required questions, read once per turn."""

    def __init__(self, agency, language: str):
        self.language = language
        self.categories = list(selectors.categories_active(agency=agency))
        self.attributes: dict[str, ServiceAttribute] = {}  # field id → attribute
        for category in self.categories:
            for attribute in selectors.category_attributes(category=category):
                if attribute.required and attribute.variable:
                    self.attributes[attribute_field_id(category.code, attribute.code)] = attribute

    def spec(self, agency, channel: str = "", *, attach: bool = True) -> FormSpec:
        step = "report"
        category = FieldSpec(
            id="category",
            type="single_choice",
            label=_("What kind of problem is it?"),
            step_id=step,
            choices=tuple(Choice(c.code, c.name_in(self.language), category_keywords(c)) for c in self.categories),
            error_messages={"invalid_choice": _("I could not match that to a kind of problem reported here.")},
        )
        # The form adds that the photo is optional and the word that skips it, in the conversation's language.
        # The web chat's widget attaches one (`chat.api.PhotoApi`); it arrives as a channel photo does. The
        # portal's front door relays the chat without an attach button (`attach`): the web report page has one.
        photo_hint = _("Attach a photo with the camera button next to the message box.")
        if not attach:
            photo_hint = _("Photos cannot be sent in this chat. You can add one on the web report page: %(url)s .") % {
                "url": reverse("requests:report", kwargs={"agency_slug": agency.slug})
            }
        if channel in MESSAGING_CHANNELS:  # WhatsApp, Telegram, MMS: the phone sends the photo itself
            photo_hint = _("Send a photo of it now.")  # the form adds that it is optional and how to skip it
        location_hint = None  # the web chat's: an address, or coordinates
        if channel == "sms":  # a text message cannot carry a location: the address is typed
            location_hint = _("Type the street address, for example “123 Main St”.")
        elif channel in MESSAGING_CHANNELS:  # WhatsApp, Telegram, Messenger: the phone shares it
            location_hint = _("Type the street address, or share your location from your phone.")
        fields = [
            category,
            FieldSpec(id="location", type="location", label=_("Where is it?"), step_id=step, hint=location_hint),
            FieldSpec(
                id="description",
                type="text",
                label=_("Describe the problem in a few words."),
                step_id=step,
                multiline=True,
                max_length=validation.MAX_DESCRIPTION,
                # A letter or a digit at least: "😀😀😀" was filed as a report's description (session-24 walk).
                pattern=r"(?s).*[^\W_].*",
                pattern_message=_("Describe the problem."),
            ),
            FieldSpec(id="photo", type="file", label=_("Photo"), step_id=step, required=False, hint=photo_hint),
        ]
        for field_id, attribute in self.attributes.items():
            options = dict(_DATATYPE_FIELD.get(attribute.datatype, {"type": "text"}))
            choices = tuple(
                Choice(key, name, _value_names(attribute, key)) for key, name in attribute.choices_in(self.language)
            )
            fields.append(
                FieldSpec(
                    id=field_id,
                    label=attribute.question_in(self.language),
                    step_id=step,
                    choices=choices if options["type"] in ("single_choice", "multiple_choice") else (),
                    show_if={"field": "category", "equals": attribute.category.code},
                    hint=translated(attribute, "datatype_description", self.language) or None,
                    **options,
                )
            )
        return FormSpec(
            title=_("Report a problem"),
            steps=(StepSpec(id=step, title="", fields=tuple(fields)),),
            messages={"review_outro": _("Send it, go back or cancel."), "button_confirm": _("Send")},
        )


def review_message(flow, state, *, photos: int = 0) -> str:
    """The report's review before "Send": everything that will be filed. What, where, the description, each of the
    category's own answers (question, then answer, as a registration's review shows them) and how many photos come
    with it (`photos`: those sent in the chat)."""
    answers = state.answers
    location = answers.get("location") or {}
    category = flow.spec.field("category").choice_label(answers.get("category"), flow.lang)
    lines = [
        _("Please check: %(category)s at %(where)s — “%(description)s”.")
        % {
            "category": category,
            "where": isolated(location.get("address") or f"{location.get('lat')}, {location.get('long')}"),
            "description": answers.get("description", ""),
        }
    ]
    for section in summary(flow.spec, state, lang=flow.lang):
        for item in section.items:
            if item.field.id.startswith(ATTRIBUTE_PREFIX) and item.display:
                lines += item_lines(item.label, item.display, lang=flow.lang)
    if photos:
        lines.append(ngettext("Photo: %(count)d attached", "Photos: %(count)d attached", photos) % {"count": photos})
    lines.append(_("Send it?"))
    return "\n".join(lines)
