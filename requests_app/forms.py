"""Forms of the citizen report page, the staff phone entry and the staff work forms. Forms only parse
and display; the rules live in `requests_app.validation` and the services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from requests_app.models import ServiceAttribute, ServiceCategory, Status
from requests_app.photos import MAX_PHOTOS
from requests_app.services.workflow import is_backward
from tenants.translations import translated


def _photo_help() -> str:
    # Formatted when shown, in the reader's language: a lazy text formatted at import is English for good.
    return gettext(
        "Up to %(n)d JPEG, PNG or WebP images, 10 MB each. A photo's GPS position is used when you place no pin."
    ) % {"n": MAX_PHOTOS}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


def attribute_field_name(code: str) -> str:
    return f"attr__{code}"


# Issue 16: whoever reports or follows a problem may also ask for the agency's emergency alerts near it.
ALERTS_LABEL = _("Also send me emergency alerts for this area (by email; confirm by the link we send)")


class ReportForm(forms.Form):
    """A report of one category. Extra questions become fields named `attr__<code>`."""

    description = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        required=False,
        max_length=4000,
    )
    address = forms.CharField(
        label=_("Address or nearest intersection"),
        required=False,
        max_length=300,
        help_text=_("Place the pin on the map, or type where it is."),
    )
    zipcode = forms.CharField(label=_("ZIP code"), required=False, max_length=20)
    lat = forms.CharField(label=_("Latitude"), required=False, max_length=30)
    long = forms.CharField(label=_("Longitude"), required=False, max_length=30)
    photos = MultipleImageField(
        label=_("Photos (optional)"),
        required=False,
        help_text=lazy(_photo_help, str)(),
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    email = forms.CharField(
        label=_("Email (optional)"),
        required=False,
        max_length=254,
        help_text=_("We email you when the status changes. Never shown publicly."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    follow = forms.BooleanField(label=_("Email me about progress"), required=False, initial=True)
    alerts = forms.BooleanField(label=ALERTS_LABEL, required=False)
    confirm_new = forms.BooleanField(label=_("My problem is not one of these reports; file it anyway"), required=False)

    def __init__(self, *args, category: ServiceCategory, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.staff = staff
        self.attribute_fields: list[str] = []
        for attribute in category.attributes.all():
            if not attribute.variable:
                continue
            name = attribute_field_name(attribute.code)
            field = self._attribute_field(attribute)
            field.marked_required = attribute.required
            if attribute.required and attribute.datatype != ServiceAttribute.Datatype.MULTI:
                field.widget.attrs["required"] = True
            self.fields[name] = field
            self.attribute_fields.append(name)
        if not staff:
            del self.fields["first_name"]
            del self.fields["last_name"]
        else:
            self.fields["email"].help_text = _("The caller's email, for progress updates.")
            self.fields["follow"].label = _("Email the caller about progress")
            del self.fields["alerts"]  # consent to alerts is the citizen's own, not given on their behalf

    @staticmethod
    def _attribute_field(attribute: ServiceAttribute) -> forms.Field:
        Datatype = ServiceAttribute.Datatype
        # The service checks required answers (one message for every channel); the browser gets
        # the `required` attribute for early feedback.
        common = {
            "label": attribute.question_in(),
            "required": False,
            "help_text": translated(attribute, "datatype_description"),
        }
        if attribute.datatype == Datatype.SINGLE:
            return forms.ChoiceField(choices=[("", "—"), *attribute.choices], **common)
        if attribute.datatype == Datatype.MULTI:
            return forms.MultipleChoiceField(choices=attribute.choices, widget=forms.CheckboxSelectMultiple, **common)
        if attribute.datatype == Datatype.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, **common)
        if attribute.datatype == Datatype.NUMBER:
            return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), max_length=40, **common)
        if attribute.datatype == Datatype.DATETIME:
            return forms.CharField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
        return forms.CharField(max_length=500, **common)

    def attribute_answers(self) -> dict:
        answers = {}
        for attribute in self.category.attributes.all():
            name = attribute_field_name(attribute.code)
            if name in self.cleaned_data:
                answers[attribute.code] = self.cleaned_data[name]
        return answers

    def attribute_bound_fields(self):
        return [self[name] for name in self.attribute_fields]

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show the service's errors next to the fields they concern."""
        for key, messages in exc.message_dict.items():
            field = None
            if key.startswith("attribute[") and key.endswith("]"):
                field = attribute_field_name(key[len("attribute[") : -1])
            elif key in ("lat", "long", "location") or key == "address_string":
                field = "address"
            elif key == "media":
                field = "photos"
            elif key in self.fields:
                field = key
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), max_length=254)
    alerts = forms.BooleanField(label=ALERTS_LABEL, required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    public_note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the public and sent to the report's followers (email, chat or text message)."),
    )
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_date = forms.DateField(
        label=_("Expected by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    confirm_backward = forms.BooleanField(
        label=_("Yes, move this request back to an earlier step"),
        required=False,
        help_text=_("Needed only when the new status undoes work, such as reopening a request."),
    )

    def __init__(self, *args, allowed: list[str], current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.backward = [value for value in allowed if is_backward(current, value)]
        # Nothing is pre-selected: a hurried "Save status" must not move the request anywhere.
        self.fields["to_status"].choices = [
            ("", _("Choose a new status")),
            *[(value, Status(value).label) for value in allowed],
        ]
        self.fields["to_status"].widget.attrs["data-backward"] = " ".join(self.backward)

    def clean(self):
        data = super().clean()
        to_status = data.get("to_status")
        if to_status in self.backward and not data.get("confirm_backward"):
            self.add_error(
                "confirm_backward",
                _("Moving this request from %(current)s back to %(new)s undoes work: tick the box to confirm.")
                % {"current": Status(self.current).label, "new": Status(to_status).label},
            )
        return data


class AssignForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False, choices=())
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False, choices=())
    expected_date = forms.DateField(
        label=_("Expected by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, departments, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", "—"),
            *[
                (str(d.pk), name)
                for d, name in sorted(((d, d.name_in()) for d in departments), key=lambda pair: pair[1])
            ],
        ]
        self.fields["assignee"].choices = [
            ("", "—"),
            *[(str(m.user_id), f"{m.public_name} ({m.get_role_display()})") for m in members],
        ]


class NoteForm(forms.Form):
    public_note = forms.CharField(
        label=_("Public note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    internal_note = forms.CharField(
        label=_("Internal note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Duplicate of (reference)"), max_length=32, help_text=_("The report that stays open.")
    )
    public_note = forms.CharField(
        label=_("Public note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QueueFilterForm(forms.Form):
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=())
    department = forms.ChoiceField(label=_("Department"), required=False, choices=())
    older_than_days = forms.IntegerField(label=_("Older than (days)"), required=False, min_value=0, max_value=3650)
    sla_breached = forms.BooleanField(label=_("Past SLA only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    q = forms.CharField(label=_("Reference, address or text"), required=False, max_length=100)

    def __init__(self, *args, categories, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All")), *[(c.code, translated(c, "name")) for c in categories]]
        self.fields["department"].choices = [
            ("", _("All")),
            *[
                (str(d.pk), name)
                for d, name in sorted(((d, d.name_in()) for d in departments), key=lambda pair: pair[1])
            ],
        ]
