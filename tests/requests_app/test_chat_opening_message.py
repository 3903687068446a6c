"""What the message that opened a report already said is not asked again (seen on make run: "there's a big pothole
outside 418 Linden Ave, it's about a foot wide" was asked "Where is it?" and "Describe the problem" after it): the
message is the description when it tells the problem, the address the place when it is plainly one (the agency's
address points' text when they know it, else as written), the first question asked says so, and the review shows
both. "report a pothole" tells neither."""

import io

import pytest

from geocoding.selectors import street_names_clear
from geocoding.services import address_points_load_csv
from requests_app.chat_location import plain_address
from requests_app.models import ServiceCategory, ServiceRequest
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


@pytest.fixture
def worded(agency):  # noqa: F811
    """The pothole's words in the other three languages, as the demo's categories carry them."""
    with agency_context(agency):
        category = ServiceCategory.objects.for_agency(agency).get(code="pothole")
        category.translations = {
            "es": {"keywords": "bache"},
            "de": {"keywords": "Schlagloch"},
            "zh-hans": {"keywords": "大坑,坑洞"},
        }
        category.save(update_fields=["translations"])
    return agency


def answers(conversation) -> dict:
    return conversation.skill_state["form"]["answers"]


@pytest.mark.parametrize(
    ("text", "place", "noted"),
    [
        (
            "there's a big pothole outside 418 Linden Ave, it's about a foot wide",
            "418 Linden Ave",
            "I took the place (418 Linden Ave) and the description from your message",
        ),
        (
            "hay un bache enorme delante de 418 Linden Ave, mide unos 30 centímetros",
            "418 Linden Ave",
            "Tomé el lugar (418 Linden Ave) y la descripción de su mensaje",
        ),
        (
            "Vor der Linden Ave 418 ist ein großes Schlagloch, etwa 30 cm breit",
            "Linden Ave 418",
            "Den Ort (Linden Ave 418) und die Beschreibung habe ich aus Ihrer Nachricht übernommen",
        ),
        ("林登大道418号门口有个大坑，大约一尺宽", "林登大道418号", "我已从您的消息中记下地点（林登大道418号）和描述"),  # noqa: RUF001
    ],
)
def test_the_opening_message_answers_where_and_what_in_four_languages(worded, text, place, noted):
    agency = worded  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, text)
    assert answers(conversation)["category"] == "pothole"
    assert answers(conversation)["location"]["address"] == place
    assert answers(conversation)["description"] == text
    # Neither asked: the photo is next, and the reply says what was taken.
    assert reply.payload["decision"]["form_field"] == "photo", reply.text
    assert reply.text.startswith(noted), reply.text
    say(agency, conversation, "skip", "report:skip")
    reply = say(agency, conversation, "Large", "report:val:large")
    assert place in reply.text and text in reply.text  # the review shows both
    say(agency, conversation, "Send", "report:confirm")
    with agency_context(agency):
        filed = ServiceRequest.objects.for_agency(agency).get()
    assert (filed.address, filed.description) == (place, text)


def test_an_address_the_agency_knows_is_taken_in_its_own_words(located):
    conversation = start(located)
    reply = say(located, conversation, "there's a big pothole outside 16815 W Vanowen St, it's been there 2 weeks")
    assert answers(conversation)["location"]["address"] == "16815 W VANOWEN ST, 91406"
    assert "16815 W VANOWEN ST, 91406" in reply.text.split("\n")[0]


@pytest.mark.parametrize(
    "text",
    [
        "report a pothole",
        "I want to report a pothole",
        "ein Schlagloch melden",
        "报告路面坑洞",
        "quiero reportar un bache",
    ],
)
def test_naming_the_act_tells_nothing_to_take(worded, text):
    agency = worded  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert set(answers(conversation)) == {"category"}
    assert "from your message" not in reply.text
    reply = say(agency, conversation, "12 Elm St")
    assert reply.payload["decision"]["form_field"] == "description", reply.text


def test_a_description_without_an_address_still_asks_where(agency):  # noqa: F811
    conversation = start(agency)
    text = "there's a pothole on my street, it's been there for 2 weeks and my tire blew"
    reply = say(agency, conversation, text)
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    assert reply.text.startswith("I took the description from your message")
    reply = say(agency, conversation, "12 Elm St")
    assert reply.payload["decision"]["form_field"] == "photo", reply.text  # the description is not asked
    assert answers(conversation)["description"] == text


def test_going_back_asks_a_taken_answer_again(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "there's a big pothole outside 418 Linden Ave, it's about a foot wide")
    reply = say(agency, conversation, "Back", "report:back")
    assert reply.payload["decision"]["form_field"] == "description", reply.text
    reply = say(agency, conversation, "A deep hole, about a foot wide, in the right lane")
    assert reply.payload["decision"]["form_field"] == "photo", reply.text
    assert answers(conversation)["description"] == "A deep hole, about a foot wide, in the right lane"
    assert answers(conversation)["location"]["address"] == "418 Linden Ave"


def test_from_the_menu_nothing_is_taken(agency):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, "Report a problem", "report_problem")
    assert reply.payload["decision"]["form_field"] == "category", reply.text
    assert answers(conversation) == {}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("big pothole in front of 132 S Westmoreland Ave", "132 S Westmoreland Ave"),
        ("Schlagloch vor der Lindenstraße 12", "Lindenstraße 12"),
        ("hay un bache en la Calle Mayor 5", "Calle Mayor 5"),
        ("我家在人民路12号，门口的路灯坏了", "人民路12号"),  # noqa: RUF001
        ("it's been there for 2 weeks on Elm St", ""),
        ("there is a pothole 3 feet wide on Main St", ""),
        ("a hole about 30 cm wide", ""),
    ],
)
def test_an_address_is_plainly_one_or_none(text, address):
    assert plain_address(text) == address


def test_in_arabic_the_address_keeps_its_number_in_front(worded):
    """Seen on make run: "418 Linden Ave" in the Arabic review was drawn "Linden Ave 418" (its digits took the Arabic
    sentence's direction); isolated (FSI … PDI) it reads as written. Not in a left-to-right language."""
    agency = worded  # noqa: F811
    with agency_context(agency):
        category = ServiceCategory.objects.for_agency(agency).get(code="pothole")
        category.translations = {**category.translations, "ar": {"keywords": "حفرة"}}
        category.save(update_fields=["translations"])
    conversation = start(agency)
    reply = say(agency, conversation, "هناك حفرة كبيرة أمام 418 Linden Ave، عرضها حوالي 30 سم")
    assert "\u2068418 Linden Ave\u2069" in reply.text.split("\n")[0], reply.text
    say(agency, conversation, "skip", "report:skip")
    review = say(agency, conversation, "Large", "report:val:large")
    assert "\u2068418 Linden Ave\u2069" in review.text, review.text
    english = start(agency)
    reply = say(agency, english, "there's a big pothole outside 418 Linden Ave, it's about a foot wide")
    assert "\u2068" not in reply.text
