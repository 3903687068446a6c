"""The front door in every UI language finds the demo's state agencies by what they do (session-25 walk): "운전면허를
갱신하고 싶어요" (I want to renew my driving licence) found no agency, "Tôi muốn gia hạn bằng lái xe" was offered Natural
Resources, Public Health and Revenue, "Ich möchte meinen Führerschein erneuern" none: Motor Vehicle Services
described itself in English and Spanish only, the languages its own pages speak, while the front door speaks eight.
(bench/frontdoor/route_i18n.py on the seeded demo: 54 of 70 questions routed right before, 61 after.)"""

import pytest

from frontdoor import routing
from portal.demo import AGENCIES
from portal.demo_agency_names import agency_translations_ensure
from portal.directory import directory_index_clear
from tenants.models import Agency

STATE = ("motor-vehicles", "natural-resources", "public-health", "revenue", "transportation", "sangamon-county")


@pytest.fixture
def demo_state_agencies(db):
    keep = ("slug", "name", "kind", "description", "languages", "translations")
    for spec in AGENCIES:
        if spec["slug"] in STATE:
            agency = Agency.objects.create(**{key: spec[key] for key in keep if key in spec})
            agency_translations_ensure(agency, spec.get("translations"))
    directory_index_clear()
    yield
    directory_index_clear()


@pytest.mark.parametrize(
    "question",
    [
        "운전면허를 갱신하고 싶어요",
        "Tôi muốn gia hạn bằng lái xe",
        "Ich möchte meinen Führerschein erneuern",
        "أريد تجديد رخصة القيادة",
        "Je veux renouveler mon permis de conduire",
    ],
)
def test_a_driving_licence_in_any_ui_language_reaches_motor_vehicle_services(demo_state_agencies, question):
    route = routing.route_question(question=question)
    assert route.decision == "answer" and route.best.agency.slug == "motor-vehicles", route.as_dict()


def test_every_demo_agency_describes_itself_in_every_ui_language(demo_state_agencies):
    from django.conf import settings

    languages = {code for code, _name in settings.LANGUAGES} - {"en"}
    for agency in Agency.objects.filter(slug__in=STATE):
        described = {code for code, entry in agency.translations.items() if entry.get("description")}
        assert described == languages, (agency.slug, languages - described)


def test_every_demo_agency_gives_its_office_hours_in_every_ui_language(demo_state_agencies):
    """Motor Vehicle Services' "I don't know" on the Korean front door ended "(Monday to Friday, 8:00-17:00; Saturday
    8:00-12:00)" in English inside a Korean sentence."""
    from django.conf import settings
    from django.utils import translation

    from tenants.translations import translated_in_sentence

    languages = {code for code, _name in settings.LANGUAGES} - {"en"}
    for agency in Agency.objects.filter(slug__in=STATE):
        hours = {code for code, entry in agency.translations.items() if entry.get("office_hours")}
        assert hours == languages, (agency.slug, languages - hours)
    vehicles = Agency.objects.get(slug="motor-vehicles")
    with translation.override("ko"):
        assert translated_in_sentence(vehicles, "office_hours") == "월요일~금요일 8:00-17:00, 토요일 8:00-12:00"
    with translation.override("fr"):
        said = translated_in_sentence(vehicles, "office_hours")
    assert said == "du lundi au vendredi, de 8 h 00 à 17 h 00\u00a0; le samedi de 8 h 00 à 12 h 00", said
