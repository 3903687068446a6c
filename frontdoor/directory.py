"""What the agency directory search (portal.directory) knows from the front door: each agency's published
services and its public officials and offices, in every language they carry."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from frontdoor import crossagency
from portal.directory import DirectoryPhrase

SERVICE = _("Service")
CONTACT = _("Contact")


def service_phrases() -> Iterator[DirectoryPhrase]:
    for service in crossagency.services_published():
        texts = [{"name": service.name, "summary": service.summary}]
        texts += [entry for entry in (service.translations or {}).values() if isinstance(entry, dict)]
        for entry in texts:
            if isinstance(entry.get("name"), str) and entry["name"]:
                yield DirectoryPhrase(service.agency_id, SERVICE, entry["name"], 2.0)
            if isinstance(entry.get("summary"), str) and entry["summary"]:
                yield DirectoryPhrase(service.agency_id, SERVICE, entry["summary"], 0.5)
        if service.keywords:
            yield DirectoryPhrase(service.agency_id, SERVICE, service.keywords.replace(",", " "), 1.5)


def official_phrases() -> Iterator[DirectoryPhrase]:
    for official in crossagency.officials_public():
        label = f"{official.name}, {official.title}" if official.title else official.name
        yield DirectoryPhrase(official.agency_id, CONTACT, label, 1.0)
        if official.responsibilities:
            yield DirectoryPhrase(official.agency_id, CONTACT, official.responsibilities, 0.5)
