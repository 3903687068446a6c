"""SMS through Twilio: signatures both ways with Twilio's own RequestValidator, the proxy's scheme,
TwiML acknowledgements, numbered options, MMS photos in a report, delivery statuses, STOP."""

from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from chat.models import Conversation, Message
from messaging.models import ChannelConnection, ChannelIdentity, InboundEvent, OutboundMessage
from requests_app.models import RequestPhoto, ServiceRequest
from tenants.context import agency_context
from tests.messaging.conftest import SMS_NUMBER_A, SMS_TOKEN_A, SMS_TOKEN_B, deliver, run_events
from tests.requests_app.conftest import LAT, LONG, make_catalogue

pytestmark = pytest.mark.django_db
HOOK = "http://testserver/hooks/alpha/sms/"
PHONE = "+15557654321"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def post(client, params, signature, path="/hooks/alpha/sms/", **extra):
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature is not None else {}
    body = urlencode(params)  # as Twilio posts: application/x-www-form-urlencoded
    return client.post(path, data=body, content_type="application/x-www-form-urlencoded", **headers, **extra)


def text(client, twilio, agency, connection, body, *, photos=0, sender=PHONE):
    params = twilio.text(sender, body, photos=photos)
    response = post(client, params, twilio.sign(HOOK, params))
    assert response.status_code == 200
    run_events(agency)
    deliver(agency, connection)
    return params


def test_our_fake_signs_as_twilio_and_twilio_validates_it(twilio):
    params = twilio.text(PHONE, "Hi", photos=1)
    assert RequestValidator(SMS_TOKEN_A).validate(HOOK, params, twilio.sign(HOOK, params))
    assert not RequestValidator(SMS_TOKEN_B).validate(HOOK, params, twilio.sign(HOOK, params))


def test_we_accept_twilios_signature_and_answer_twiml(client, twilio, sms_a, agency_a):
    params = twilio.text(PHONE, "Hi")
    response = post(client, params, RequestValidator(SMS_TOKEN_A).compute_signature(HOOK, params))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.decode().endswith("<Response></Response>")
    assert InboundEvent.objects.for_agency(agency_a).count() == 1


def test_missing_or_wrong_signature_and_another_agencys_token(client, twilio, sms_a, sms_b, agency_a):
    params = twilio.text(PHONE, "Hi")
    assert post(client, params, None).status_code == 401
    assert post(client, params, "bm9wZQ==").status_code == 403
    tampered = {**params, "Body": "Hi there"}
    assert post(client, tampered, twilio.sign(HOOK, params)).status_code == 403
    b_signed = RequestValidator(SMS_TOKEN_B).compute_signature(HOOK, params)
    assert post(client, params, b_signed).status_code == 403  # B's token never opens A's hook
    assert InboundEvent.objects.unscoped().count() == 0  # unscoped: counting every agency's rows
    assert ChannelConnection.objects.for_agency(agency_a).get(kind="sms").rejected_signatures == 4


def test_scheme_behind_a_trusted_proxy(client, twilio, sms_a, settings):
    params = twilio.text(PHONE, "Hi")
    signed = RequestValidator(SMS_TOKEN_A).compute_signature("https://testserver/hooks/alpha/sms/", params)
    # Without a trusted proxy the header is the client's word: not believed.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    assert post(client, params, signed, HTTP_X_FORWARDED_PROTO="https").status_code == 403
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert post(client, params, signed, HTTP_X_FORWARDED_PROTO="https").status_code == 200
    # Two hops: the client's own claim comes first and is not the trusted proxy's.
    params = twilio.text(PHONE, "Hi again")
    signed = RequestValidator(SMS_TOKEN_A).compute_signature("https://testserver/hooks/alpha/sms/", params)
    assert post(client, params, signed, HTTP_X_FORWARDED_PROTO="https, http").status_code == 403


def test_a_retried_message_is_one_turn(client, twilio, sms_a, agency_a):
    params = twilio.text(PHONE, "Hi")
    for _attempt in range(3):
        assert post(client, params, twilio.sign(HOOK, params)).status_code == 200
    assert run_events(agency_a) == ["processed"]
    assert Message.objects.for_agency(agency_a).filter(role="citizen").count() == 1


def test_hi_gets_numbered_options_and_a_number_picks_one(client, twilio, sms_a, agency_a):
    text(client, twilio, agency_a, sms_a, "Hi")
    [greeting] = twilio.sent(PHONE)
    assert greeting["From"] == SMS_NUMBER_A
    assert "\n1. " in greeting["Body"] and "Reply 1, 2" in greeting["Body"]
    bot = Message.objects.for_agency(agency_a).get(role="bot")
    first = bot.payload["actions"][0]
    text(client, twilio, agency_a, sms_a, "1")
    pressed = Message.objects.for_agency(agency_a).filter(role="citizen").order_by("seq").last()
    assert pressed.text == first["label"] and pressed.payload["action"] == first["value"]


def test_spanish_prompt(client, twilio, sms_a, agency_a):
    text(client, twilio, agency_a, sms_a, "Hola")
    body = twilio.sent(PHONE)[-1]["Body"]
    assert "Responda 1" in body


