"""What the agency directory search knows about each agency from this app: its report categories, with their
names and keywords in every language they carry."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from portal.directory import DirectoryPhrase
from requests_app.models import ServiceCategory
from tenants.context import cross_agency

KIND = _("Report a problem")


def category_phrases() -> Iterator[DirectoryPhrase]:
    # Every agency's public catalogue, on purpose: the directory is a cross-agency public page.
    with cross_agency(reason="the public directory lists every agency's report categories"):
        rows = list(
            ServiceCategory.objects.unscoped()  # unscoped: the public directory lists every agency's catalogue
            .filter(active=True)
            .values_list("agency_id", "name", "group", "keywords", "description", "translations")
        )
    for agency_id, name, group, keywords, description, translations in rows:
        texts = [{"name": name, "group": group, "description": description, "keywords": keywords}]
        texts += [entry for entry in (translations or {}).values() if isinstance(entry, dict)]
        for entry in texts:
            for field, weight in (("name", 2.0), ("group", 1.0), ("description", 0.5)):
                if isinstance(entry.get(field), str) and entry[field]:
                    yield DirectoryPhrase(agency_id, KIND, entry[field], weight)
            # The words citizens use for it in each language ("Schlagloch", "坑洼" for the pothole), as the chat
            # reads them (`ServiceCategory.keywords_every_language`); shown as the category's name there.
            if isinstance(entry.get("keywords"), str) and entry["keywords"]:
                shown = entry["name"] if isinstance(entry.get("name"), str) and entry["name"] else name
                yield DirectoryPhrase(agency_id, KIND, entry["keywords"].replace(",", " "), 1.5, label=shown)
