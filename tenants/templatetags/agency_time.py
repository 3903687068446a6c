"""`{{ value|when }}`: a date and time in the active (the agency's) time zone, with the zone's
abbreviation, so "1:57 p.m." cannot be mistaken for another zone's time. `since` and `until`: how long ago / how
long until, in the UI language."""

from datetime import datetime

from django import template
from django.utils import formats, timesince, timezone
from django.utils.translation import ngettext_lazy

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


# Django's own "%(num)d minute(s)" … strings, under the same msgids so the project's catalogues carry them: Django
# ships no Vietnamese for them, and its timesince filter said "58 minutes" on a Vietnamese staff page.
TIME_STRINGS = {
    "year": ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    "month": ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    "week": ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    "day": ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    "hour": ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    "minute": ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
}


@register.filter(expects_localtime=False)
def since(value) -> str:
    """`{{ value|since }}`: Django's timesince ("3 days, 2 hours") in every UI language."""
    return timesince.timesince(value, time_strings=TIME_STRINGS) if isinstance(value, datetime) else ""


@register.filter(expects_localtime=False)
def until(value) -> str:
    """`{{ value|until }}`: Django's timeuntil in every UI language."""
    return timesince.timeuntil(value, time_strings=TIME_STRINGS) if isinstance(value, datetime) else ""
