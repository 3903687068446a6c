"""Forms of the staff crisis pages and the citizens' subscription page (they parse; services validate)."""

from __future__ import annotations

import json
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from crisis.models import Alert, Channel, Severity
from tenants.timezones import agency_zone


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input read in the agency's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, *args, zone=None, **kwargs):
        self.zone = zone
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        if isinstance(result, datetime) and self.zone is not None:
            result = result.replace(tzinfo=None)
            result = timezone.make_aware(result, self.zone)
        return result


class CrisisForm(forms.Form):
    message = forms.CharField(label=_("Message citizens see"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.SEVERE)
    until = LocalDateTimeField(label=_("Ends by itself at (optional)"), required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].zone = agency_zone(agency)


class CrisisSettingsForm(forms.Form):
    approval_threshold = forms.IntegerField(
        label=_("An alert to more people than this needs a second supervisor"), min_value=0
    )


class CrisisDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File (text, Markdown, HTML, PDF)"), required=False)
    content = forms.CharField(label=_("…or the text"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("content") or "").strip():
            raise forms.ValidationError(_("Upload a file or write the text."))
        return data


class AlertForm(forms.Form):
    """The alert's event, headline and instructions in the agency's first language, and in each other language of
    the agency the writer adds (a language is sent when any of its boxes holds text); the area comes from the map
    as JSON. The page shows the first language open and the others folded (`<details>`), so a form with eight
    languages is one language long until another is wanted; a language holding text is shown open."""

    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.SEVERE)
    channels = forms.MultipleChoiceField(label=_("Channels"), widget=forms.CheckboxSelectMultiple)
    area_kind = forms.ChoiceField(
        label=_("Area"), choices=Alert.AreaKind.choices, initial=Alert.AreaKind.WHOLE, widget=forms.RadioSelect
    )
    area = forms.CharField(required=False, widget=forms.HiddenInput)
    circle_lat = forms.FloatField(label=_("Circle centre latitude"), required=False)
    circle_lon = forms.FloatField(label=_("Circle centre longitude"), required=False)
    circle_radius_km = forms.FloatField(label=_("Radius (km)"), required=False)
    area_desc = forms.CharField(label=_("Area description"), max_length=200, required=False)
    send_at = LocalDateTimeField(label=_("Send at (empty: now)"), required=False)
    expires_at = LocalDateTimeField(label=_("Expires at (optional)"), required=False)

    TEXT_FIELDS = ("event", "headline", "instruction")

    def __init__(self, *args, agency, channels: list[str], cancel: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency, self.cancel = agency, cancel
        self.default_language = (agency.languages or ["en"])[0]
        self.fields["channels"].choices = [(c, Channel(c).label) for c in channels]
        self.fields["channels"].initial = list(channels)
        zone = agency_zone(agency)
        self.fields["send_at"].zone = self.fields["expires_at"].zone = zone
        for code in agency.languages:
            # What is typed in a language's boxes is marked as that language (spell checkers, screen readers) and
            # runs right to left in Arabic whatever the page's direction.
            typed = {"lang": code, "dir": "rtl" if get_language_info(code).get("bidi") else "auto"}
            # No prefilled event: an English "Storm" stood in the box on German and Arabic pages, ready to go out.
            self.fields[f"event_{code}"] = forms.CharField(
                label=_("Event (e.g. Flood, Storm)"),
                max_length=100,
                required=code == self.default_language,
                widget=forms.TextInput(attrs=typed),
            )
            self.fields[f"headline_{code}"] = forms.CharField(
                label=_("Headline"), max_length=160, required=False, widget=forms.TextInput(attrs=typed)
            )
            self.fields[f"instruction_{code}"] = forms.CharField(
                label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3, **typed})
            )

    def clean(self):
        """Each language holding any text needs its headline, and its instructions unless this is a cancellation:
        the problem is put at the box in that language (the page opens it and its link leads there)."""
        from core.language import in_sentence

        data = super().clean()
        for code in self.agency.languages:
            typed = {name: (data.get(f"{name}_{code}") or "").strip() for name in self.TEXT_FIELDS}
            if code != self.default_language and not any(typed.values()):
                continue
            language = in_sentence(code)
            if not typed["headline"]:
                self.add_error(
                    f"headline_{code}",
                    _("Write the headline in %(language)s too, or empty this language's boxes.")
                    % {"language": language},
                )
            if not typed["instruction"] and not self.cancel:
                self.add_error(
                    f"instruction_{code}",
                    _("Write the instructions in %(language)s too, or empty this language's boxes.")
                    % {"language": language},
                )
        return data

    def _typed(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name)) or "").strip()
        return str(self.initial.get(name) or "").strip()

    def language_blocks(self) -> list[dict]:
        """Per language of the agency: its name (in the page's language and in its own), its three fields, and
        whether its box is open (the first language always; another when it holds text or an error)."""
        from core.language import display_name

        blocks = []
        for code in self.agency.languages:
            fields = [self[f"{name}_{code}"] for name in self.TEXT_FIELDS]
            filled = any(self._typed(f"{name}_{code}") for name in self.TEXT_FIELDS)
            errors = any(field.errors for field in fields)
            name, own = display_name(code) or code, get_language_info(code).get("name_local", code)
            own = "" if own.casefold() == name.casefold() else own  # "Añadir Español", not "… (español)"
            blocks.append(
                {
                    "code": code,
                    "name": name,
                    "own_name": own,
                    "default": code == self.default_language,
                    "fields": fields,
                    "filled": filled,
                    "open": code == self.default_language or filled or errors,
                }
            )
        return blocks

    def languages_sent(self) -> list[str]:
        return [
            code
            for code in self.agency.languages
            if code == self.default_language
            or any((self.cleaned_data.get(f"{name}_{code}") or "").strip() for name in self.TEXT_FIELDS)
        ]

    def texts(self) -> dict:
        texts = {}
        for code in self.languages_sent():
            text = {
                "headline": self.cleaned_data.get(f"headline_{code}", ""),
                "instruction": self.cleaned_data.get(f"instruction_{code}", ""),
            }
            event = (self.cleaned_data.get(f"event_{code}") or "").strip()
            if event:
                text["event"] = event
            texts[code] = text
        return texts

    def event(self) -> str:
        return (self.cleaned_data.get(f"event_{self.default_language}") or "").strip()

    def area_value(self):
        kind = self.cleaned_data["area_kind"]
        if kind == Alert.AreaKind.CIRCLE:
            return {
                "lat": self.cleaned_data.get("circle_lat"),
                "lon": self.cleaned_data.get("circle_lon"),
                "radius_km": self.cleaned_data.get("circle_radius_km"),
            }
        if kind == Alert.AreaKind.POLYGON:
            try:
                return json.loads(self.cleaned_data.get("area") or "[]")
            except ValueError:
                return []
        return None


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(label=_("How should we reach you?"), widget=forms.RadioSelect)
    address = forms.CharField(label=_("E-mail address or mobile number"), max_length=254)
    place = forms.CharField(label=_("Only alerts near this address (optional)"), max_length=300, required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius_km = forms.FloatField(label=_("Within (km)"), required=False, initial=2, min_value=0.1, max_value=100)
    consent = forms.BooleanField(
        label=_("I agree to receive emergency alerts from this agency. I can unsubscribe in one step at any time.")
    )

    def __init__(self, *args, channels: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels
        self.fields["channel"].initial = channels[0][0]


class ConfirmForm(forms.Form):
    code = forms.CharField(label=_("Code from the message"), max_length=8)


class CapSourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=_("How alerts arrive"), choices=[("feed", _("A feed we poll")), ("push", _("Pushed to us with a key"))]
    )
    url = forms.URLField(label=_("Feed URL (CAP or Atom of CAP)"), required=False, assume_scheme="https")
    allowed_senders = forms.CharField(
        label=_("Trusted senders (the CAP <sender> values), one per line"), widget=forms.Textarea(attrs={"rows": 2})
    )
    min_severity = forms.ChoiceField(label=_("Act from severity"), choices=Severity.choices, initial=Severity.SEVERE)
    then = forms.ChoiceField(  # not "action": the page's forms post their own "action"
        label=_("Then"), choices=[("draft", _("Draft an alert for approval")), ("crisis", _("Turn crisis mode on"))]
    )
    area_lat = forms.FloatField(label=_("Only near latitude (optional)"), required=False)
    area_lon = forms.FloatField(label=_("longitude"), required=False)
    area_radius_km = forms.FloatField(label=_("radius (km)"), required=False)
    trusted_certificates = forms.CharField(
        label=_("Trusted signing certificates (PEM, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    require_signature = forms.BooleanField(label=_("Accept signed alerts only"), required=False)

    def area(self):
        data = self.cleaned_data
        if data.get("area_lat") is None and data.get("area_lon") is None:
            return None
        return {"lat": data.get("area_lat"), "lon": data.get("area_lon"), "radius_km": data.get("area_radius_km")}


class CapTrustForm(forms.Form):
    """The certificates an existing CAP source's XML signatures are verified against."""

    source = forms.IntegerField(widget=forms.HiddenInput)
    trusted_certificates = forms.CharField(
        label=_("Trusted signing certificates (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    require_signature = forms.BooleanField(label=_("Accept signed alerts only"), required=False)
