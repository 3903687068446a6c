from django import template

from requests_app.models import ServiceCategory

register = template.Library()


@register.simple_tag
def requests_offered(agency) -> bool:
    """Whether the agency takes reports (has an active category): the home card shows only then."""
    if agency is None:
        return False
    return ServiceCategory.objects.for_agency(agency).filter(active=True).exists()


@register.filter
def mask_pii(text, kinds):
    """Citizens' text with the personal data `kinds` (core.pii) replaced by placeholders."""
    from core.pii import pii_mask

    return pii_mask(str(text or ""), kinds=kinds or ())
