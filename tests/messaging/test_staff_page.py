"""The admins' channel page: connect (Telegram's setWebhook), secrets never shown again and rotatable,
a test message, the refused-webhook counter and delivery errors; admins of this agency only. And the
inbox: B's agent never sees A's channel conversations."""

import json

import pytest

from chat.models import Conversation
from messaging.models import ChannelConnection
from tenants.context import agency_context
from tests.messaging.conftest import BOT_TOKEN_A, SECRET_A, run_events

pytestmark = pytest.mark.django_db
PAGE = "/a/alpha/staff/channels/"


def test_admin_connects_telegram_and_never_sees_the_secret_again(client_for, staff_a, agency_a, telegram):
    client = client_for(staff_a["admin"])
    response = client.post(
        PAGE,
        {
            "action": "connect",
            "kind": "telegram",
            "bot_token": BOT_TOKEN_A,
            "secret_token": SECRET_A,
            "api_base": telegram.url,
        },
    )
    assert response.status_code == 302
    assert telegram.webhook["url"].endswith("/hooks/alpha/telegram/") and telegram.webhook["secret_token"] == SECRET_A
    page = client.get(PAGE).content.decode()
    assert "connected" in page and "/hooks/alpha/telegram/" in page
    assert BOT_TOKEN_A not in page and SECRET_A not in page
    assert "stored; empty keeps it" in page
    # Saving again with the secrets left empty keeps them; a new one rotates it.
    client.post(PAGE, {"action": "connect", "kind": "telegram", "bot_token": "", "secret_token": "rotated-secret"})
    connection = ChannelConnection.objects.for_agency(agency_a).get()
    assert connection.secret("bot_token") == BOT_TOKEN_A and connection.secret("secret_token") == "rotated-secret"
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute("SELECT secrets FROM messaging_channelconnection")
        stored = cursor.fetchone()[0]
    assert BOT_TOKEN_A not in stored and "rotated-secret" not in stored  # encrypted at rest
    from auditlog.models import LogEntry

    rotations = LogEntry.objects.filter(object_pk=str(connection.pk), changes__has_key="secrets")
    assert rotations.exists() and "rotated-secret" not in json.dumps(list(rotations.values_list("changes", flat=True)))


def test_send_test_message_and_errors_shown(client_for, staff_a, agency_a, telegram, telegram_a):
    client = client_for(staff_a["admin"])
    client.post(PAGE, {"action": "test", "kind": "telegram", "recipient": "42", "text": "Testing"})
    assert [body["text"] for body in telegram.sent(42)] == ["Testing"]
    telegram.fail_next(400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
    response = client.post(PAGE, {"action": "test", "kind": "telegram", "recipient": "999", "text": "x"}, follow=True)
    page = response.content.decode()
    assert "chat not found" in page
    client.post("/hooks/alpha/telegram/", data="{}", content_type="application/json")  # no secret: refused
    page = client.get(PAGE).content.decode()
    assert "1 webhook refused" in page and "chat not found" in page
    shown = page.split('class="delivery-errors"', 1)[1].split("</ul>", 1)[0]
    assert "+00:00</time>" not in shown and 'datetime="20' in shown  # the time read for people, not raw ISO text


@pytest.mark.parametrize("role", ["supervisor", "agent", "caseworker", "analyst"])
def test_only_admins(client_for, staff_a, role, telegram_a):
    assert client_for(staff_a[role]).get(PAGE).status_code == 404


def test_another_agencys_admin_gets_404_and_changes_nothing(client_for, staff_b, agency_a, telegram, telegram_a):
    client = client_for(staff_b["admin"])
    assert client.get(PAGE).status_code == 404
    response = client.post(PAGE, {"action": "connect", "kind": "telegram", "bot_token": "x", "secret_token": "evil"})
    assert response.status_code == 404
    assert ChannelConnection.objects.for_agency(agency_a).get().secret("secret_token") == SECRET_A


def test_b_agent_never_sees_a_channel_conversation(client, telegram, telegram_a, agency_a, agency_b, staff_b):
    from chat.selectors import conversation_for_staff, inbox_conversations

    update = telegram.message_update(42, text="I want to talk to a person")
    client.post(
        "/hooks/alpha/telegram/",
        data=json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET_A,
    )
    run_events(agency_a)
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert conversation.state == "queued"
    with agency_context(agency_b):
        for role in ("agent", "supervisor", "admin"):
            assert inbox_conversations(agency=agency_b, user=staff_b[role]) == []
            assert conversation_for_staff(agency=agency_b, user=staff_b[role], conversation_id=conversation.pk) is None
