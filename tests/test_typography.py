"""A label's colon as each language writes it (found by the session-21 walk in French: "Téléphone:" in the footer;
French puts a no-break space before a colon, Chinese a full-width colon), and a French sentence that does not put an
agency's capitalised office hours mid-sentence ("Des personnes répondent Du lundi au vendredi…")."""

import pytest

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Phone:"), ("fr", f"Téléphone{NBSP}:"), ("zh-hans", "电话\uff1a"), ("de", "Telefon:"), ("ar", "الهاتف:")],
)
def test_the_footers_phone_label_is_punctuated_as_the_language_does(client, agency_a, language, label):
    agency_a.contact_phone = "+1 217 555 0100"
    agency_a.languages = ["en", "fr", "zh-hans", "de", "ar"]
    agency_a.save()
    client.cookies["django_language"] = language
    page = client.get("/a/alpha/").content.decode()
    assert f'{label} <a href="tel:+1 217 555 0100">' in page


def test_the_french_chat_page_names_the_office_hours_after_a_colon(client, agency_a):
    agency_a.languages = ["en", "fr"]
    agency_a.office_hours = "Monday to Friday, 8:00-17:00"
    agency_a.translations = {"fr": {"office_hours": "Du lundi au vendredi, de 8 h 00 à 17 h 00"}}
    agency_a.save()
    client.cookies["django_language"] = "fr"
    page = client.get("/a/alpha/chat/").content.decode()
    assert f"horaires suivants{NBSP}: du lundi au vendredi" in page
    assert "répondent Du lundi" not in page


def _french_texts():
    import polib
    from django.conf import settings

    from portal.demo_agency_names import NAMES

    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po")):
            if not entry.obsolete:
                yield from [entry.msgstr, *entry.msgstr_plural.values()]
    yield from (names["fr"] for names in NAMES.values() if "fr" in names)


def test_french_writes_one_apostrophe_the_straight_one_its_catalogue_uses_most():
    """Found by the session-25 walk: "Délais d\u2019attente" next to "l'assistant" on one page. The catalogue wrote the
    straight apostrophe 586 times and the typographic one 141 times; a reader sees the mix, so one is kept."""
    typographic = [text for text in _french_texts() if "\u2019" in text]
    assert typographic == []
