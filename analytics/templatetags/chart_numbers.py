"""The dashboard's key numbers written as its charts write them: in the reader's way ("3,5 Std.", "40 %"), each
isolated so that a right-to-left page does not reorder a number and its unit into the words around it."""

from django import template
from django.utils.html import format_html

from analytics.dashboard.svg import formatted

register = template.Library()


def _shown(value, unit: str):
    if value is None or value == "":
        return "—"
    # A number stays on one line with its unit ("0 Std." broke after the 0 in a narrow tile).
    return format_html("<bdi>{}</bdi>", formatted(float(value), unit).replace(" ", "\u00a0"))


@register.filter
def hours(value):
    return _shown(value, "hours")


@register.filter
def share(value):
    """A share between 0 and 1 as a whole percentage."""
    return _shown(None if value is None else round(float(value) * 100), "percent")


@register.filter
def count(value):
    """A whole number with the reader's grouping ("1,234", "1.234")."""
    return _shown(value, "count")
