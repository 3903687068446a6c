from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import FEEDBACK_MAX_CHARS, Feedback


class PublicFeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback"),
        max_length=FEEDBACK_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went well, what did not, what we should change."),
    )
    rating = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you?"),
        choices=[("", _("No rating")), *[(n, f"{n} ★") for n in range(5, 0, -1)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    about_kind = forms.ChoiceField(label=_("About"), choices=Feedback.About.choices, required=False)
    about_ref = forms.CharField(
        label=_("Reference (optional)"), max_length=100, required=False, help_text=_("e.g. a report's reference.")
    )
    contact = forms.CharField(label=_("E-mail or phone, if you would like a reply"), max_length=200, required=False)
    anonymous = forms.BooleanField(label=_("Send anonymously (we keep no contact)"), required=False)


class TopicForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"))

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t.slug, t.display_name) for t in topics]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Feedback.Status.choices)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply to the citizen"), max_length=FEEDBACK_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )


class SummaryForm(forms.Form):
    you_said = forms.CharField(label=_("You said"), max_length=500)
    we_did = forms.CharField(label=_("We did"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
