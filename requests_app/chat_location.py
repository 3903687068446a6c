"""The place a citizen named in the message that opened a report ("there's a pothole outside 16815 W Vanowen St"),
taken as the answer to "Where is it?" when it is plainly an address: one the agency's address points know (their
text is kept), or a house number written with a street's name and its kind ("418 Linden Ave", "Lindenstraße 12",
"Calle Mayor 5", "林登大道418号"), or two streets that cross ("at 5th and Main", "an der Ecke Hauptstraße/Bahnhofstraße",
"góc đường Lê Lợi và Hai Bà Trưng": `geocoding.intersections`). A number that is no address ("for 2 weeks", "about 30
cm") takes nothing.

An intersection is kept as "A & B" (Open311's `address_string`; it has no field of its own for one), written as the
agency's address points write the two streets when they place it, with the point where the streets cross
(`geocoding.selectors.intersection_forward`; inside the agency's service area, else no point)."""

from __future__ import annotations

import re

from geocoding.intersections import Intersection, intersection
from geocoding.selectors import address_forward, intersection_forward
from requests_app import geo, selectors

MAX_CANDIDATES = 4  # numbers tried in one message
_NUMBER = re.compile(r"(?<![\w-])\d{1,6}[A-Za-z]?(?=\s)")
_END = re.compile(r"[.;!?\n。！？]")  # noqa: RUF001 - the address ends with its sentence


# A street's kind, after its name (en, es, de, fr written the American way), or before it (es, fr).
_KIND_AFTER = (
    r"st|street|ave|avenue|av|rd|road|blvd|boulevard|ln|lane|dr|drive|ct|court|pl|place|way|pkwy|parkway|hwy|"
    r"highway|ter|terrace|cir|circle|sq|square"
)
_KIND_BEFORE = r"calle|avenida|avda|paseo|camino|carretera|plaza|rue|avenue|boulevard|chemin"
_DE_STREET = r"[^\W\d_]+(?:stra(?:ß|ss)e|str\.|weg|platz|gasse|allee|ring|damm|ufer)"
# Words a street's name is not made of ("for 2 weeks on Elm St" is no address at "2").
_NOT_A_NAME = frozenset([
    "on", "at", "in", "of", "the", "a", "an", "and", "or", "to", "from", "for", "by", "near", "outside", "behind",
    "across", "weeks", "week", "days", "day", "hours", "hour", "months", "month", "years", "year", "minutes", "feet",
    "foot", "ft", "inches", "inch", "cm", "meters", "metres", "m", "km", "miles", "mile", "times", "vor", "der",
    "die", "das", "dem", "den", "im", "am", "an", "auf", "bei", "zur", "zum", "la", "el", "del", "los", "las", "en",
    "frente", "delante", "cerca"
])  # fmt: skip
_NAME = r"[^\W\d_][\w'.-]*"
_NUMBER_FIRST = re.compile(
    rf"(?<![\w.,-])(\d{{1,6}}[A-Za-z]?)\s+((?:{_NAME}\s+){{0,3}}?)({_KIND_AFTER})\b\.?", re.IGNORECASE
)
_NUMBER_LAST = re.compile(
    rf"(?:(?:{_KIND_BEFORE})\s+(?:{_NAME}\s+){{0,3}}?|(?:{_NAME}\s+){{1,3}}?(?:{_KIND_AFTER})\.?\s+|{_DE_STREET}\s*)"
    rf"\d{{1,5}}[a-z]?(?![0-9A-Za-z.,])",
    re.IGNORECASE,
)
_HAN_STREET = re.compile(r"([\u4e00-\u9fff]{1,4}(?:大道|大街|路|街|巷))\s*(\d{1,5})\s*号")
_HAN_LEAD = "在到于从的是"  # "在林登大道418号": the preposition is not the street's name


def plain_address(text: str) -> str:
    """A street address written out in `text` ("418 Linden Ave", "Lindenstraße 12", "林登大道418号"), or ""."""
    text = text or ""
    for match in _NUMBER_FIRST.finditer(text):
        names = match.group(2).split()
        if names and not any(_word(name) in _NOT_A_NAME for name in names):
            return " ".join(match.group(0).split())
    for match in _NUMBER_LAST.finditer(text):
        words = match.group(0).split()
        while len(words) > 2 and _word(words[0]) in _NOT_A_NAME:  # "Vor der Linden Ave 418": from "Linden"
            words = words[1:]
        if not any(_word(word) in _NOT_A_NAME for word in words[:-1]):
            return " ".join(words)
    match = _HAN_STREET.search(text)
    if match:
        name = re.split(f"[{_HAN_LEAD}]", match.group(1))[-1]  # "家在人民路" → "人民路"
        return f"{name}{match.group(2)}号" if len(name) > 1 else ""
    return ""


def _word(word: str) -> str:
    return word.casefold().strip(".,")


def opening_place(*, agency, text: str) -> str:
    """The place the message that opened a report plainly names: the agency's own text for an address its address
    points know, else the address as written, else ""."""
    return said_address(agency=agency, text=text) or plain_address(text)


def crossing_place(*, agency, crossing: Intersection) -> dict:
    """An intersection as a report's location: `{"lat", "long", "address"}`, placed where the agency's address
    points put it inside the area it serves (then written as they write the streets), else the streets as typed
    with no point."""
    found = intersection_forward(agency=agency, first=crossing.first, second=crossing.second)
    if found is not None and _served(agency, found):
        return {"lat": found.lat, "long": found.long, "address": found.address}
    return {"lat": None, "long": None, "address": crossing.text}


def typed_place(*, agency, value: dict) -> dict:
    """A location answer as typed at "Where is it?": an intersection without a pin is placed (`crossing_place`),
    anything else is kept as it is (an address is placed when the report is filed)."""
    if value.get("lat") is not None:
        return value
    crossing = intersection(value.get("address") or "")
    return crossing_place(agency=agency, crossing=crossing) if crossing is not None else value


def _served(agency, found) -> bool:
    area = selectors.request_settings_get(agency=agency).service_area or ""
    return not area or geo.contains(area, found.lat, found.long)


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
