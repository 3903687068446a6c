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
