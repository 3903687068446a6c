"""A report's place given as two streets that cross (found by the session-21 walk: "5th and Main" at "Where is it?"
was taken for a greeting and the question asked again; "at the corner of Oak & 3rd" in the opening message was not
taken as the place). The answer is the place, in the conversation's language, filed as "A & B" with the point
where the streets cross when the agency's address points know them."""

import io

import pytest

from geocoding.selectors import street_names_clear
from geocoding.services import address_points_load_csv
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401
from tests.geocoding.test_intersections import CSV

CORNER = (39.7852, -89.6502)  # where the test points' 5th St and Main St cross


@pytest.fixture
def streets(agency):  # noqa: F811
    street_names_clear()
    with agency_context(agency):
        address_points_load_csv(agency=agency, file=io.BytesIO(CSV.encode()), filename="points.csv")
    street_names_clear()
    yield agency
    street_names_clear()


@pytest.mark.parametrize(
    ("opening", "language", "typed", "address", "placed"),
    [
        ("I want to report a problem", "en", "5th and Main", "E 5TH ST & N MAIN ST", True),
        ("I want to report a problem", "en", "corner of Oak & 3rd", "Oak & 3rd", False),
        ("I want to report a problem", "en", "Elm St at Park Ave", "Elm St & Park Ave", False),
        ("Ich möchte ein Problem melden", "de", "Ecke Hauptstraße/Bahnhofstraße", "Hauptstraße & Bahnhofstraße", False),
        ("我要报告一个问题", "zh-hans", "5th 和 Main 路口", "E 5TH ST & N MAIN ST", True),
        ("tôi muốn báo cáo một vấn đề", "vi", "góc đường Lê Lợi và Hai Bà Trưng", "Lê Lợi & Hai Bà Trưng", False),
        ("je veux signaler un problème", "fr", "à l'angle de Main et 5th", "N MAIN ST & E 5TH ST", True),
    ],
)
def test_an_intersection_answers_where_it_is(streets, opening, language, typed, address, placed):
    conversation = start(streets)
    say(streets, conversation, opening)
    reply = say(streets, conversation, "Pothole", "report:val:pothole")
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    reply = say(streets, conversation, typed)
    assert reply.payload["decision"]["form_field"] == "description", reply.text
    assert "form_interrupted" not in reply.payload["decision"]
    location = conversation.skill_state["form"]["answers"]["location"]
    assert location["address"] == address
    if placed:
        assert (location["lat"], location["long"]) == pytest.approx(CORNER, abs=0.0003)
    else:
        assert location["lat"] is None
    assert reply.payload["decision"]["language"] == language and conversation.language == language


@pytest.mark.parametrize(
    ("opening", "address"),
    [
        ("there's a big pothole at 5th and Main, it's about a foot wide", "E 5TH ST & N MAIN ST"),
        ("there is a pothole at the corner of Oak & 3rd, my tire blew out", "Oak & 3rd"),
        ("5th 和 Main 路口有个很大的坑洞", "E 5TH ST & N MAIN ST"),
        ("có ổ gà rất sâu ở góc đường Lê Lợi và Hai Bà Trưng", "Lê Lợi & Hai Bà Trưng"),
    ],
)
def test_an_intersection_in_the_opening_message_is_taken_as_the_place(streets, opening, address):
    conversation = start(streets)
    reply = say(streets, conversation, opening)
    answers = conversation.skill_state["form"]["answers"]
    assert answers["location"]["address"] == address, reply.text
    assert address in reply.text  # "I took the place (…) from your message"
    assert reply.payload["decision"]["form_field"] != "location"
