"""Report a pothole on Telegram with a shared location and a photo; the status news comes back on
Telegram; a photo whose download fails never drops the message's text."""

import json

import pytest

from chat.models import Conversation, Message
from messaging.models import OutboundMessage
from requests_app.models import RequestPhoto, ServiceRequest
from requests_app.services import notifications_deliver, service_request_transition
from tenants.context import agency_context
from tests.messaging.conftest import SECRET_A, deliver, run_events
from tests.requests_app.conftest import LAT, LONG, make_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(agency_a):
    return make_catalogue(agency_a)


class Person:
    """A person on Telegram, chat 42, talking to agency A's bot through the fake Bot API."""

    def __init__(self, client, telegram, agency, connection, chat_id=42):
        self.client, self.telegram, self.agency, self.connection, self.chat_id = (
            client,
            telegram,
            agency,
            connection,
            chat_id,
        )
        self.seen = 0

    def send(self, update) -> list[dict]:
        response = self.client.post(
            "/hooks/alpha/telegram/",
            data=json.dumps(update),
            content_type="application/json",
            HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET_A,
        )
        assert response.status_code == 200
        run_events(self.agency)
        deliver(self.agency, self.connection)
        return self.new()

    def new(self) -> list[dict]:
        sent = self.telegram.sent(self.chat_id)
        fresh, self.seen = sent[self.seen :], len(sent)
        return fresh

    def say(self, text):
        return self.send(self.telegram.message_update(self.chat_id, text=text))

    def press(self, data):
        return self.send(self.telegram.button_update(self.chat_id, data))


def buttons(message) -> dict:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {row[0]["text"]: row[0]["callback_data"] for row in rows}


def test_report_a_pothole_with_location_and_photo_then_status_news(client, telegram, telegram_a, agency_a, catalogue):
    person = Person(client, telegram, agency_a, telegram_a)
    [reply] = person.say("I want to report a pothole")
    assert "Where is it?" in reply["text"] and "share your location from your phone" in reply["text"]
    assert "coordinates" not in reply["text"]
    [reply] = person.send(telegram.location_update(42, LAT, LONG))
    assert "Describe the problem" in reply["text"]
    [reply] = person.say("A deep hole in the right lane")
    assert "Send a photo of it now" in reply["text"]
    assert reply["text"].count("skip") == 1  # once, by the form (the hint said it a second time)
    [reply] = person.send(telegram.photo_update(42))
    assert reply["text"].startswith("Photo received.") and "How big" in reply["text"]
    [reply] = person.press(buttons(reply)["Large"])
    assert "Send it?" in reply["text"]
    [reply] = person.press(buttons(reply)["Send"])
    assert "has been filed" in reply["text"]

    with agency_context(agency_a):
        request = ServiceRequest.objects.for_agency(agency_a).get()
        assert request.reference in reply["text"]
        assert request.source == "telegram"  # shown as "Telegram" to staff, not "Chat"
        assert (float(request.lat), float(request.long)) == pytest.approx((LAT, LONG))
        assert RequestPhoto.objects.for_agency(agency_a).filter(request=request).count() == 1
        service_request_transition(
            agency=agency_a,
            actor=None,
            request=request,
            to_status="acknowledged",
            public_note="Crew booked for Tuesday",
        )
        notifications_deliver(agency=agency_a, request_id=request.pk)
    deliver(agency_a, telegram_a)
    [news] = person.new()
    assert request.reference in news["text"] and "Crew booked for Tuesday" in news["text"]


def test_a_photo_sent_first_starts_the_report_and_is_not_asked_again(client, telegram, telegram_a, agency_a, catalogue):
    person = Person(client, telegram, agency_a, telegram_a)
    [reply] = person.send(telegram.photo_update(42, caption="pothole"))
    assert reply["text"].startswith("Photo received.") and "Where is it?" in reply["text"]
    person.say(f"{LAT}, {LONG}")
    [reply] = person.say("Deep hole")
    assert "How big" in reply["text"]  # the photo question is skipped: it came already


def test_a_failed_photo_download_keeps_the_text(client, telegram, telegram_a, agency_a, catalogue):
    person = Person(client, telegram, agency_a, telegram_a)
    telegram.file_failures = 10  # every try of the download fails
    [reply] = person.send(telegram.photo_update(42, caption="how do I report a pothole?"))
    citizen = Message.objects.for_agency(agency_a).filter(role="citizen").get()
    assert citizen.text == "how do I report a pothole?" and "photos" not in citizen.payload
    assert reply["text"]  # answered all the same
    assert telegram.file_failures == 7  # three tries


