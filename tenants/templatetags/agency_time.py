"""`{{ value|when }}`: a date and time in the active (the agency's) time zone, with the zone's
abbreviation, so "1:57 p.m." cannot be mistaken for another zone's time."""

from datetime import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter(expects_localtime=False)
def when(value, format_name: str = "DATETIME_FORMAT") -> str:
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    text = formats.date_format(value, format_name)
    zone = value.tzname() if timezone.is_aware(value) else ""
    return f"{text} {zone}" if zone else text
