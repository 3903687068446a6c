"""The place a citizen named in the message that opened a report ("there's a pothole outside 16815 W Vanowen St"),
offered as a one-tap answer when the report asks where it is: the agency's address points must know it, so a
number that is not an address ("for 2 weeks") offers nothing."""

from __future__ import annotations

import re

from geocoding.selectors import address_forward
from requests_app import geo, selectors

MAX_CANDIDATES = 4  # numbers tried in one message
_NUMBER = re.compile(r"(?<![\w-])\d{1,6}[A-Za-z]?(?=\s)")
_END = re.compile(r"[.;!?\n。！？]")  # noqa: RUF001 - the address ends with its sentence


def said_address(*, agency, text: str) -> str:
    """The agency's own text for an address the message names, or ""."""
    area = None  # the agency's service area, read once a number is an address
    for match in list(_NUMBER.finditer(text or ""))[:MAX_CANDIDATES]:
        tail = text[match.start() : match.start() + 120]
        end = _END.search(tail)
        found = address_forward(agency=agency, text=tail[: end.start()] if end else tail)
        if found is None:
            continue
        if area is None:
            area = selectors.request_settings_get(agency=agency).service_area or ""
        if not area or geo.contains(area, found.lat, found.long):
            return found.address
    return ""
