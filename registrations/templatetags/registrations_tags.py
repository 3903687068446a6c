from django import template
from django.utils.translation import get_language

from registrations.engine import localize, normalize_language
from registrations.selectors import VIEW_ROLES, can_edit_forms, forms_published
from tenants.selectors import user_has_role

register = template.Library()


@register.simple_tag
def published_forms(agency) -> list[dict]:
    """The agency's open forms with their titles in the current language (for the agency home)."""
    if agency is None:
        return []
    lang = normalize_language(get_language())
    return [
        {"form": form, "title": localize(form.definition.get("title"), lang) or form.title}
        for form in forms_published(agency=agency)
    ]


@register.simple_tag
def registration_staff_links(agency, user) -> dict:
    if agency is None or not getattr(user, "is_authenticated", False):
        return {"queue": False, "forms": False}
    return {
        "queue": user_has_role(user=user, agency=agency, roles=VIEW_ROLES),
        "forms": can_edit_forms(user=user, agency=agency),
    }


@register.filter
def form_name(value) -> str:
    """`{{ form|form_name }}` or `{{ registration|form_name }}`: the form's title in the UI language (German staff
    read "Arbeitsvermittlung", not "Employment assistance"); a registration's from the version it was filed on."""
    version = getattr(value, "form_version", None)
    form = getattr(value, "form", value)
    source = version.definition if version is not None else getattr(form, "definition", None) or {}
    return localize(source.get("title"), normalize_language(get_language())) or getattr(form, "title", "")
