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


class TryMessageForm(forms.Form):
    text = forms.CharField(label=_("A citizen's message"), max_length=MAX_UNDERSTAND_CHARS, strip=True)


class CorrectionForm(forms.Form):
    text = forms.CharField(max_length=500, widget=forms.HiddenInput)
    intent = forms.ChoiceField(label=_("It should be"), choices=intent_choices)
