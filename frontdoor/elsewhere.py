"""Things citizens ask a state's or a city's portal that none of its agencies does, and who does (general knowledge
the portal can state without speaking for any agency's policy): a passport is the U.S. Department of State's, a
green card and citizenship are U.S. Citizenship and Immigration Services', the weather forecast the National
Weather Service's. Only a name and a public address are given, never how to apply.

A question that names one of these topics is none of the hosted agencies' business unless an agency holds the topic
itself (its services, categories, descriptions or passage headings name it: a county clerk that takes passport
applications) or holds enough of the question's other words (`yields_to`: "is trash pickup delayed by the weather?" is
the city's): otherwise the front door says no agency here handles it, and who does (`frontdoor.routing`).
Each topic is named in the front door's eight languages; matched on the question's folded words (accents off,
Vietnamese typed without its marks too) or, in Chinese and Korean, as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Elsewhere:
    topic: str
    handler: object  # a lazy translation: who handles it
    url: str
    names: tuple[str, ...]  # the topic's names, each language's, folded
    # How many of the question's other words an agency must hold to keep the question: the weather is often only
    # the cause of what is asked ("is the interstate closed because of the weather?"), a passport the thing asked for.
    yields_to: int = 2

    def as_dict(self) -> dict:
        return {"topic": self.topic, "handler": str(self.handler), "url": self.url}

    def named_in(self, text: str) -> bool:
        folded = _fold(text)
        return any(pattern.search(folded) for pattern in _patterns()[self.topic])


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


TOPICS = (
    Elsewhere(
        "passport",
        _("the U.S. Department of State"),
        "https://travel.state.gov/",
        (
            "passport",
            "passports",
            "pasaporte",
            "pasaportes",
            "护照",
            "reisepass",
            "reisepasse",
            "passeport",
            "passeports",
            "ho chieu",
            "여권",
            "جواز السفر",
            "جواز سفر",
            "جوازات السفر",
        ),
    ),
    Elsewhere(
        "green card",
        _("U.S. Citizenship and Immigration Services (USCIS)"),
        "https://www.uscis.gov/",
        (
            "green card",
            "permanent resident card",
            "permanent residence",
            "tarjeta verde",
            "residencia permanente",
            "绿卡",
            "greencard",
            "carte verte",
            "the xanh",
            "영주권",
            "그린카드",
            "البطاقة الخضراء",
            "الجرين كارد",
            "الإقامة الدائمة",
        ),
    ),
    Elsewhere(
        "citizenship",
        _("U.S. Citizenship and Immigration Services (USCIS)"),
        "https://www.uscis.gov/",
        (
            "citizenship",
            "naturalization",
            "naturalisation",
            "become a citizen",
            "become a us citizen",
            "ciudadania",
            "naturalizacion",
            "入籍",
            "公民身份",
            "staatsburgerschaft",
            "us-staatsburger",
            "amerikanischer staatsburger",
            "eingeburgert",
            "einburgern",
            "einburgerung",
            "citoyennete",
            "quoc tich",
            "nhap tich",
            "시민권",
            "귀화",
            "الجنسية",
            "التجنس",
        ),
    ),
    Elsewhere(
        "weather",
        _("the National Weather Service"),
        "https://www.weather.gov/",
        (
            "weather",
            "forecast",
            "pronostico",
            "clima",
            "天气",
            "wetter",
            "wettervorhersage",
            "meteo",
            "thoi tiet",
            "날씨",
            "일기예보",
            "الطقس",
        ),
        yields_to=1,
    ),
)
_LATIN = re.compile(r"^[a-z ]+$")


def _pattern(name: str) -> re.Pattern:
    folded = _fold(name)
    if _LATIN.match(folded):
        return re.compile(r"(?<![a-z])" + re.escape(folded) + r"(?![a-z])")
    return re.compile(re.escape(folded))


@functools.cache
def _patterns() -> dict[str, tuple[re.Pattern, ...]]:
    return {topic.topic: tuple(_pattern(name) for name in topic.names) for topic in TOPICS}


def elsewhere_topic(question: str) -> tuple[Elsewhere, str] | None:
    """The topic `question` names and the question without it (folded), or None."""
    folded = _fold(question)
    for topic in TOPICS:
        patterns = _patterns()[topic.topic]
        for pattern in patterns:
            if pattern.search(folded):
                rest = folded
                for other in patterns:
                    rest = other.sub(" ", rest)
                return topic, rest
    return None
