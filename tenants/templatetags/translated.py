from django import template

from tenants.translations import translated

register = template.Library()


@register.filter(name="translated")
def translated_filter(obj, field: str) -> str:
    """`{{ category|translated:"name" }}`: the agency's own text in the active UI language."""
    return translated(obj, field) if obj is not None else ""
