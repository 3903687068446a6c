"""Two streets that cross, as people name a place where there is no house number: "5th and Main", "corner of Oak &
3rd", "Elm St at Park Ave", "Ecke Hauptstraße/Bahnhofstraße", "esquina de Mayor y Sol", "à l'angle de la rue Oberkampf
et de la rue Saint-Maur", "góc đường Lê Lợi và Hai Bà Trưng", "5th 和 Main 路口", "세종대로와 종로 교차로", "تقاطع شارع
الملك فهد مع شارع العليا" (the chat's eight languages).

`intersection(text)` reads a whole answer to "Where is it?" (the message is the place: the streets may be written in
lower case); `intersection_in(text)` finds one inside a sentence ("there's a pothole at 5th and Main, about a foot
wide"), where it takes more to be sure: a word that names a crossing ("corner of", "Ecke", "góc", "路口"), a "&" or
"/" between the streets, or "at/on/near" before two names written as names (capitalised, ordinal, or with a
street's kind). Open311 has no field for an intersection: it is filed as `address_string` "A & B" (the framing words
dropped), with the point where the agency's address points on the two streets come nearest
(`geocoding.selectors.intersection_forward`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geocoding.normalize import STREET_TYPES

MAX_NAME_WORDS = 5  # a street's name: "Martin Luther King Jr Blvd"


@dataclass(frozen=True)
class Intersection:
    first: str
    second: str

    @property
    def text(self) -> str:
        return f"{self.first} & {self.second}"


_KINDS = {spelling for spellings in STREET_TYPES.values() for spelling in spellings}
# Words that say "the crossing of" before the two streets (Latin scripts; compared case-insensitively).
_BEFORE = [
    # en
    "at the corner of", "on the corner of", "the corner of", "corner of", "at the intersection of",
    "the intersection of", "intersection of", "at the junction of", "junction of", "crossing of",
    # es
    "en la esquina de", "esquina de", "en el cruce de", "cruce de", "en la intersección de", "intersección de",
    "interseccion de", "esquina",
    # de
    "an der ecke", "ecke", "an der kreuzung", "kreuzung", "kreuzung von",
    # fr
    "à l'angle de", "à l\u2019angle de", "a l'angle de", "angle de", "au coin de", "coin de", "à l'intersection de",
    "intersection de", "au croisement de", "croisement de", "au carrefour de", "carrefour de", "carrefour",
    # vi
    "ngay góc đường", "góc đường", "góc phố", "góc", "ngã tư đường", "ngã tư", "ngã ba", "giao lộ", "giao điểm",
    "chỗ giao nhau của", "chỗ giao nhau giữa",
]  # fmt: skip
# … or after them ("5th and Main intersection", "Lê Lợi và Hai Bà Trưng ngã tư").
_AFTER = ["intersection", "corner", "crossing", "junction", "kreuzung", "ecke", "ngã tư", "giao lộ"]
# Between the two streets.
_AND_WORDS = ["and", "y", "e", "con", "und", "et", "và", "với", "voi", "va"]
_SYMBOLS = r"&|/|@|\+"
# French and Spanish say "la rue … et la rue …", "la calle …": the article goes, the street's kind stays.
_ARTICLE = re.compile(
    r"^(?:de\s+la\s+|de\s+l['\u2019]|du\s+|des\s+|de\s+|la\s+|le\s+|l['\u2019]|el\s+|der\s+|die\s+)", re.I
)
# A side that is a thing rather than a street: "the bench at Lincoln Park", "my car and the fence".
_NOT_A_STREET = frozenset(
    ["the", "a", "an", "my", "our", "his", "her", "their", "this", "that", "it", "there", "i", "we", "you", "he",
     "she", "they", "near", "next", "in", "on", "is", "are", "un", "une", "mon", "ma", "mi", "ein", "eine", "mein",
     "meine", "có", "tôi", "nhà"]
)  # fmt: skip
# Where a street's name ends inside a sentence: punctuation, or a word that is no part of a name.
_ENDS_A_NAME = frozenset(
    ["there", "is", "are", "was", "has", "have", "it", "its", "it's", "that", "which", "and", "for", "since", "about",
     "near", "in", "on", "at", "by", "with", "the", "a", "an", "been", "hay", "es", "está", "desde", "que", "ist",
     "seit", "gibt", "es", "il", "est", "depuis", "qui", "a", "có", "bị", "đã", "từ", "rất", "please", "por", "bitte",
     "s'il", "but", "pero", "aber", "mais", "nhưng"]
)  # fmt: skip

_HAN_SIDE = r"[\u4e00-\u9fffA-Za-z0-9][\u4e00-\u9fffA-Za-z0-9 .'-]{0,14}?"
_HAN = re.compile(
    rf"(?P<a>{_HAN_SIDE})\s*(?:和|与|與|跟|同|及|/|&)\s*(?P<b>{_HAN_SIDE})\s*的?\s*"
    r"(?:十字路口|交叉路口|交叉口|交汇处|交界处|路口|拐角处|拐角)"
)
_HANGUL_SIDE = r"[\uac00-\ud7afA-Za-z0-9][\uac00-\ud7afA-Za-z0-9-]{0,14}?"
_KOREAN = re.compile(
    rf"(?P<a>{_HANGUL_SIDE})(?:와|과|하고|이랑|랑|\s*/|\s*&)\s*(?P<b>(?:{_HANGUL_SIDE}\s)?{_HANGUL_SIDE})\s*(?:의\s*)?"
    r"(?:교차로|사거리|네거리|삼거리|교차점|모퉁이)"
)
_ARABIC_SIDE = r"[\u0600-\u06ffA-Za-z0-9]+(?:\s+[\u0600-\u06ffA-Za-z0-9]+){0,3}?"
_ARABIC = re.compile(
    rf"(?:تقاطع|زاوية|ناصية|ملتقى)\s+(?P<a>{_ARABIC_SIDE})\s+(?:مع\s+|و\s*)(?P<b>{_ARABIC_SIDE})"
    r"(?=\s*(?:[.,،؟!?]|$|\s+(?:في|منذ|يوجد|هناك|حيث)\b))"
)


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_BEFORE_RE = re.compile(rf"(?<![\w'\u2019])(?:{_alternation(_BEFORE)})(?![\w'\u2019])\s*", re.I)
_AFTER_RE = re.compile(rf"\s*(?<![\w])(?:{_alternation(_AFTER)})[.!]?\s*$", re.I)
_SPLIT = re.compile(rf"\s*(?:{_SYMBOLS})\s*|\s+[-\u2013]\s+|\s+(?:{_alternation(_AND_WORDS)})\s+|\s+ecke\s+", re.I)
_AT = re.compile(r"\s+(?:at|@)\s+", re.I)
_TRAILING = re.compile(r"[\s.,;:!?。！？，、]+$")  # noqa: RUF001 - sentence ends in every script


def _words(side: str) -> list[str]:
    return side.split()


def _street_kind(side: str) -> bool:
    words = [word.casefold().strip(".,") for word in side.split()]
    if any(word in _KINDS for word in words[-2:]):
        return True
    return any(word.endswith(("straße", "strasse", "str.", "weg", "platz", "gasse", "allee")) for word in words)


def _side(side: str) -> str:
    side = _ARTICLE.sub("", side.strip(" \t,;:-"))
    return " ".join(side.split())


def _acceptable(first: str, second: str) -> bool:
    for side in (first, second):
        words = _words(side)
        if not words or len(words) > MAX_NAME_WORDS:
            return False
        if words[0].casefold() in _NOT_A_STREET or side.isdigit():
            return False
    return first.casefold() != second.casefold()


def _script_forms(text: str) -> Intersection | None:
    for pattern in (_HAN, _KOREAN, _ARABIC):
        match = pattern.search(text)
        if match:
            first, second = _side(match.group("a")), _side(match.group("b"))
            if first and second and first != second:
                return Intersection(first, second)
    return None


def intersection(text: str) -> Intersection | None:
    """The two streets of a whole answer to "Where is it?" that names a crossing ("5th and Main", "corner of Oak &
    3rd", "Elm St at Park Ave"), or None (an address, a landmark, one street)."""
    text = _TRAILING.sub("", " ".join((text or "").split()))
    if not text or len(text) > 160 or re.search(r"\d{3,}", text):
        return None  # a house number: an address, not a crossing
    found = _script_forms(text)
    if found is not None:
        return found
    marked = _BEFORE_RE.match(text) is not None or _AFTER_RE.search(text) is not None
    body = _BEFORE_RE.sub("", text, count=1) if _BEFORE_RE.match(text) else text
    body = _AFTER_RE.sub("", body)
    split = _SPLIT.search(body)
    if split is not None:
        parts = [body[: split.start()], body[split.end() :]]
        marked = marked or not re.fullmatch(rf"\s+(?:{_alternation(_AND_WORDS)})\s+", split.group(0), re.I)
    else:
        parts = _AT.split(body, maxsplit=1)
        # "Elm St at Park Ave": "at" joins two streets only when both say they are streets.
        if len(parts) != 2 or not (_street_kind(parts[0]) and _street_kind(parts[1])):
            return None
        marked = True
    first, second = _side(parts[0]), _side(parts[1])
    if not marked and not _both_named(first, second):
        return None  # "report graffiti and a pothole": no word for a crossing, and not two streets' names
    return Intersection(first, second) if _acceptable(first, second) else None


def _named(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or word.casefold().strip(".") in _KINDS


def _both_named(first: str, second: str) -> bool:
    """ "5th and Main", "Oak and Elm", "5th and main": names written as names (an ordinal or a street's kind on one
    side lets the other be typed in lower case)."""
    if all(_named(word) for word in (*first.split(), *second.split())):
        return True
    strong = any(word[:1].isdigit() or _street_kind(word) for word in (*first.split(), *second.split()))
    return strong and min(len(first.split()), len(second.split())) <= 2


# Inside a sentence: the crossing named by a word for it, by a symbol, or after a preposition of place.
_PLACE_BEFORE = re.compile(r"(?<![\w'\u2019])(?:at|on|near|by|to|en|an|à|bei|ở|tại)\s+", re.I)


def _name_words(words: list[str], *, loose: bool) -> list[str]:
    """The words a street's name is made of, from the start of `words`: up to a word that ends a name, punctuation,
    or MAX_NAME_WORDS (`loose`: lower case allowed, else each word capitalised, an ordinal or a street's kind)."""
    taken: list[str] = []
    for word in words:
        bare = word.strip(",.;:!?()\"'“”")
        if not bare or (bare.casefold() in _ENDS_A_NAME and taken) or len(taken) >= MAX_NAME_WORDS:
            break
        named = bare[:1].isupper() or bare[:1].isdigit() or bare.casefold() in _KINDS
        if not loose and not named:
            break
        taken.append(bare)
        if bare != word.rstrip("'\"“”"):  # "3rd," : punctuation after the word ends the name
            break
    return taken


def intersection_in(text: str) -> Intersection | None:
    """A crossing named inside a longer message ("there's a pothole at 5th and Main, it's deep"), or None."""
    text = " ".join((text or "").split())
    found = _script_forms(text)
    if found is not None:
        return found
    for marked in (_BEFORE_RE, _PLACE_BEFORE):
        for match in marked.finditer(text):
            rest = text[match.end() :]
            splits = [_SPLIT.search(rest), _AT.search(rest) if marked is _PLACE_BEFORE else None]
            split = min((found for found in splits if found), key=lambda found: found.start(), default=None)
            if split is None or split.start() == 0:
                continue
            before = rest[: split.start()].split()
            loose = marked is _BEFORE_RE or split.group(0).strip() in ("&", "/", "@", "+")
            first = _name_words(before, loose=loose)
            if len(first) != len(before):
                continue  # the words before the connector are not all a name: "at the park and the school"
            second = _name_words(rest[split.end() :].split(), loose=loose)
            if not first or not second:
                continue
            if split.group(0).strip().casefold() in ("at", "@") and not (
                _street_kind(" ".join(first)) and _street_kind(" ".join(second))
            ):
                continue
            a, b = _side(" ".join(first)), _side(" ".join(second))
            if _acceptable(a, b):
                return Intersection(a, b)
    return None
