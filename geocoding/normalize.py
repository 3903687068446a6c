"""Address text → comparable parts. "16815 West Vanowen Street, Los Angeles, CA 91406" and
"16815 w vanowen st 91406" both become number "16815", direction "w", name "vanowen", type "st",
zipcode "91406".

Street types and directions are reduced to the USPS abbreviations (Street → st, Avenue → ave,
North → n), so abbreviations and full words compare equal; typos in the name are left to the
trigram comparison of the caller (`similarity`)."""

import re
import unicodedata
from dataclasses import dataclass

# USPS street suffixes (Publication 28, the common ones) and the spellings people type.
STREET_TYPES = {
    "st": ("st", "street", "str", "strt"),
    "ave": ("ave", "avenue", "av", "aven", "avn", "avenu"),
    "blvd": ("blvd", "boulevard", "boul", "boulv", "bl"),
    "dr": ("dr", "drive", "drv", "driv"),
    "rd": ("rd", "road"),
    "ln": ("ln", "lane"),
    "pl": ("pl", "place"),
    "ct": ("ct", "court", "crt"),
    "ter": ("ter", "terrace", "terr"),
    "way": ("way", "wy"),
    "cir": ("cir", "circle", "circ", "crcl"),
    "hwy": ("hwy", "highway", "hiway", "hway"),
    "pkwy": ("pkwy", "parkway", "pky", "parkwy"),
    "trl": ("trl", "trail"),
    "sq": ("sq", "square"),
    "plz": ("plz", "plaza"),
    "aly": ("aly", "alley"),
    "walk": ("walk",),
    "row": ("row",),
    "loop": ("loop",),
    "path": ("path",),
    "xing": ("xing", "crossing"),
    "expy": ("expy", "expressway"),
    "fwy": ("fwy", "freeway"),
}
DIRECTIONS = {
    "n": ("n", "north", "no"),
    "s": ("s", "south", "so"),
    "e": ("e", "east"),
    "w": ("w", "west"),
    "ne": ("ne", "northeast"),
    "nw": ("nw", "northwest"),
    "se": ("se", "southeast"),
    "sw": ("sw", "southwest"),
}
_TYPE_OF = {spelling: short for short, spellings in STREET_TYPES.items() for spelling in spellings}
_DIRECTION_OF = {spelling: short for short, spellings in DIRECTIONS.items() for spelling in spellings}
# Words that name places above the street (dropped when they follow the street).
_STATES = frozenset(
    [
        "al",
        "ak",
        "az",
        "ar",
        "ca",
        "co",
        "ct",
        "de",
        "fl",
        "ga",
        "hi",
        "id",
        "il",
        "in",
        "ia",
        "ks",
        "ky",
        "la",
        "me",
        "md",
        "ma",
        "mi",
        "mn",
        "ms",
        "mo",
        "mt",
        "ne",
        "nv",
        "nh",
        "nj",
        "nm",
        "ny",
        "nc",
        "nd",
        "oh",
        "ok",
        "or",
        "pa",
        "ri",
        "sc",
        "sd",
        "tn",
        "tx",
        "ut",
        "vt",
        "va",
        "wa",
        "wv",
        "wi",
        "wy",
        "dc",
        "usa",
        "us",
    ]
)
_ORDINALS = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
}
_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_NUMBER = re.compile(r"^\d+[a-z]?$")


@dataclass(frozen=True)
class Parsed:
    number: str  # "16815", "1122 1/2", "" when none
    direction: str  # "w", or ""
    name: str  # "vanowen", "san pedro", "82nd"
    street_type: str  # "st", or ""
    zipcode: str  # "91406", or ""

    @property
    def street(self) -> str:
        """Direction, name and type: the key of a street."""
        return " ".join(part for part in (self.direction, self.name, self.street_type) if part)

    @property
    def normalized(self) -> str:
        return " ".join(part for part in (self.number, self.street) if part)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    text = _fold(text).replace("#", " # ")
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", r"\1", text)
    return re.findall(r"\d+/\d+|[a-z0-9]+(?:-[0-9]+)?|#", text)


def _misspelled_direction(token: str) -> str:
    """ "souh" → "s", "nrth" → "n": a spelled-out direction with one letter wrong, missing or swapped."""
    if len(token) < 4:
        return ""
    for word, short in (("north", "n"), ("south", "s"), ("east", "e"), ("west", "w")):
        if abs(len(token) - len(word)) <= 1 and _one_edit(token, word):
            return short
    return ""


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def parse(text: str) -> Parsed:
    """The parts of a US-style street address; never raises (anything unexpected stays in the name)."""
    text = (text or "").strip()
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        return Parsed("", "", "", "", "")
    zipcode = ""
    for position, part in reversed(list(enumerate(parts))):
        tokens = _tokens(part)
        for token in reversed(tokens[1:] if position == 0 else tokens):
            if _ZIP.match(token):
                zipcode = token[:5]
                break
        if zipcode:
            break
    tokens = _tokens(parts[0])
    if len(parts) == 1:
        # "123 Main St Springfield IL 62701": stop after the street type.
        while tokens and (_ZIP.match(tokens[-1]) or tokens[-1] in _STATES):
            tokens.pop()
    number = ""
    if tokens and _NUMBER.match(tokens[0]):
        number = tokens.pop(0)
        if tokens and re.match(r"^\d+/\d+$", tokens[0]):
            number += " " + tokens.pop(0)
    # Unit designators end the street ("apt 4", "# 12", "unit b").
    for index, token in enumerate(tokens):
        if token in ("apt", "unit", "ste", "suite", "#", "fl", "floor", "rm", "room") and index > 0:
            tokens = tokens[:index]
            break
    direction = ""
    # "N Main St": a direction; "West St": a street named West.
    named = len(tokens) > 2 or (len(tokens) == 2 and tokens[1] not in _TYPE_OF)
    if named and (tokens[0] in _DIRECTION_OF or _misspelled_direction(tokens[0])):
        direction = _DIRECTION_OF.get(tokens[0]) or _misspelled_direction(tokens[0])
        tokens.pop(0)
    street_type = ""
    cut = None
    for index in range(len(tokens) - 1, 0, -1):
        if tokens[index] in _TYPE_OF:
            cut = index
            break
    if cut is not None:
        street_type = _TYPE_OF[tokens[cut]]
        rest = tokens[cut + 1 :]
        tokens = tokens[:cut]
        # A trailing direction after the type ("Main St N") counts when there was none before.
        if rest and rest[0] in _DIRECTION_OF and not direction:
            direction = _DIRECTION_OF[rest[0]]
    elif len(tokens) > 1 and tokens[-1] in _DIRECTION_OF and not direction:
        direction = _DIRECTION_OF[tokens.pop()]
    name = " ".join(_ORDINALS.get(token, token) for token in tokens)
    return Parsed(number, direction, name, street_type, zipcode)


def trigrams(text: str) -> frozenset[str]:
    grams = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: shared trigrams of the words over all trigrams of both."""
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)
