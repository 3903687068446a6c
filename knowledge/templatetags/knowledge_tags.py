from django import template
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _

from knowledge.models import VersionStatus

register = template.Library()


@register.simple_tag
def kb_labels():
    """Translated labels for knowledge.js, as a JSON script element."""
    labels = {status.value: str(status.label) for status in VersionStatus}
    labels["uploadFailed"] = _("The upload failed. Check the errors below.")
    labels["networkError"] = _("The upload was interrupted. Try again.")
    return json_script(labels, "kb-labels")


@register.filter
def ltr_isolated(value):
    """A phone number inside a translated label ("Call …"), kept left to right in an Arabic page: its own
    `<bdi dir="ltr">` (the label around it takes the page's direction)."""
    return format_html('<bdi dir="ltr">{}</bdi>', value) if value else ""
