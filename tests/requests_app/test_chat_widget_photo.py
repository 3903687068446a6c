"""A photo attached in the web chat (`POST /api/v1/a/<slug>/chat/photo/`, the widget's attach button):
checked like the report form's uploads, stored as a messaging channel's photo, answered by the assistant
like a typed message, and filed with the report. Wrong or another agency's token: 404, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from chat import services
from chat.models import Message
from requests_app.models import RequestPhoto, ServiceRequest
from tenants.context import agency_context
from tests.requests_app.conftest import image_bytes
from tests.requests_app.test_chat_report_flow import say, up_to_description


def photo_url(agency) -> str:
    return f"/api/v1/a/{agency.slug}/chat/photo/"


def png(name="pothole.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG", exif_extra=False), content_type="image/png")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return (
        sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()) if root.exists() else []
    )


@pytest.fixture
def chat_a(agency_a):
    with agency_context(agency_a):
        conversation, token = services.conversation_start(agency=agency_a, channel="widget")
    return conversation, token


def citizen_messages(agency, conversation):
    with agency_context(agency):
        return list(Message.objects.for_agency(agency).filter(conversation=conversation).order_by("seq"))


def test_a_photo_becomes_the_citizens_message_and_the_assistant_answers_it(
    client, agency_a, catalogue_a, chat_a, settings
):
    conversation, token = chat_a
    response = client.post(photo_url(agency_a), {"token": token, "photo": png(), "client_msg_id": "c-1"})
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == "*"  # the widget runs on the agency's own site
    citizen, reply = citizen_messages(agency_a, conversation)
    assert response.json() == {"seq": citizen.seq, "client_msg_id": "c-1"}
    [name] = citizen.payload["photos"]
    assert name.startswith(f"messaging/{agency_a.pk}/") and name.endswith(".png")  # where channel photos go
    assert stored_files(settings) == [name]
    with Image.open(settings.MEDIA_ROOT / name) as stored:
        assert stored.format == "PNG" and stored.size == (64, 48)  # re-encoded by photo_clean
    assert citizen.text == "📷" and citizen.role == Message.Role.CITIZEN
    assert reply.role == Message.Role.BOT and reply.reply_to_seq == citizen.seq
    assert reply.text  # outside a report a bare photo is answered as on a messaging channel (the menu)


def test_the_same_client_msg_id_twice_stores_one_photo(client, agency_a, catalogue_a, chat_a, settings):
    conversation, token = chat_a
    for _attempt in range(2):  # a retry after a lost response
        response = client.post(photo_url(agency_a), {"token": token, "photo": png(), "client_msg_id": "c-1"})
        assert response.status_code == 201
    assert len(citizen_messages(agency_a, conversation)) == 2  # the photo and one reply
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("upload", "language", "message"),
    [
        (SimpleUploadedFile("notes.png", b"this is not an image", content_type="image/png"), "en", "Photos must be JPEG"),
        (SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", content_type="image/gif"), "en", "JPEG"),
        (SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), content_type="image/jpeg"), "en",
         "at most 10 MB"),
        (SimpleUploadedFile("notes.png", b"this is not an image", content_type="image/png"), "es",
         "Las fotos deben ser imágenes JPEG"),
        (SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), content_type="image/jpeg"), "de",
         "höchstens 10 MB"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_photo_we_keep_is_refused_in_the_citizens_language(
    client, agency_a, catalogue_a, settings, upload, language, message
):
    agency_a.languages = ["en", "es", "de"]
    agency_a.save(update_fields=["languages"])
    with agency_context(agency_a):
        conversation, token = services.conversation_start(agency=agency_a, channel="widget", language=language)
    response = client.post(photo_url(agency_a), {"token": token, "photo": upload})
    assert response.status_code == 400
    [text] = response.json()["photo"]
    assert message in text
    assert citizen_messages(agency_a, conversation) == []
    assert stored_files(settings) == []


def test_no_file_is_a_clear_400(client, agency_a, catalogue_a, chat_a):
    _conversation, token = chat_a
    response = client.post(photo_url(agency_a), {"token": token})
    assert response.status_code == 400 and response.json()["photo"] == ["Choose a photo to send."]


def test_json_instead_of_a_form_is_refused(client, agency_a, catalogue_a, chat_a):
    _conversation, token = chat_a
    response = client.post(photo_url(agency_a), {"token": token}, content_type="application/json")
    assert response.status_code == 415


@pytest.mark.parametrize("token", ["", "x" * 43, "short"])
def test_an_unknown_token_is_404_and_stores_nothing(client, agency_a, catalogue_a, chat_a, settings, token):
    conversation, _token = chat_a
    response = client.post(photo_url(agency_a), {"token": token, "photo": png()})
    assert response.status_code == 404
    assert citizen_messages(agency_a, conversation) == [] and stored_files(settings) == []
    assert client.post(photo_url(agency_a), {"token": _token, "photo": png()}).status_code == 201  # the right one


def test_another_agencys_conversation_is_404_and_stores_nothing(client, agency_a, agency_b, catalogue_a, settings):
    with agency_context(agency_b):
        theirs, token_b = services.conversation_start(agency=agency_b, channel="widget")
    response = client.post(photo_url(agency_a), {"token": token_b, "photo": png()})  # B's token, A's address
    assert response.status_code == 404
    assert citizen_messages(agency_b, theirs) == [] and stored_files(settings) == []
    response = client.post(photo_url(agency_b), {"token": token_b, "photo": png()})  # where it belongs: fine
    assert response.status_code == 201
    [name] = citizen_messages(agency_b, theirs)[0].payload["photos"]
    assert name.startswith(f"messaging/{agency_b.pk}/")


def test_with_an_agent_the_photo_waits_for_them_and_the_assistant_stays_silent(
    client, agency_a, catalogue_a, chat_a, staff_a
):
    conversation, token = chat_a
    with agency_context(agency_a):
        services.conversation_claim(agency=agency_a, actor=staff_a["supervisor"], conversation_id=conversation.pk)
    assert client.post(photo_url(agency_a), {"token": token, "photo": png()}).status_code == 201
    last = citizen_messages(agency_a, conversation)[-1]
    assert last.role == Message.Role.CITIZEN and last.payload["photos"]  # no bot reply after it


def test_photos_are_rate_limited(client, agency_a, catalogue_a, chat_a, monkeypatch):
    from chat.api import PhotoThrottle

    # In settings: REST_FRAMEWORK's "chat_photo" rate.
    monkeypatch.setattr(PhotoThrottle, "rate", "2/minute", raising=False)
    _conversation, token = chat_a
    codes = [client.post(photo_url(agency_a), {"token": token, "photo": png()}).status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_the_web_chats_photo_question_says_to_attach_one_and_keeps_skip(agency_a, catalogue_a, chat_a):
    conversation, _token = chat_a
    with agency_context(agency_a):
        up_to_description(agency_a, conversation)
        reply = say(agency_a, conversation, "A deep hole in the right lane")
    assert "Attach a photo with the camera button" in reply.text and "report page" not in reply.text
    assert "report:skip" in [action["value"] for action in reply.payload["actions"]]


def test_a_photo_attached_at_the_photo_question_is_filed_with_the_report(client, agency_a, catalogue_a, chat_a):
    conversation, token = chat_a
    with agency_context(agency_a):
        up_to_description(agency_a, conversation)
        say(agency_a, conversation, "A deep hole in the right lane")
    response = client.post(photo_url(agency_a), {"token": token, "photo": png()})
    assert response.status_code == 201
    reply = citizen_messages(agency_a, conversation)[-1]
    assert reply.text.startswith("Photo received.") and "How big" in reply.text
    with agency_context(agency_a):
        say(agency_a, conversation, "Large", "report:val:large")
        reply = say(agency_a, conversation, "Send", "report:confirm")
        filed = ServiceRequest.objects.for_agency(agency_a).get()
        assert filed.reference in reply.text
        [photo] = RequestPhoto.objects.for_agency(agency_a).filter(request=filed)
        assert (photo.format, photo.width, photo.height) == ("PNG", 64, 48)


def test_a_photo_sent_at_another_question_is_kept_and_the_photo_question_is_not_asked(
    client, agency_a, catalogue_a, chat_a
):
    conversation, token = chat_a
    with agency_context(agency_a):
        say(agency_a, conversation, "report a problem")
        say(agency_a, conversation, "Pothole", "report:val:pothole")
    assert client.post(photo_url(agency_a), {"token": token, "photo": png()}).status_code == 201
    reply = citizen_messages(agency_a, conversation)[-1]
    assert reply.text.startswith("Photo received.") and "Where is it?" in reply.text  # the question asked again
    with agency_context(agency_a), translation.override("en"):
        say(agency_a, conversation, "39.7817, -89.6436")
        reply = say(agency_a, conversation, "A deep hole")
        assert "How big" in reply.text  # the photo question is skipped: it came already
        say(agency_a, conversation, "Large", "report:val:large")
        say(agency_a, conversation, "Send", "report:confirm")
        filed = ServiceRequest.objects.for_agency(agency_a).get()
        assert RequestPhoto.objects.for_agency(agency_a).filter(request=filed).count() == 1


HINT = "Attach a photo with the camera button next to the message box."
WIDGET_WORDS = [
    "Attach a photo",
    "Your photo",
    "Photo sent",
    "Sending the photo…",
    "The photo could not be sent. Try again.",
]


@pytest.mark.parametrize("language", ["es", "zh-hans", "de", "fr", "ko", "vi", "ar"])
def test_the_attach_hint_and_the_widgets_words_are_in_every_chat_language(client, language):
    with translation.override(language):
        assert translation.gettext(HINT) != HINT
        assert translation.gettext("Choose a photo to send.") != "Choose a photo to send."
    catalog = client.get(f"/jsi18n/{language}.json").json()["catalog"]  # what the widget fetches
    assert all(catalog.get(word) for word in WIDGET_WORDS), [word for word in WIDGET_WORDS if not catalog.get(word)]


def test_a_spanish_web_chat_asks_for_the_photo_in_spanish(agency_a, catalogue_a):
    agency_a.languages = ["en", "es"]
    agency_a.save(update_fields=["languages"])
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="web", language="es")
        say(agency_a, conversation, "reportar un bache")
        say(agency_a, conversation, "Pothole", "report:val:pothole")
        say(agency_a, conversation, "39.7817, -89.6436")
        reply = say(agency_a, conversation, "Un bache profundo")
    assert "Adjunte una foto con el botón de la cámara" in reply.text


def test_through_the_portals_front_door_the_photo_question_points_to_the_web_report_page(agency_a, catalogue_a):
    from chat.engine.engine import bot_turn
    from frontdoor import relay

    with agency_context(agency_a):
        conversation, token = services.conversation_start(agency=agency_a, channel="web")
    bound = relay.Bound(agency=agency_a, conversation_id=conversation.pk, token=token, offset=0)

    def relayed(text, action=""):
        received = relay.message_receive(bound, text, "", action, shown_by=None)
        with agency_context(agency_a):
            return bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)

    relayed("report a problem")
    relayed("Pothole", "report:val:pothole")
    relayed("39.7817, -89.6436")
    reply = relayed("A deep hole")
    assert "Photos cannot be sent in this chat" in reply.text and "/a/alpha/report/" in reply.text  # no button there
    assert "camera button" not in reply.text
