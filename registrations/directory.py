"""What the agency directory search knows about each agency from this app: its published forms, with
their titles and descriptions in every language the form carries."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from portal.directory import DirectoryPhrase
from registrations.models import FormDefinition
from tenants.context import cross_agency

KIND = _("Apply online")


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [text for text in value.values() if isinstance(text, str) and text]
    return [value] if isinstance(value, str) and value else []


def form_phrases() -> Iterator[DirectoryPhrase]:
    # Every agency's published forms, on purpose: the directory is a cross-agency public page.
    with cross_agency(reason="the public directory lists every agency's published forms"):
        rows = list(
            FormDefinition.objects.unscoped()  # unscoped: the public directory lists every agency's published forms
            .filter(published=True)
            .values_list("agency_id", "title", "definition")
        )
    for agency_id, title, definition in rows:
        definition = definition if isinstance(definition, dict) else {}
        titles = _texts(definition.get("title")) or _texts(title)
        for text in titles:
            yield DirectoryPhrase(agency_id, KIND, text, 2.0)
        for text in _texts(definition.get("description")):
            yield DirectoryPhrase(agency_id, KIND, text, 0.7)
