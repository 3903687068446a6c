"""Forms of the tenants app's staff pages."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tenants.audit import audited_content_types
from tenants.audit_display import ACTION_LABELS, person_name
from tenants.models import Membership


class AuditFilterForm(forms.Form):
    """The audit page's filters (GET). Every field is optional; a bad value is a form error, and the
    page then shows everything rather than failing."""

    actor = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    kind = forms.TypedChoiceField(label=_("Kind of record"), required=False, coerce=int, empty_value=None)
    action = forms.TypedChoiceField(
        label=_("Action"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any action")), *ACTION_LABELS.items()],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Reference"), required=False, max_length=60, strip=True)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(agency=agency).select_related("user").order_by("user__username")
        self.fields["actor"].choices = [("", _("Anyone"))] + [
            (member.user_id, person_name(member.user)) for member in members
        ]
        self.fields["kind"].choices = [("", _("Any kind"))] + [
            (ct.pk, capfirst(ct.model_class()._meta.verbose_name_plural)) for ct in audited_content_types()
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        """Keyword arguments for `audit_entries_filtered`; only the valid fields count."""
        data = getattr(self, "cleaned_data", {})
        return {
            "actor_id": data.get("actor"),
            "content_type_id": data.get("kind"),
            "action": data.get("action"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to") if "date_to" not in self.errors else None,
            "reference": data.get("q") or "",
        }
