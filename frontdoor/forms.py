from django import forms
from django.utils.translation import gettext_lazy as _

from frontdoor.models import Official, Service
from frontdoor.services import OFFICIAL_FIELDS, SERVICE_FIELDS
from tenants.models import Department
from tenants.translation_fields import translations_form_field


class _AgencyForm(forms.ModelForm):
    # Declared: a model form would read every agency's departments at import; the agency's are set per form.
    department = forms.ModelChoiceField(
        queryset=Department.objects.unscoped().none(),  # unscoped: an empty choice list until the agency is known
        required=False,
        label=_("Department"),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_agency(agency)
        if "translations" in self.fields:  # one box per language of the agency and text, on this same form
            self.fields["translations"] = translations_form_field(
                self._meta.model._meta.get_field("translations"),
                agency=agency,
                obj=self.instance if self.instance.pk else None,
            )


class ServiceForm(_AgencyForm):
    url = forms.URLField(label=_("online service link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Service
        fields = list(SERVICE_FIELDS)  # the fields the service lets staff change
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("summary", "eligibility", "fees", "what_to_bring")
        }


class OfficialForm(_AgencyForm):
    class Meta:
        model = Official
        fields = list(OFFICIAL_FIELDS)
        widgets = {"responsibilities": forms.Textarea(attrs={"rows": 2})}


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name of the area"), max_length=200)
    geojson = forms.FileField(
        label=_("GeoJSON file (Polygon, MultiPolygon, Feature or FeatureCollection)"), required=False
    )
    # The polygon drawn on the map (static/frontdoor/area.js): a GeoJSON Polygon, or empty.
    drawn = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200_000)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("geojson") and not cleaned.get("drawn"):
            raise forms.ValidationError(_("Upload a GeoJSON file or draw the area on the map."))
        return cleaned


class RerouteForm(forms.Form):
    to_agency = forms.SlugField(label=_("Send to"), max_length=40)
