"""The webhook: 404 for what is not connected, 401/403 (counted, nothing stored) for bad secrets,
413 before reading a huge body, one stored event per provider id, 200 for junk (ignored once)."""

import json

import pytest

from messaging.models import ChannelConnection, InboundEvent
from tests.messaging.conftest import SECRET_A, SECRET_B, run_events

pytestmark = pytest.mark.django_db


def post(client, slug, kind, body, secret=None, **headers):
    if secret is not None:
        headers["HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"] = secret
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(f"/hooks/{slug}/{kind}/", data=data, content_type="application/json", **headers)


def update(update_id=1000, text="Hi", chat_id=42):
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1764900000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ana", "language_code": "en"},
            "text": text,
        },
    }


def events():
    return InboundEvent.objects.unscoped().count()  # unscoped: a test counting every agency's rows


def test_unknown_agency_kind_or_unconnected_channel_is_404(client, telegram_a, agency_b):
    assert post(client, "nowhere", "telegram", update(), SECRET_A).status_code == 404
    assert post(client, "alpha", "fax", update(), SECRET_A).status_code == 404
    assert post(client, "beta", "telegram", update(), SECRET_A).status_code == 404  # B has no Telegram
    assert post(client, "alpha", "sms", update(), SECRET_A).status_code == 404  # A has no SMS
    assert events() == 0


def test_missing_secret_is_401_and_wrong_secret_403_counted_and_nothing_stored(client, telegram_a, agency_a):
    assert post(client, "alpha", "telegram", update()).status_code == 401
    assert post(client, "alpha", "telegram", update(), "guess").status_code == 403
    assert events() == 0
    connection = ChannelConnection.objects.for_agency(agency_a).get()
    assert connection.rejected_signatures == 2
    assert connection.last_rejected_at is not None


def test_agency_a_secret_never_verifies_agency_b_hook(client, telegram_a, telegram_b, agency_b):
    assert post(client, "beta", "telegram", update(), SECRET_A).status_code == 403
    assert post(client, "alpha", "telegram", update(), SECRET_B).status_code == 403
    assert events() == 0
    assert post(client, "beta", "telegram", update(), SECRET_B).status_code == 200
    assert InboundEvent.objects.for_agency(agency_b).count() == 1


def test_a_retried_update_is_stored_once(client, telegram_a, agency_a):
    for _attempt in range(3):
        assert post(client, "alpha", "telegram", update(7), SECRET_A).status_code == 200
    assert InboundEvent.objects.for_agency(agency_a).count() == 1


def test_huge_body_refused_before_parsing(client, telegram_a):
    body = json.dumps({"update_id": 1, "junk": "x" * (300 * 1024)})
    assert post(client, "alpha", "telegram", body, SECRET_A).status_code == 413
    assert events() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        json.dumps({"update_id": 5, "edited_message": {"text": "x"}}),
        json.dumps({"update_id": 6, "message_reaction": {"chat": {"id": 1}}}),
        json.dumps(
            {
                "update_id": 8,
                "message": {
                    "message_id": 2,
                    "date": 1,
                    "chat": {"id": 42, "type": "private"},
                    "sticker": {"file_id": "x", "width": 1, "height": 1},
                },
            }
        ),
        json.dumps(update(9, text="\u0000")),
    ],
)
def test_junk_is_acknowledged_and_ignored(client, telegram_a, agency_a, body):
    assert post(client, "alpha", "telegram", body, SECRET_A).status_code == 200
    assert run_events(agency_a) == ["ignored"]
    from chat.models import Conversation

    assert not Conversation.objects.for_agency(agency_a).exists()


def test_get_on_telegram_hook_is_405(client, telegram_a):
    assert client.get("/hooks/alpha/telegram/").status_code == 405
