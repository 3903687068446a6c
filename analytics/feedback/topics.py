"""Default feedback topics per kind of agency, each with example sentences (English and Spanish) that
seed its classifier until staff corrections teach it the agency's own words.

A topic is stored with its default English name; pages show a default topic's name in the reader's language
(`topic_name`), and a name the agency changed as it wrote it."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

# The context is written out in each call: message extraction (xgettext) reads only literal contexts.
TOPIC = "feedback topic"

COMMON = [
    (
        "staff",
        pgettext_lazy("feedback topic", "Staff and service"),
        [
            "The person at the counter was very helpful and friendly",
            "The agent on the phone was rude and did not listen",
            "Thank you to the employee who helped me",
            "El empleado fue muy amable y me ayudó mucho",
            "Nobody answered my email for weeks",
        ],
    ),
    (
        "website",
        pgettext_lazy("feedback topic", "Website and online services"),
        [
            "The website is confusing and I could not find the form",
            "The online payment page keeps crashing",
            "The chat assistant did not understand my question",
            "La página web no funciona en mi teléfono",
            "I could not log in to my account online",
        ],
    ),
    (
        "waiting",
        pgettext_lazy("feedback topic", "Waiting times"),
        [
            "I waited two hours in line at the office",
            "It took months to get an answer",
            "The wait on the phone was over an hour",
            "Esperé mucho tiempo para que me atendieran",
            "Processing is far too slow",
        ],
    ),
]

CITY = [
    (
        "streets",
        pgettext_lazy("feedback topic", "Streets and traffic"),
        [
            "There are potholes everywhere on my street",
            "The traffic light at Main and 5th is broken",
            "Please repave the road, it is dangerous for bikes",
            "Hay muchos baches en mi calle",
            "The sidewalk is cracked and people trip",
        ],
    ),
    (
        "trash",
        pgettext_lazy("feedback topic", "Trash and recycling"),
        [
            "My garbage was not picked up this week",
            "Recycling pickup is always late",
            "Please add more trash cans downtown",
            "No recogieron la basura de mi casa",
            "The bulky item pickup was quick and easy",
        ],
    ),
    (
        "parks",
        pgettext_lazy("feedback topic", "Parks and recreation"),
        [
            "The playground in the park is broken",
            "Thank you for the new benches in the park",
            "The pool should open earlier in summer",
            "El parque está sucio y necesita mantenimiento",
            "More trees and green spaces please",
        ],
    ),
    (
        "safety",
        pgettext_lazy("feedback topic", "Safety and lighting"),
        [
            "The street lights on my block are out and it feels unsafe",
            "Cars speed through our neighborhood",
            "Please add a crosswalk near the school",
            "No hay luz en la calle por la noche, es peligroso",
            "There is graffiti and vandalism near the station",
        ],
    ),
]

STATE = [
    (
        "refunds",
        pgettext_lazy("feedback topic", "Refunds"),
        [
            "My tax refund has not arrived yet",
            "Where is my refund? It has been three months",
            "The refund came faster than expected, thank you",
            "No he recibido mi reembolso de impuestos",
            "My refund amount was wrong",
        ],
    ),
    (
        "filing",
        pgettext_lazy("feedback topic", "Forms and filing"),
        [
            "The tax forms are too complicated to understand",
            "The instructions for the business registration are unclear",
            "Filing online was simple this year",
            "Los formularios de impuestos son muy difíciles",
            "I did not know which form to use",
        ],
    ),
    (
        "payments",
        pgettext_lazy("feedback topic", "Payments and billing"),
        [
            "I was charged a penalty I do not understand",
            "The payment plan option is very helpful",
            "I paid twice by mistake and need the money back",
            "No puedo pagar en línea con mi tarjeta",
            "The bill had the wrong amount",
        ],
    ),
]

OTHER = (
    "other",
    pgettext_lazy("feedback topic", "Other"),
    [
        "I have a general suggestion for the agency",
        "Just wanted to say something",
        "Tengo una sugerencia general",
    ],
)


def _as_stored(name) -> str:
    """The English name a topic is stored with (the message itself, whatever language is active)."""
    with translation.override(None):
        return str(name)


def default_topics(kind: str) -> list[tuple[str, str, list[str]]]:
    """[(slug, name, examples)] for an agency of `kind` (tenants.Agency.Kind), names in English as stored."""
    specific = CITY if kind in ("city", "county", "district") else STATE
    return [(slug, _as_stored(name), examples) for slug, name, examples in [*specific, *COMMON, OTHER]]


DEFAULT_NAMES: dict[str, str] = {slug: _as_stored(name) for slug, name, _examples in [*CITY, *STATE, *COMMON, OTHER]}


def topic_name(slug: str | None, name: str | None) -> str:
    """A topic's name for the reader: a default topic's in the reader's language, any other as stored."""
    default = DEFAULT_NAMES.get(slug or "")
    if default is not None and name == default:
        return pgettext(TOPIC, default)
    return name or ""
