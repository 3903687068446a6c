"""A problem the agency's chat does not take but another agency does ("There is graffiti on the bridge" at an agency
without a graffiti service): the report skill says so and links that agency's report page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chat.engine.intents import _matcher, normalize
from chat.engine.types import Turn, quick_reply
from core.language import primary as primary_language
from requests_app import selectors
from requests_app.chat_form import category_keywords
from tenants.translations import translated


def handled_elsewhere(turn: Turn):
    """ "There is graffiti on the bridge" where the agency has no such service but another agency does: say
    so and link that agency's report page, instead of a form that cannot take it. None otherwise."""
    from frontdoor import crossagency  # the front door's one path across agencies (public categories)

    text = normalize(turn.text)

    def names(category) -> bool:
        return any(_matcher(normalize(word))(text) for word in category_keywords(category) if len(word) > 2)

    own = list(selectors.categories_active(agency=turn.agency))
    if any(names(category) for category in own):
        return None
    if not _named_in(own, turn.written_language or turn.language, turn.agency):
        # Its services are not named in the language the citizen wrote: that none of them matched says nothing (a
        # pothole on the state highway told in Vietnamese went on to the city's "Ổ gà" from the state's chat).
        return None
    others = [c for c in crossagency.categories_active() if c.agency_id != turn.agency.pk and names(c)]
    if not others:
        return None
    lines = [
        _("%(agency)s does not handle that. These agencies do:") % {"agency": turn.agency.name_in(turn.language)},
        *(
            f"- {c.agency.name_in(turn.language)}: {translated(c, 'name', turn.language)} — "
            f"{reverse('requests:report-form', kwargs={'agency_slug': c.agency.slug, 'code': c.code})}"
            for c in others[:3]
        ),
    ]
    actions = [quick_reply(_("Report something else"), "report_problem"), quick_reply(_("Menu"), "greeting")]
    return turn.reply("\n".join(lines), actions=actions, decision={"elsewhere": [c.agency.slug for c in others[:3]]})


def _named_in(categories: list, language: str, agency) -> bool:
    """Whether `categories` can be told in `language`: the agency's own language (their names are written in it)
    or a translation of one of them."""
    code = primary_language(language or "")
    if not code or code == primary_language((agency.languages or ["en"])[0]):
        return True
    return any(
        primary_language(key) == code and isinstance(entry, dict) and entry.get("name")
        for category in categories
        for key, entry in (category.translations or {}).items()
    )
