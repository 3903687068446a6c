"""The report's review before "Send" shows everything that will be filed: the category's own answers (question,
then answer, as a registration's review shows them) and how many photos come with it, in the conversation's
language (seen on a citizen walk: the pothole's size and the attached photo were left out)."""

from django.utils import translation

from chat import services
from registrations.engine import Flow, FlowState
from requests_app.chat_form import Catalogue, attribute_field_id
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401
from tests.requests_app.test_chat_widget_photo import photo_url, png


def test_the_review_shows_the_size_and_the_attached_photo(client, agency):  # noqa: F811
    with agency_context(agency):
        conversation, token = services.conversation_start(agency=agency, channel="widget")
    say(agency, conversation, "report a problem")
    say(agency, conversation, "Pothole", "report:val:pothole")
    say(agency, conversation, "39.7817, -89.6436")
    say(agency, conversation, "A deep hole in the right lane")
    assert client.post(photo_url(agency), {"token": token, "photo": png()}).status_code == 201
    reply = say(agency, conversation, "Large", "report:val:large")
    assert not reply.payload["decision"].get("form_field"), reply.text  # the review
    lines = reply.text.split("\n")
    assert lines[0] == "Please check: Pothole at 39.7817, -89.6436 — “A deep hole in the right lane”."
    assert lines[1:] == ["• How big is it?", "   → Large", "Photo: 1 attached", "Send it?"], reply.text


def test_without_a_photo_the_review_says_none_is_attached_by_leaving_it_out(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "report a problem")
    say(agency, conversation, "Pothole", "report:val:pothole")
    say(agency, conversation, "39.7817, -89.6436")
    say(agency, conversation, "A deep hole")
    say(agency, conversation, "skip")
    reply = say(agency, conversation, "Small", "report:val:small")
    assert "   → Small" in reply.text and "Photo" not in reply.text, reply.text


def test_a_spanish_review_shows_the_size_and_the_photo_in_spanish(client, agency):  # noqa: F811
    with agency_context(agency):
        conversation, token = services.conversation_start(agency=agency, channel="widget")
    say(agency, conversation, "quiero reportar un problema")
    say(agency, conversation, "Bache", "report:val:pothole")
    say(agency, conversation, "Calle Mayor 12")
    say(agency, conversation, "un hoyo muy grande en el carril")
    assert client.post(photo_url(agency), {"token": token, "photo": png()}).status_code == 201
    reply = say(agency, conversation, "Grande", "report:val:large")
    assert reply.payload["decision"]["language"] == "es", reply.text
    lines = reply.text.split("\n")
    assert lines[0].startswith("Revise: ") and "Calle Mayor 12" in lines[0], reply.text
    assert lines[1].startswith("• ") and lines[2].startswith("   → "), reply.text
    assert lines[3:] == ["Foto: 1 adjunta", "¿Lo enviamos?"], reply.text


def test_an_arabic_review_isolates_each_answer_and_counts_the_photos(agency):  # noqa: F811
    from requests_app.chat_form import review_message  # new with this review: the other tests run on the old code

    size = attribute_field_id("pothole", "size")
    with agency_context(agency), translation.override("ar"):
        spec = Catalogue(agency, "ar").spec(agency, "widget")
        answers = {
            "category": "pothole",
            "location": {"lat": 39.7817, "long": -89.6436, "address": "418 Linden Ave"},
            "description": "حفرة كبيرة",
            size: "large",
        }
        text = review_message(Flow(spec, lang="ar"), FlowState.from_dict({"stage": "review"}, answers), photos=2)
    lines = text.split("\n")
    assert "\u2068418 Linden Ave\u2069" in lines[0], text
    assert lines[1].startswith("• ") and lines[2].startswith("\u200f   ← \u2068") and lines[2].endswith("\u2069"), text
    assert lines[3:] == ["الصورتان المرفقتان: 2", "هل نرسله؟"], text
