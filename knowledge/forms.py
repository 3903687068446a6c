from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.models import Audience

LANGUAGE_CHOICES = [("en", _("English")), ("es", _("Spanish")), ("zh-hans", _("Chinese")), ("de", _("German"))]


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Text, Markdown, HTML, PDF, or a FAQ as CSV/JSON with question and answer columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm,.pdf,.csv,.json"}),
    )
    content = forms.CharField(
        label=_("…or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 6}), strip=False
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to publish as soon as it is indexed."),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("content") or "").strip()):
            raise forms.ValidationError(_("Upload a file or paste the text (one of the two)."))
        if not data.get("file"):
            data.pop("file", None)
        else:
            data.pop("content", None)
        return data


class DocumentForm(VersionForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, initial=Audience.PUBLIC)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")
    source_url = forms.URLField(label=_("Source URL"), required=False, max_length=500, assume_scheme="https")
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Comma-separated."))
    is_crisis = forms.BooleanField(label=_("Crisis document (ranked first in crisis mode)"), required=False)

    field_order = [
        "title",
        "file",
        "content",
        "audience",
        "language",
        "source_url",
        "tags",
        "is_crisis",
        "effective_from",
    ]

    def clean_tags(self):
        return [tag.strip()[:50] for tag in self.cleaned_data.get("tags", "").split(",") if tag.strip()][:20]


class AlsoAskedForm(forms.Form):
    also_asked = forms.CharField(
        label=_("Also asked as"),
        required=False,
        max_length=12000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Other words and phrasings citizens use for this, one per line: a synonym of a word in the text "
            "(“arreglan” where it says “reparan”) or a whole question. They help search find this document; "
            "they are never shown as the answer."
        ),
    )


class TryQuestionForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=1000)
    audience = forms.ChoiceField(
        label=_("Answer as if for"),
        choices=[
            (Audience.PUBLIC, _("a citizen (public documents only)")),
            (Audience.STAFF, _("staff (all documents)")),
        ],
        initial=Audience.PUBLIC,
    )


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"), max_length=1000, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class TitleTranslationsForm(forms.Form):
    """The document's title in the agency's other languages (citations and the passage page name it in the
    reader's), one box per language on the document's page."""

    def __init__(self, *args, agency, document, **kwargs):
        from tenants.translation_fields import translations_form_field

        super().__init__(*args, initial={"translations": document.translations or {}}, **kwargs)
        self.fields["translations"] = translations_form_field(
            document._meta.get_field("translations"), agency=agency, obj=document
        )
