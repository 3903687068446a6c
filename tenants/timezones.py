"""Times are shown in the agency's own time zone: on its pages (middleware), in its sockets, tasks,
e-mails and chat replies, and in the admin for staff whose agencies share one zone."""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from tenants.models import Agency


def agency_zone(agency: Agency | None) -> zoneinfo.ZoneInfo:
    return _zone_named(getattr(agency, "timezone", ""))


def _zone_named(name: str) -> zoneinfo.ZoneInfo:
    name = name or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # The model validates the name; a row written around the validation still renders, in UTC.
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def agency_time(agency: Agency | None) -> timezone.override:
    """`with agency_time(agency):` renders dates and times in the agency's zone."""
    return timezone.override(agency_zone(agency))


def zone_for_user(user) -> zoneinfo.ZoneInfo | None:
    """The one zone of all the agencies `user` works for, or None (several zones, or none)."""
    from tenants.selectors import memberships_for_user

    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    names = {membership.agency.timezone for membership in memberships_for_user(user=user)}
    if len(names) != 1:
        return None
    return _zone_named(names.pop())
