from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = getattr(settings, "ADDRESS_POINTS_MAX_UPLOAD_MB", 100)


class AddressUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Address points (CSV)"),
        help_text=_(
            "One row per address with columns for the address, latitude and longitude (a ZIP code column is used when present)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    replace = forms.BooleanField(label=_("Replace the points loaded before"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(n)d MB.") % {"n": MAX_UPLOAD_MB})
        return upload


class GeocodeTryForm(forms.Form):
    q = forms.CharField(label=_("Address"), max_length=300, required=False)
