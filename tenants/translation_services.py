"""Writing an agency's own words in its other languages: the `translations` of the agency itself or of one of
its rows (a department, a report category, a document), from the staff pages that edit them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.models import Agency


def _owner_id(obj) -> int | None:
    return obj.pk if isinstance(obj, Agency) else getattr(obj, "agency_id", None)


@transaction.atomic
def translations_save(*, agency: Agency, actor, obj, translations: dict):
    """Set `obj.translations` (`{language: {field: text}}`), validated as the model's field is, and save that field
    alone (with `updated_at` where the model keeps one). `obj` is `agency` or one of its rows; another agency's is
    refused. The model is audited: the trail records the change and, from a request, who made it (`actor`)."""
    if _owner_id(obj) != agency.pk:
        raise ValidationError(_("This belongs to another agency."))
    field = obj._meta.get_field("translations")
    value = field.clean(translations, obj)  # the field's validators: UI languages, known fields, lengths
    if value == (obj.translations or {}):
        return obj
    obj.translations = value
    fields = ["translations"]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    return obj
