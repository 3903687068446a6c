"""The "report a problem" chat skill through the real citizen socket and the real Redis layer."""

import uuid

import pytest
from channels.db import database_sync_to_async

from chat.models import Message
from requests_app.models import ServiceRequest
from tests.chat.conftest import citizen, message_frames
from tests.requests_app.conftest import LAT, LONG

pytestmark = pytest.mark.django_db(transaction=True)


async def say(communicator, text, action=""):
    frame = {"type": "message", "text": text, "client_msg_id": uuid.uuid4().hex[:16]}
    if action:
        frame["action"] = action
    await communicator.send_json_to(frame)
    _echo, reply = await message_frames(communicator, 2, timeout=20)
    return reply


def _requests(agency):
    return list(ServiceRequest.objects.unscoped().filter(agency=agency))


async def test_full_report_through_the_socket(agency_a, catalogue_a, catalogue_b):
    communicator, hello = await citizen("alpha")
    reply = await say(communicator, "report a problem")
    assert "Pothole" in {a["label"] for a in reply["actions"]}
    reply = await say(communicator, "Pothole", "report:cat:pothole")
    reply = await say(communicator, f"{LAT}, {LONG}")
    reply = await say(communicator, "A deep hole in the right lane")
    reply = await say(communicator, "skip", "report:skip")
    assert "How big" in reply["text"]
    reply = await say(communicator, "Large", "report:val:large")
    assert "Pothole" in reply["text"] and "deep hole" in reply["text"]
    reply = await say(communicator, "Send", "report:confirm")
    filed = await database_sync_to_async(_requests)(agency_a)
    assert len(filed) == 1 and filed[0].reference in reply["text"] and "/track/" in reply["text"]
    assert filed[0].agency_id == agency_a.pk and filed[0].source == "chat"
    stored = await database_sync_to_async(
        lambda: Message.objects.unscoped().get(conversation_id=hello["conversation_id"], seq=reply["seq"])
    )()
    assert stored.payload["decision"]["service_request"] == filed[0].reference
    await communicator.disconnect()


async def test_typed_choice_by_its_name_and_typed_send(agency_a, catalogue_a):
    """Citizens type instead of tapping: an option's name and "yes" work like the buttons."""
    communicator, _hello = await citizen("alpha")
    await say(communicator, "report a problem")
    await say(communicator, "pothole")
    await say(communicator, f"{LAT}, {LONG}")
    await say(communicator, "A deep hole in the right lane")
    reply = await say(communicator, "skip")
    assert "How big" in reply["text"]
    reply = await say(communicator, "large ")
    assert reply["text"].startswith("Please check:") and "deep hole" in reply["text"]  # the review
    assert "   → Large" in reply["text"]  # with the size taken from the typed name
    reply = await say(communicator, "Gigantic")  # confirm step: not a yes
    assert "Send it" in reply["text"]
    reply = await say(communicator, "yes")
    filed = await database_sync_to_async(_requests)(agency_a)
    assert len(filed) == 1 and filed[0].attributes["size"] == "large"
    await communicator.disconnect()


async def test_invalid_location_is_asked_again(agency_a, catalogue_a):
    communicator, _hello = await citizen("alpha")
    await say(communicator, "report a problem")
    await say(communicator, "pothole")
    reply = await say(communicator, "95, 200")
    assert "Where is it?" in reply["text"] and reply["text"] != "Where is it?"
    await communicator.disconnect()


async def test_cancel_files_nothing(agency_a, catalogue_a):
    communicator, hello = await citizen("alpha")
    await say(communicator, "report a problem")
    await say(communicator, "Pothole", "report:cat:pothole")
    reply = await say(communicator, "cancel")  # the engine stops any flow on "cancel"
    assert reply["role"] == "bot" and "Where is it?" not in reply["text"]
    stored = await database_sync_to_async(
        lambda: Message.objects.unscoped().get(conversation_id=hello["conversation_id"], seq=reply["seq"])
    )()
    assert stored.payload["decision"].get("skill") != "report_problem"
    assert await database_sync_to_async(_requests)(agency_a) == []
    await communicator.disconnect()


async def test_other_agency_category_is_neither_offered_nor_accepted(agency_a, agency_b, catalogue_a, catalogue_b):
    def only_b():
        from requests_app.models import ServiceCategory

        ServiceCategory.objects.unscoped().create(agency=agency_b, code="graffiti-b", name="Graffiti B")

    await database_sync_to_async(only_b)()
    communicator, _hello = await citizen("alpha")
    reply = await say(communicator, "report a problem")
    assert "graffiti-b" not in str(reply["actions"]) and "Graffiti B" not in str(reply["actions"])
    reply = await say(communicator, "Graffiti B", "report:cat:graffiti-b")
    assert "I could not match that to a kind of problem reported here." in reply["text"]
    assert await database_sync_to_async(_requests)(agency_a) == []
    assert await database_sync_to_async(_requests)(agency_b) == []
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("report a pothole", "report_problem"),
        ("there is a broken street light", "report_problem"),
        ("reportar un bache", "report_problem"),
        ("报告路面坑洞", "report_problem"),
        ("When is trash pickup?", ""),
    ],
)
def test_intent_in_three_languages(text, intent):
    from chat.engine.intents import detect_intent

    available = {"greeting", "answer", "handoff", "feedback", "check_status", "thanks", "report_problem"}
    assert detect_intent(text, available=available).intent == intent
