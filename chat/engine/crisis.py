"""The agency's emergency notice in the chat: in the socket's hello (the widget's banner), leading the
conversation's first answer and the greeting menu while crisis mode is on."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from tenants.translations import translated


def crisis_notice_text(agency, language: str | None = None) -> str:
    if agency is None or not agency.crisis_mode:
        return ""
    return translated(agency, "crisis_message", language)


def crisis_lead(agency, language: str | None = None) -> str:
    """ "Emergency notice: …" followed by a blank line, or "" outside crisis mode."""
    text = crisis_notice_text(agency, language)
    if not text:
        return ""
    with translation.override(language or translation.get_language()):
        return _("Emergency notice: %(message)s") % {"message": text} + "\n\n"
