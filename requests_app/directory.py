"""What the agency directory search knows about each agency from this app: its report categories."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from portal.directory import DirectoryPhrase
from requests_app.models import ServiceCategory

KIND = _("Report a problem")


def category_phrases() -> Iterator[DirectoryPhrase]:
    # Every agency's public catalogue, on purpose: the directory is a cross-agency public page.
    for agency_id, name, group, keywords, description in (
        ServiceCategory.objects.unscoped()
        .filter(active=True)
        .values_list("agency_id", "name", "group", "keywords", "description")
    ):
        yield DirectoryPhrase(agency_id, KIND, name, 2.0)
        if keywords:
            yield DirectoryPhrase(agency_id, KIND, keywords.replace(",", " "), 1.5)
        if group:
            yield DirectoryPhrase(agency_id, KIND, group, 1.0)
        if description:
            yield DirectoryPhrase(agency_id, KIND, description, 0.5)
