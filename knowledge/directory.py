"""What the agency directory search knows about each agency from this app: the titles of its public,
current documents (never staff-only ones)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from knowledge.models import Audience, Document
from portal.directory import DirectoryPhrase
from tenants.context import cross_agency

KIND = _("Information")


def document_phrases() -> Iterator[DirectoryPhrase]:
    # Every agency's public documents, on purpose: the directory is a cross-agency public page.
    with cross_agency(reason="the public directory lists every agency's public documents"):
        rows = list(
            Document.objects.unscoped()  # unscoped: the public directory lists every agency's public documents
            .filter(audience=Audience.PUBLIC, is_retired=False)
            .values_list("agency_id", "title")
        )
    for agency_id, title in rows:
        yield DirectoryPhrase(agency_id, KIND, title, 1.5)
