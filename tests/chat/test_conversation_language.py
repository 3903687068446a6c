"""The conversation's language reaches the client: each bot message names the language it answers in, and
the UI catalogue of any offered language is public JSON, so the widget's own words can follow the citizen
(an English page, a Chinese question: "来源" for "Sources:")."""

import pytest
from channels.db import database_sync_to_async

from chat.models import Message
from tests.chat.conftest import citizen, message_frames

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def multilingual_agency(agency_a):
    agency_a.languages = ["en", "zh-hans", "de", "ar"]
    agency_a.full_clean()
    agency_a.save()
    return agency_a


async def test_each_bot_message_names_its_language_and_citizen_messages_do_not(multilingual_agency):
    communicator, _hello = await citizen("alpha")
    sent = [("你好", "zh-hans"), ("Hallo, guten Tag", "de"), ("Hello, I need some help please", "en")]
    for number, (text, language) in enumerate(sent):
        await communicator.send_json_to({"type": "message", "text": text, "client_msg_id": f"c-{number}"})
        echo, reply = await message_frames(communicator, 2)
        assert "language" not in echo
        assert reply["role"] == "bot" and reply["language"] == language, (text, reply)
    await communicator.disconnect()


async def test_a_resumed_conversation_replays_the_languages(multilingual_agency):
    communicator, hello = await citizen("alpha")
    await communicator.send_json_to({"type": "message", "text": "你好", "client_msg_id": "c-1"})
    await message_frames(communicator, 2)
    await communicator.disconnect()
    resumed, hello_again = await citizen("alpha", token=hello["token"], after_seq=0)
    assert hello_again["language"] == "zh-hans"
    _echo, reply = await message_frames(resumed, 2)
    assert reply["language"] == "zh-hans"
    await resumed.disconnect()
    stored = await database_sync_to_async(
        lambda: Message.objects.unscoped().get(conversation_id=hello["conversation_id"], seq=2)
    )()
    assert stored.payload["decision"]["language"] == "zh-hans"


@pytest.mark.parametrize(
    ("browser", "language"),
    [("de-DE", "de"), ("de-de", "de"), ("zh-CN", "zh-hans"), ("zh-TW", "zh-hans"), ("ar-EG", "ar"), ("ko-KR", "en")],
)
async def test_a_widget_on_a_browsers_language_starts_in_that_language(multilingual_agency, browser, language):
    """The widget on another site sends `navigator.language` ("de-DE"): the conversation starts in the agency's
    language it names (or one of its family), not in English, so the widget keeps its labels and a German
    "Hallo", which says nothing about its language, is greeted in German (Korean is not offered here: English)."""
    communicator, hello = await citizen("alpha", lang=browser)
    assert hello["language"] == language
    await communicator.send_json_to({"type": "message", "text": "Hallo", "client_msg_id": "c-1"})
    _echo, reply = await message_frames(communicator, 2)
    assert reply["language"] == language
    await communicator.disconnect()


def test_a_language_catalogue_is_public_json_for_any_origin(client):
    response = client.get("/jsi18n/zh-hans.json", HTTP_ORIGIN="https://city.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Language"] == "zh-hans"
    catalog = response.json()["catalog"]
    assert catalog["Sources:"] == "来源\uff1a"
    assert catalog["Send"] and catalog["Send"] != "Send"
    assert (
        client.get("/jsi18n/ar.json").json()["catalog"]["Send"]
        != client.get("/jsi18n/de.json").json()["catalog"]["Send"]
    )


@pytest.mark.parametrize("language", ["xx", "zh", "en-gb", "../de", "de.json"])
def test_a_language_not_offered_is_a_404(client, language):
    assert client.get(f"/jsi18n/{language}.json").status_code == 404
