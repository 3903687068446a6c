"""A language's name inside a sentence is written as the sentence's language writes it: lower case in Spanish and
French ("disponible en inglés", "en anglais"), "tiếng Anh" in Vietnamese, "Englisch" in German (issue 19, session
22: staff pages said "Escriba la pregunta en Inglés." and "manquant : Chinois simplifié")."""

import pytest
from django.utils import translation

from core.language import in_sentence, named_for
from crisis.services.alerts import _clean_texts
from registrations.views.questions import _inputs
from tenants.models import Agency


@pytest.mark.parametrize(
    ("ui", "code", "name"),
    [
        ("es", "en", "inglés"),
        ("es", "zh-hans", "chino simplificado"),
        ("fr", "en", "anglais"),
        ("fr", "vi", "vietnamien"),
        ("vi", "en", "tiếng Anh"),
        ("de", "en", "Englisch"),
        ("zh-hans", "en", "英语"),
        ("en", "vi", "Vietnamese"),
    ],
)
def test_a_language_named_inside_a_sentence(ui, code, name):
    with translation.override(ui):
        assert in_sentence(code) == name
    assert named_for(code, ui) == (ui, name)


def test_the_languages_a_form_text_still_lacks_are_named_in_lower_case_in_french():
    with translation.override("fr"):
        texts = _inputs("label", {"en": "Full name"}, ["en", "zh-hans", "vi"])
    assert texts["missing"] == "chinois simplifié, vietnamien"


def test_an_alert_missing_a_language_names_it_in_lower_case_in_spanish():
    agency = Agency(slug="x", name="X", languages=["en", "ar"])
    texts = {"en": {"headline": "Flood", "instruction": "Stay home"}, "ar": {"headline": "فيضان"}}
    with translation.override("es"), pytest.raises(Exception) as raised:
        _clean_texts(agency, texts)
    assert "se envía en árabe pero" in str(raised.value), raised.value
