"""The address a citizen gave in the message that opened a report is offered as a one-tap answer when the report
asks where it is (seen on make run: "there's a big pothole outside 16815 W Vanowen St" was asked "Where is it?"
with nothing to pick)."""

import io

import pytest

from geocoding.selectors import street_names_clear
from geocoding.services import address_points_load_csv
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401

pytestmark = pytest.mark.django_db

POINTS = """address,lat,lon
"16815 W VANOWEN ST, 91406",34.19402846,-118.4994716
"132 S WESTMORELAND AVE, 90004",34.07243977,-118.2877979
"""


@pytest.fixture
def located(agency):  # noqa: F811
    street_names_clear()
    with agency_context(agency):
        address_points_load_csv(agency=agency, file=io.BytesIO(POINTS.encode()), filename="points.csv")
    yield agency
    street_names_clear()


def offered(reply):
    return [a for a in reply.payload["actions"] if a["value"] == "report:said"]


def test_the_opening_messages_address_is_offered_and_one_tap_answers_where(located):
    conversation = start(located)
    reply = say(located, conversation, "there's a big pothole outside 16815 W Vanowen St, it's been there 2 weeks")
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert [a["label"] for a in offered(reply)] == ["📍 16815 W VANOWEN ST, 91406"]
    reply = say(located, conversation, "📍 16815 W VANOWEN ST, 91406", "report:said")
    assert reply.payload["decision"]["form_field"] == "description", reply.text
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "16815 W VANOWEN ST, 91406"


def test_a_typed_address_still_answers_and_the_offer_goes_with_the_question(located):
    conversation = start(located)
    reply = say(located, conversation, "big pothole in front of 132 S Westmoreland Ave")
    assert [a["label"] for a in offered(reply)] == ["📍 132 S WESTMORELAND AVE, 90004"]
    reply = say(located, conversation, "12 Elm St")
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "12 Elm St"
    assert offered(reply) == []


@pytest.mark.parametrize(
    "text",
    ["there's a pothole on my street, it's been there for 2 weeks", "report a pothole", "pothole at 99999 Nowhere Rd"],
)
def test_no_offer_without_an_address_the_agency_knows(located, text):
    conversation = start(located)
    reply = say(located, conversation, text)
    if reply.payload["decision"].get("form_field") != "location":
        reply = say(located, conversation, "Pothole", "report:val:pothole")
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert offered(reply) == []


def test_the_button_at_another_question_answers_nothing(located):
    conversation = start(located)
    say(located, conversation, "there's a big pothole outside 16815 W Vanowen St")
    say(located, conversation, "12 Elm St")
    reply = say(located, conversation, "📍 16815 W VANOWEN ST, 91406", "report:said")
    assert reply.payload["decision"]["form_field"] == "description"
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == "12 Elm St"
