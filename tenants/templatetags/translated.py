from django import template

from core.language import display_name, normalize
from tenants.translations import translated

register = template.Library()


@register.filter(name="translated")
def translated_filter(obj, field: str) -> str:
    """`{{ category|translated:"name" }}`: the agency's own text in the active UI language."""
    return translated(obj, field) if obj is not None else ""


@register.filter
def language_name(code) -> str:
    """`{{ document.language|language_name }}`: "Vietnamese" on an English page, "Vietnamesisch" on a German one
    (Django's own catalogue of language names); a code Django does not know stays as it is ("sk")."""
    code = normalize(str(code or ""))
    return (display_name(code) or code) if code else ""
