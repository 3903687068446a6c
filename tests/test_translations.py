"""The shipped catalogs are complete: every UI string has a Spanish, Chinese, French, Vietnamese, Korean,
Arabic and German translation; Arabic pages are laid out right to left."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import get_language_info

CATALOGS = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po"))


def test_catalogs_exist_for_each_language():
    languages = {path.parts[-3] for path in CATALOGS}
    assert languages == {"es", "zh_Hans", "fr", "vi", "ko", "ar", "de"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_catalog_is_fully_translated_and_compiled(path):
    catalog = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
    compiled = path.with_suffix(".mo")
    assert compiled.exists()


def test_every_ui_language_has_its_catalog():
    languages = {path.parts[-3].lower().replace("_", "-") for path in CATALOGS}
    assert {code for code, _name in settings.LANGUAGES} - {"en"} == languages


@pytest.mark.parametrize(
    ("language", "direction", "word"),
    [
        ("ar", "rtl", "الجهات"),
        ("fr", "ltr", "Organismes"),
        ("ko", "ltr", "기관"),
        ("vi", "ltr", "Cơ quan"),
        ("de", "ltr", "Behörden"),
    ],
)
@pytest.mark.django_db
def test_pages_carry_the_languages_direction(client, language, direction, word):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert word in body


@pytest.mark.django_db
def test_the_language_picker_offers_every_ui_language(client):
    body = client.get("/").content.decode()
    for code in ("fr", "vi", "ko", "ar", "de"):
        assert f'<option value="{code}" lang="{code}">{get_language_info(code)["name_local"]}</option>' in body


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_no_message_puts_an_apostrophe_s_after_a_name(path):
    """ "%(agency)s's information" reads "Springfield Public Works's information": a name the agency typed takes
    no English possessive (in the source text or a translation), whatever it ends in."""
    possessive = re.compile(r"%\(\w+\)s['\u2019]s\b|\{\{ *\w+ *\}\}['\u2019]s\b")
    catalog = polib.pofile(str(path))
    wrong = [entry.msgid for entry in catalog if possessive.search(entry.msgid) or possessive.search(entry.msgstr)]
    assert wrong == []
