"""Staff forms of the chat app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chat.api import MAX_UNDERSTAND_CHARS

INTENT_CHOICES = [
    ("question", _("A question for the knowledge base")),
    ("report", _("Report a problem")),
    ("status", _("Check a status")),
    ("register", _("Register for a service")),
    ("handoff", _("Talk to a person")),
    ("feedback", _("Feedback or end of the chat")),
    ("greeting", _("Greeting or menu")),
]


def intent_choices() -> list[tuple[str, str]]:
    """The intents above, then those of skills added by later features (alerts, …), under their skill's label."""
    from chat.engine import registry
    from chat.engine.semantic import intent_name

    choices = list(INTENT_CHOICES)
    known = {value for value, _label in choices}
    for skill in registry.all_skills():
        name = intent_name(skill.name)
        if name not in known:
            choices.append((name, skill.label))
            known.add(name)
    return choices


# What decided a message's intent (`chat.understanding`'s detectors), in staff's words; a "+…" step after it (the
# polarity of "subscribe", whether it is about alerts, a goodbye) is shown as its code.
DETECTOR_LABELS = {
    "keywords": _("The skill's words and example phrases"),
    "similarity": _("Phrases close to the skill's examples"),
    "agency_example": _("A correction saved by this agency"),
    "semantic": _("Meaning: the nearest example messages"),
    "learned": _("The trained model of citizens' messages"),
    "cue": _("A telling phrase in the message"),
    "verdict": _("A rule about the message's words"),
    "reference": _("A reference number in the message"),
    "default": _("Nothing matched: taken as a question"),
    "empty": _("An empty message"),
}


def detector_label(detector: str) -> str:
    """`detector` ("learned", "keywords+goodbye") in staff's words, or "" when there are none for it."""
    return str(DETECTOR_LABELS.get((detector or "").partition("+")[0], ""))


def skill_label(name: str) -> str:
    """The name staff know a skill by (its menu label: "Ask a question"), or "" for none."""
    from chat.engine import registry

    skill = registry.get_skill(name) if name else None
    return str(skill.label) if skill is not None else ""


class TryMessageForm(forms.Form):
    text = forms.CharField(label=_("A citizen's message"), max_length=MAX_UNDERSTAND_CHARS, strip=True)


class CorrectionForm(forms.Form):
    text = forms.CharField(max_length=500, widget=forms.HiddenInput)
    intent = forms.ChoiceField(label=_("It should be"), choices=intent_choices)
