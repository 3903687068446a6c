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


class TryMessageForm(forms.Form):
    text = forms.CharField(label=_("A citizen's message"), max_length=MAX_UNDERSTAND_CHARS, strip=True)


class CorrectionForm(forms.Form):
    text = forms.CharField(max_length=500, widget=forms.HiddenInput)
    intent = forms.ChoiceField(label=_("It should be"), choices=INTENT_CHOICES)
