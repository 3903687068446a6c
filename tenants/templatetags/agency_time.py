"""`{{ value|when }}`: a date and time in the active (the agency's) time zone, with the zone's
abbreviation, so "1:57 p.m." cannot be mistaken for another zone's time. `since` and `until`: how long ago / how
long until, in the UI language ("40 seconds", "3 days, 2 hours"); `ago` and `ahead`: the same as a phrase, on
Django's naturaltime pattern ("just now", "40 seconds ago", "in 5 minutes", "in 2 days, 3 hours")."""

from datetime import datetime, timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter
from django.utils import formats, timesince, timezone
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy, npgettext_lazy

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


def _seconds(delta: timedelta) -> str:
    """Under a minute, where Django's timesince says "0 minutes": the seconds."""
    count = max(0, int(delta.total_seconds()))
    return ngettext("%(num)d second", "%(num)d seconds", count) % {"num": count}


@register.filter(expects_localtime=False)
def since(value) -> str:
    """`{{ value|since }}`: Django's timesince ("3 days, 2 hours") in every UI language; seconds under a minute."""
    if not isinstance(value, datetime):
        return ""
    delta = timezone.now() - value if timezone.is_aware(value) else datetime.now() - value
    if delta < timedelta(minutes=1):
        return _seconds(delta)
    return timesince.timesince(value, time_strings=TIME_STRINGS)


@register.filter(expects_localtime=False)
def until(value) -> str:
    """`{{ value|until }}`: Django's timeuntil in every UI language; seconds under a minute."""
    if not isinstance(value, datetime):
        return ""
    delta = value - timezone.now() if timezone.is_aware(value) else value - datetime.now()
    if delta < timedelta(minutes=1):
        return _seconds(delta)
    return timesince.timeuntil(value, time_strings=TIME_STRINGS)


# The units inside "%(delta)s ago" / "in %(delta)s": their own entries, as a language may inflect them there
# (German "vor 3 Tagen", Arabic "منذ يومين").
PHRASE_STRINGS = {
    "year": npgettext_lazy("in a time phrase", "%(num)d year", "%(num)d years", "num"),
    "month": npgettext_lazy("in a time phrase", "%(num)d month", "%(num)d months", "num"),
    "week": npgettext_lazy("in a time phrase", "%(num)d week", "%(num)d weeks", "num"),
    "day": npgettext_lazy("in a time phrase", "%(num)d day", "%(num)d days", "num"),
    "hour": npgettext_lazy("in a time phrase", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("in a time phrase", "%(num)d minute", "%(num)d minutes", "num"),
}


class _Natural(NaturalTimeFormatter):
    """Django's naturaltime with the project's words (its own catalogues carry them in every UI language, where
    Django's humanize said "40 Sekunden von jetzt an" or had no Vietnamese for "3 days")."""

    time_strings = {
        "past-day": gettext_lazy("%(delta)s ago"),
        "past-hour": ngettext_lazy("%(count)d hour ago", "%(count)d hours ago", "count"),
        "past-minute": ngettext_lazy("%(count)d minute ago", "%(count)d minutes ago", "count"),
        "past-second": ngettext_lazy("%(count)d second ago", "%(count)d seconds ago", "count"),
        "now": gettext_lazy("just now"),
        "future-second": ngettext_lazy("in %(count)d second", "in %(count)d seconds", "count"),
        "future-minute": ngettext_lazy("in %(count)d minute", "in %(count)d minutes", "count"),
        "future-hour": ngettext_lazy("in %(count)d hour", "in %(count)d hours", "count"),
        "future-day": gettext_lazy("in %(delta)s"),
    }
    past_substrings = PHRASE_STRINGS
    future_substrings = PHRASE_STRINGS


@register.filter(expects_localtime=False)
def ago(value) -> str:
    """`{{ value|ago }}`: "just now", "40 seconds ago", "5 minutes ago", "2 hours ago", "3 days, 2 hours ago"."""
    if not isinstance(value, datetime):
        return ""
    if value > timezone.now():  # a clock a moment ahead: not "in 1 second" for something that happened
        return gettext("just now")
    return str(_Natural.string_for(value))


@register.filter(expects_localtime=False)
def ahead(value) -> str:
    """`{{ value|ahead }}`: "now", "in 40 seconds", "in 5 minutes", "in 2 hours", "in 3 days, 2 hours"."""
    if not isinstance(value, datetime):
        return ""
    if value <= timezone.now() + timedelta(seconds=1):
        return gettext("now")
    return str(_Natural.string_for(value))