def test_a_photo_download_that_fails_once_is_retried(client, telegram, telegram_a, agency_a, catalogue):
    person = Person(client, telegram, agency_a, telegram_a)
    telegram.file_failures = 1
    person.send(telegram.photo_update(42, caption="pothole"))
    citizen = Message.objects.for_agency(agency_a).filter(role="citizen").get()
    assert len(citizen.payload["photos"]) == 1


def test_channel_conversations_are_in_the_inbox_with_their_channel(client, telegram, telegram_a, agency_a, staff_a):
    from chat.selectors import conversation_summary

    person = Person(client, telegram, agency_a, telegram_a)
    person.say("I want to talk to a person")
    conversation = Conversation.objects.for_agency(agency_a).get()
    with agency_context(agency_a):
        summary = conversation_summary(conversation)
    assert summary["channel"] == "telegram"
    assert OutboundMessage.objects.for_agency(agency_a).exists()


def test_back_after_a_photo_that_came_already_goes_to_the_question_before_it(
    client, telegram, telegram_a, agency_a, catalogue
):
    person = Person(client, telegram, agency_a, telegram_a)
    person.say("I want to report a pothole")
    person.send(telegram.location_update(42, LAT, LONG))
    person.say("A deep hole in the right lane")
    [reply] = person.send(telegram.photo_update(42))
    assert "How big" in reply["text"]
    [reply] = person.press(buttons(reply)["Back"])
    assert "Describe the problem" in reply["text"]  # was "How big" again: Back landed on the photo, skipped forward
    [reply] = person.say("A deep hole in the left lane")
    assert "How big" in reply["text"]  # the photo is still there: not asked for again


def test_a_button_of_an_earlier_question_is_not_the_answer_to_this_one(
    client, telegram, telegram_a, agency_a, catalogue
):
    person = Person(client, telegram, agency_a, telegram_a)
    [menu] = person.say("report a problem")
    pothole = buttons(menu)["Pothole"]
    [reply] = person.press(pothole)
    assert "Where is it?" in reply["text"]
    [reply] = person.press(pothole)  # the old keyboard is still on the phone
    assert reply["text"].startswith("That button belongs to an earlier question.") and "Where is it?" in reply["text"]
    person.send(telegram.location_update(42, LAT, LONG))
    [reply] = person.press(pothole)
    assert "Describe the problem" in reply["text"]  # not taken as the description either
    person.say("A deep hole")
    [reply] = person.send(telegram.photo_update(42))
    [reply] = person.press(buttons(reply)["Large"])
    assert "A deep hole" in reply["text"] and "Send it?" in reply["text"]


def test_the_agents_see_a_channel_photo_and_location_in_the_transcript_and_nobody_else(
    client, client_for, telegram, telegram_a, agency_a, staff_a, staff_b, catalogue
):
    from chat.realtime import message_frame

    person = Person(client, telegram, agency_a, telegram_a)
    person.send(telegram.photo_update(42, caption="pothole"))
    person.send(telegram.location_update(42, LAT, LONG))
    with agency_context(agency_a):
        photo, located = Message.objects.for_agency(agency_a).filter(role="citizen").order_by("seq")
        [url] = message_frame(photo)["photos"]  # was: no photo in the frame, so the inbox never showed it
        assert message_frame(located)["location"] == {"lat": LAT, "lng": LONG}
    assert url.startswith("/media/messaging/")
    response = client_for(staff_a["agent"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert client_for(staff_b["agent"]).get(url).status_code == 404  # another agency's agent
    assert client_for(staff_b["admin"]).get(url).status_code == 404
    assert client_for(staff_a["analyst"]).get(url).status_code == 404  # no inbox role
    client.logout()
    assert client.get(url).status_code == 404
    made_up = url.rsplit("/", 1)[0] + "/0123456789abcdef0123456789abcdef.jpg"
    assert client_for(staff_a["agent"]).get(made_up).status_code == 404  # a file no message carries


def test_a_location_shared_at_the_description_is_not_the_description(client, telegram, telegram_a, agency_a, catalogue):
    person = Person(client, telegram, agency_a, telegram_a)
    person.say("I want to report a pothole")
    [reply] = person.send(telegram.location_update(42, LAT, LONG))
    assert "Describe the problem" in reply["text"]
    [reply] = person.send(telegram.location_update(42, LAT, LONG))  # was filed as the description
    assert reply["text"].startswith("A shared location does not answer this question.")
    assert "Describe the problem" in reply["text"]


def test_an_application_started_on_telegram_is_a_telegram_application(client, telegram, telegram_a, agency_a):
    from registrations.models import Registration
    from tests.registrations.test_chat_skill import _form

    _form(agency_a, "library-card", "Library card")
    person = Person(client, telegram, agency_a, telegram_a)
    [reply] = person.say("I want to register for a service")
    person.press(buttons(reply)["Library card"])
    assert Registration.objects.for_agency(agency_a).get().channel == "telegram"  # was "chat"
