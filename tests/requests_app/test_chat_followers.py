"""Followers in a chat conversation hear of progress there: a system line with the news, posted when
the outbox is delivered, replayed on reconnect like any message. Never into another agency's chat."""

import pytest

from chat.models import Message
from chat.services import conversation_start
from requests_app.models import Follower, Notification
from requests_app.services import Reporter, notifications_deliver, service_request_transition
from tenants.context import agency_context
from tests.requests_app.test_routing import file


def _conversation(agency):
    with agency_context(agency):
        conversation, _token = conversation_start(agency=agency, channel="web")
    return conversation


def test_a_chat_follower_hears_of_progress_in_its_conversation(catalogue_a, agency_a):
    conversation = _conversation(agency_a)
    request = file(agency_a, reporter=Reporter(chat_conversation=str(conversation.pk)))
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a,
            actor=None,
            request=request,
            to_status="acknowledged",
            public_note="Crew booked for Tuesday",
        )
        row = Notification.objects.get(request=request)
        assert row.channel == "chat" and row.recipient == str(conversation.pk)
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 0  # once
        lines = list(Message.objects.filter(conversation=conversation, role=Message.Role.SYSTEM))
    assert len(lines) == 1
    text = lines[0].text
    assert request.reference in text and "Crew booked for Tuesday" in text and "/a/alpha/track/?reference=" in text


def test_no_chat_line_without_a_public_note(catalogue_a, agency_a):
    conversation = _conversation(agency_a)
    request = file(agency_a, reporter=Reporter(chat_conversation=str(conversation.pk)))
    with agency_context(agency_a):
        service_request_transition(agency=agency_a, actor=None, request=request, to_status="acknowledged")
        notifications_deliver(agency=agency_a)
        assert not Message.objects.filter(conversation=conversation).exists()


def test_a_follower_row_naming_another_agencys_conversation_posts_nothing(catalogue_a, agency_a, agency_b):
    theirs = _conversation(agency_b)
    request = file(agency_a, reporter=Reporter(email=""))
    with agency_context(agency_a):
        Follower.objects.create(agency=agency_a, request=request, chat_conversation=str(theirs.pk))
        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="On our list"
        )
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1  # done: nowhere to post
    with agency_context(agency_b):
        assert not Message.objects.for_agency(agency_b).filter(conversation=theirs).exists()


def test_a_garbled_conversation_id_posts_nothing_and_is_not_retried_forever(catalogue_a, agency_a):
    request = file(agency_a, reporter=Reporter(email=""))
    with agency_context(agency_a):
        Follower.objects.create(agency=agency_a, request=request, chat_conversation="not-a-uuid")
        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="On our list"
        )
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1
        assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_staff_changes_work_outside_a_test_transaction(catalogue_a, agency_a, staff_a, client_for):
    """Through the staff page with real commits (most tests run inside one transaction, which hides
    a service that locks rows without opening its own)."""
    conversation = _conversation(agency_a)
    request = file(agency_a, reporter=Reporter(chat_conversation=str(conversation.pk)))
    client = client_for(staff_a["agent"])
    response = client.post(
        f"/a/alpha/staff/requests/{request.reference}/status/",
        {"to_status": "acknowledged", "public_note": "Crew booked"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/a/alpha/staff/requests/{request.reference}/note/", {"public_note": "Crew on site", "internal_note": ""}
    )
    assert response.status_code == 302
    with agency_context(agency_a):
        request.refresh_from_db()
        assert request.status == "acknowledged"
        assert Notification.objects.filter(request=request, channel="chat").exists()


@pytest.fixture
def sms_gateway(settings):
    from tests.sms_server import SMSGateway

    gateway = SMSGateway()
    gateway.configure(settings)
    yield gateway
    gateway.stop()


def test_a_phone_only_follower_is_texted_through_the_gateway(catalogue_a, agency_a, sms_gateway):
    request = file(agency_a, reporter=Reporter(email="", phone="+1 217 555 0123"))
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="Crew booked"
        )
        row = Notification.objects.get(request=request)
        assert row.channel == "sms"
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 0  # once
    [message] = sms_gateway.messages
    assert message["From"] == "+15550100" and message["To"] == row.recipient
    assert request.reference in message["Body"] and "Crew booked" in message["Body"]


def test_a_gateway_that_is_down_keeps_the_text_pending(catalogue_a, agency_a, sms_gateway):
    request = file(agency_a, reporter=Reporter(email="", phone="+1 217 555 0123"))
    sms_gateway.fail = True
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="Crew booked"
        )
        with pytest.raises(Exception, match="503"):
            notifications_deliver(agency=agency_a, request_id=request.pk)
        assert Notification.objects.filter(sent_at__isnull=True, attempts=1).count() == 1
        sms_gateway.fail = False
        assert notifications_deliver(agency=agency_a, request_id=request.pk) == 1
    assert len(sms_gateway.messages) == 1


def test_without_a_gateway_phone_followers_are_not_texted(catalogue_a, agency_a, settings):
    settings.SMS_BASE_URL = ""
    request = file(agency_a, reporter=Reporter(email="", phone="+1 217 555 0123"))
    with agency_context(agency_a):
        service_request_transition(
            agency=agency_a, actor=None, request=request, to_status="acknowledged", public_note="Crew booked"
        )
        assert not Notification.objects.filter(request=request).exists()
