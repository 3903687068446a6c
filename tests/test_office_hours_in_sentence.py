"""An agency's office hours inside a sentence start in lower case in Spanish and French, as those languages write
a day after a colon or inside brackets (found by the session-24 walk: "…o llame al +1 217 555 0100 (De lunes a
viernes, de 8:00 a 17:00)", "Atención por personas: De lunes a viernes…", "Nos heures d'ouverture : Du lundi…").
The agency types them as a label, capital first; German nouns and English or Vietnamese day names keep theirs."""

import pytest

from knowledge.answering import no_answer_text
from tenants.context import agency_context
from tenants.translations import in_sentence
from tests.chat.test_form_interrupts import say, start

HOURS = {
    "en": "Monday to Friday, 8:00-17:00",
    "es": "De lunes a viernes, de 8:00 a 17:00",
    "fr": "Du lundi au vendredi, de 8 h 00 à 17 h 00",
    "de": "Montag bis Freitag, 8:00-17:00 Uhr",
    "vi": "Thứ Hai đến Thứ Sáu, 8:00-17:00",
}
INSIDE = {
    "en": "Monday to Friday",
    "es": "de lunes a viernes",
    "fr": "du lundi au vendredi",
    "de": "Montag bis Freitag",
    "vi": "Thứ Hai đến Thứ Sáu",
}


@pytest.fixture
def hours_agency(agency_a):
    agency_a.languages = list(HOURS)
    agency_a.office_hours = HOURS["en"]
    agency_a.contact_phone = "+1 217 555 0100"
    agency_a.translations = {code: {"office_hours": text} for code, text in HOURS.items() if code != "en"}
    agency_a.save()
    return agency_a


@pytest.mark.parametrize("language", list(HOURS))
def test_the_no_answer_reply_puts_the_hours_in_its_sentence(hours_agency, language):
    text = no_answer_text(hours_agency, language)
    assert f"({INSIDE[language]}, " in text, text


@pytest.mark.parametrize("language", list(HOURS))
def test_the_chat_page_puts_the_hours_in_its_sentence(client, hours_agency, language):
    client.cookies["django_language"] = language
    page = client.get("/a/alpha/chat/").content.decode()
    assert INSIDE[language] in page
    if INSIDE[language] != HOURS[language][: len(INSIDE[language])]:
        assert HOURS[language][:12] not in page


@pytest.mark.parametrize(
    ("language", "ask"), [("es", "quiero hablar con una persona"), ("fr", "je veux parler à une personne")]
)
def test_nobody_online_names_the_hours_in_its_sentence(hours_agency, language, ask):
    with agency_context(hours_agency):
        conversation = start(hours_agency)
    reply = say(hours_agency, conversation, ask)
    assert INSIDE[language] in reply.text, reply.text
    assert HOURS[language][:6] not in reply.text


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("De lunes a viernes", "es", "de lunes a viernes"),
        ("Lun.-Vie. 8:00-17:00", "es", "lun.-Vie. 8:00-17:00"),
        ("SAMU : 15", "fr", "SAMU : 15"),
        ("L", "fr", "L"),
        ("Montag bis Freitag", "de", "Montag bis Freitag"),
        ("Monday", "en", "Monday"),
        ("", "es", ""),
    ],
)
def test_in_sentence(text, language, expected):
    assert in_sentence(text, language) == expected