def test_report_with_mms_photo_and_status_news_by_sms(client, twilio, sms_a, agency_a):
    make_catalogue(agency_a)
    text(client, twilio, agency_a, sms_a, "I want to report a pothole")
    text(client, twilio, agency_a, sms_a, f"{LAT}, {LONG}")
    text(client, twilio, agency_a, sms_a, "A deep hole", photos=1)  # the caption answers, the photo is kept
    assert "How big" in twilio.sent(PHONE)[-1]["Body"]
    text(client, twilio, agency_a, sms_a, "2")  # Large
    assert "Send it?" in twilio.sent(PHONE)[-1]["Body"]
    text(client, twilio, agency_a, sms_a, "yes")
    assert "has been filed" in twilio.sent(PHONE)[-1]["Body"]
    with agency_context(agency_a):
        request = ServiceRequest.objects.for_agency(agency_a).get()
        assert RequestPhoto.objects.for_agency(agency_a).filter(request=request).count() == 1
        from requests_app.services import notifications_deliver, service_request_transition

        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="Crew booked"
        )
        notifications_deliver(agency=agency_a, request_id=request.pk)
    deliver(agency_a, sms_a)
    news = twilio.sent(PHONE)[-1]["Body"]
    assert request.reference in news and "Crew booked" in news


def test_delivery_statuses_move_forward(client, twilio, sms_a, agency_a):
    text(client, twilio, agency_a, sms_a, "Hi")
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert row.state == "sent" and row.provider_message_id.startswith("SM")
    callback = twilio.sent(PHONE)[0]["StatusCallback"]
    assert callback == "http://127.0.0.1:8000/hooks/alpha/sms/" or callback.endswith("/hooks/alpha/sms/")
    base = {"AccountSid": "ACalpha0001", "MessageSid": row.provider_message_id, "To": PHONE, "From": SMS_NUMBER_A}
    for status in ("delivered", "sent"):  # out of order: "sent" after "delivered" does not go back
        params = {**base, "MessageStatus": status}
        assert post(client, params, twilio.sign(HOOK, params)).status_code == 200
    run_events(agency_a)
    assert OutboundMessage.objects.for_agency(agency_a).get().state == "delivered"
    # A late failure for a delivered message changes nothing either (the first final word stays).
    params = {**base, "MessageStatus": "undelivered", "ErrorCode": "30006", "ErrorMessage": "Landline"}
    post(client, params, twilio.sign(HOOK, params))
    run_events(agency_a)
    assert OutboundMessage.objects.for_agency(agency_a).get().state == "delivered"
    # Another message, not delivered to a landline: failed for good, its code kept, on the connection's errors.
    OutboundMessage.objects.for_agency(agency_a).update(state="sent")
    params = {**params, "MessageStatus": "failed"}  # (the same sid's `undelivered` again is a provider's repeat)
    post(client, params, twilio.sign(HOOK, params))
    run_events(agency_a)
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert (row.state, row.error_code) == ("failed", "30006") and "30006" in row.error
    sms_a.refresh_from_db()
    assert sms_a.last_errors[0]["recipient"] == PHONE


def test_stop_on_sms_also_stops_follower_texts(client, twilio, sms_a, agency_a):
    text(client, twilio, agency_a, sms_a, "Hi")
    text(client, twilio, agency_a, sms_a, "STOP")
    assert ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    sent_before = len(twilio.sent(PHONE))
    text(client, twilio, agency_a, sms_a, "Hi again")
    assert len(twilio.sent(PHONE)) == sent_before
    # A report filed on the web with this phone number: its news is not texted either.
    from requests_app.models import Notification

    make_catalogue(agency_a)
    with agency_context(agency_a):
        from requests_app.services import Reporter, notifications_deliver, service_request_transition
        from tests.requests_app.test_routing import file

        request = file(agency_a, reporter=Reporter(phone=PHONE))
        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="On it"
        )
        assert Notification.objects.for_agency(agency_a).filter(channel="sms", recipient=PHONE).exists()
        notifications_deliver(agency=agency_a, request_id=request.pk)
    assert len(twilio.sent(PHONE)) == sent_before


def test_conversation_is_an_sms_conversation(client, twilio, sms_a, agency_a):
    text(client, twilio, agency_a, sms_a, "Hi")
    assert Conversation.objects.for_agency(agency_a).get().channel == "sms"


def test_a_form_question_lists_its_options_once_and_links_are_absolute(client, twilio, sms_a, agency_a, settings):
    settings.SITE_URL = "https://portal.example"
    make_catalogue(agency_a)
    text(client, twilio, agency_a, sms_a, "I want to report a problem")
    body = twilio.sent(PHONE)[-1]["Body"]
    assert body.count("2. Pothole") == 1 and "Reply 1" not in body  # listed once, by the form
    text(client, twilio, agency_a, sms_a, "2")  # the form's own number: Pothole
    body = twilio.sent(PHONE)[-1]["Body"]
    # A text message cannot share a location: the address is asked for, not coordinates or a shared pin.
    assert "Where is it?" in body and "Type the street address" in body
    assert "share" not in body and "coordinates" not in body
    text(client, twilio, agency_a, sms_a, f"{LAT}, {LONG}")
    text(client, twilio, agency_a, sms_a, "A hole")
    text(client, twilio, agency_a, sms_a, "skip")
    text(client, twilio, agency_a, sms_a, "Large")
    text(client, twilio, agency_a, sms_a, "yes")
    assert "Track it here: https://portal.example/a/alpha/track/?reference=" in twilio.sent(PHONE)[-1]["Body"]
