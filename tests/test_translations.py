"""The shipped catalogs are complete: every UI string has a Spanish and a Chinese translation."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGS = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"))


def test_catalogs_exist_for_each_language():
    languages = {path.parts[-3] for path in CATALOGS}
    assert languages == {"es", "zh_Hans"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_catalog_is_fully_translated_and_compiled(path):
    catalog = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    compiled = path.with_suffix(".mo")
    assert compiled.exists()
