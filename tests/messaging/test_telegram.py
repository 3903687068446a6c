"""Telegram end to end against the local fake Bot API: "Hi" gets the greeting with inline buttons, a
pressed button is a quick reply, STOP stops everything, an agent's reply goes out on Telegram, 429s
are honoured; python-telegram-bot parses our fixtures and talks to the fake server."""

import asyncio
import json

import pytest
from telegram import Bot, Update

from chat.models import Conversation, Message
from messaging.models import ChannelIdentity, InboundEvent, OutboundMessage
from tenants.context import agency_context
from tests.messaging.conftest import BOT_TOKEN_A, SECRET_A, deliver, run_events

pytestmark = pytest.mark.django_db


def say(client, telegram, update, secret=SECRET_A, slug="alpha"):
    response = client.post(
        f"/hooks/{slug}/telegram/",
        data=json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )
    assert response.status_code == 200
    return response


def test_fixtures_parse_with_python_telegram_bot(telegram):
    bot = Bot(BOT_TOKEN_A)
    for update in (
        telegram.message_update(42, text="Hi"),
        telegram.photo_update(42, caption="pothole"),
        telegram.location_update(42, 41.88, -87.63),
        telegram.button_update(42, "report"),
    ):
        parsed = Update.de_json(update, bot)
        assert parsed.update_id == update["update_id"]
        assert parsed.effective_chat.id == 42
    assert Update.de_json(telegram.photo_update(42), bot).message.photo[-1].width == 800
    assert Update.de_json(telegram.location_update(42, 41.88, -87.63), bot).message.location.latitude == 41.88
    assert Update.de_json(telegram.button_update(42, "report"), bot).callback_query.data == "report"


def test_python_telegram_bot_talks_to_the_fake_server(telegram):
    async def talk():
        bot = Bot(BOT_TOKEN_A, base_url=f"{telegram.url}/bot", base_file_url=f"{telegram.url}/file/bot")
        async with bot:
            me = await bot.get_me()
            sent = await bot.send_message(chat_id=42, text="hello", reply_markup=None)
            assert await bot.set_webhook("https://example.test/hooks/alpha/telegram/", secret_token="s")
            update = telegram.photo_update(42)
            file_id = update["message"]["photo"][-1]["file_id"]
            tg_file = await bot.get_file(file_id)
            data = await tg_file.download_as_bytearray()
            return me, sent, bytes(data)

    me, sent, data = asyncio.run(talk())
    assert me.is_bot and sent.text == "hello" and sent.chat.id == 42
    assert data.startswith(b"\xff\xd8")  # the JPEG the person sent
    assert telegram.webhook == {"url": "https://example.test/hooks/alpha/telegram/", "secret_token": "s"}


def test_hi_gets_the_greeting_with_inline_buttons(client, telegram, telegram_a, agency_a):
    say(client, telegram, telegram.message_update(42, text="Hi"))
    assert run_events(agency_a) == ["processed"]
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert conversation.channel == "telegram"
    assert list(Message.objects.for_agency(agency_a).order_by("seq").values_list("role", flat=True)) == [
        "citizen",
        "bot",
    ]
    deliver(agency_a, telegram_a)
    sent = telegram.sent(42)
    assert len(sent) == 1
    assert sent[0]["text"] == Message.objects.for_agency(agency_a).get(role="bot").text
    buttons = [row[0] for row in sent[0]["reply_markup"]["inline_keyboard"]]
    assert buttons and all(button["text"] and button["callback_data"] for button in buttons)
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert row.state == "sent" and row.provider_message_id


def test_a_pressed_button_is_the_quick_reply(client, telegram, telegram_a, agency_a):
    say(client, telegram, telegram.message_update(42, text="Hi"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    data = telegram.sent(42)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    say(client, telegram, telegram.button_update(42, data))
    run_events(agency_a)
    pressed = Message.objects.for_agency(agency_a).filter(role="citizen").order_by("seq").last()
    assert pressed.payload["action"] == data
    assert Message.objects.for_agency(agency_a).filter(role="bot").count() == 2


def test_the_same_update_twice_is_one_turn_even_if_reprocessed(client, telegram, telegram_a, agency_a):
    update = telegram.message_update(42, text="Hi")
    say(client, telegram, update)
    say(client, telegram, update)
    assert run_events(agency_a) == ["processed"]
    # A worker that died after its turn committed but before it was acknowledged runs the task again.
    event = InboundEvent.objects.for_agency(agency_a).get()
    InboundEvent.objects.for_agency(agency_a).filter(pk=event.pk).update(status="received")
    run_events(agency_a)
    assert Message.objects.for_agency(agency_a).count() == 2
    assert OutboundMessage.objects.for_agency(agency_a).count() == 1


def test_stop_stops_everything_and_is_recorded(client, telegram, telegram_a, agency_a):
    say(client, telegram, telegram.message_update(42, text="Hi"))
    run_events(agency_a)
    say(client, telegram, telegram.message_update(42, text="STOP"))
    run_events(agency_a)
    identity = ChannelIdentity.objects.for_agency(agency_a).get()
    assert identity.opted_out and identity.opted_out_at
    # The greeting was still waiting: it is not sent now, nor anything after it.
    say(client, telegram, telegram.message_update(42, text="how do I report a pothole?"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    # Only the STOP's confirmation goes out (tests/messaging/test_subscriptions.py).
    assert [body["text"] for body in telegram.sent(42)] == [
        "You will get no more messages from Alpha City. Send START to receive them again."
    ]
    states = OutboundMessage.objects.for_agency(agency_a).exclude(purpose="optout").values_list("state")
    assert {state for (state,) in states} == {"suppressed"}
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(object_pk=str(identity.pk), changes__opted_out__isnull=False).exists()


@pytest.mark.parametrize("word", ["UNSUBSCRIBE", "退订", "baja", "Stop"])
def test_every_stop_word(client, telegram, telegram_a, agency_a, word):
    say(client, telegram, telegram.message_update(43, text=word))
    run_events(agency_a)
    assert ChannelIdentity.objects.for_agency(agency_a).get().opted_out


def test_start_subscribes_again(client, telegram, telegram_a, agency_a):
    say(client, telegram, telegram.message_update(42, text="Hi"))
    say(client, telegram, telegram.message_update(42, text="stop"))
    say(client, telegram, telegram.message_update(42, text="START"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    assert not ChannelIdentity.objects.for_agency(agency_a).get().opted_out
    assert [body["text"] for body in telegram.sent(42)] == [
        "You will get no more messages from Alpha City. Send START to receive them again.",
        "You will get messages from Alpha City again. Send STOP to end them.",
    ]


def test_an_agents_reply_goes_out_on_telegram(client, telegram, telegram_a, agency_a, staff_a):
    from chat.services import conversation_claim, message_post_agent

    say(client, telegram, telegram.message_update(42, text="I want to talk to a person"))
    run_events(agency_a)
    conversation = Conversation.objects.for_agency(agency_a).get()
    assert conversation.state == "queued"  # in the agents' inbox, like a web conversation
    agent = staff_a["agent"]
    with agency_context(agency_a):  # as the inbox socket sets it
        conversation_claim(agency=agency_a, actor=agent, conversation_id=conversation.pk)
        message_post_agent(agency=agency_a, actor=agent, conversation_id=conversation.pk, text="Hello, I am Dana.")
    say(client, telegram, telegram.message_update(42, text="thanks"))
    run_events(agency_a)
    deliver(agency_a, telegram_a)
    texts = [body["text"] for body in telegram.sent(42)]
    assert texts[-1] == "Hello, I am Dana."
    assert any("joined the conversation" in text for text in texts)
    # While the agent holds the conversation the bot stays silent.
    assert Message.objects.for_agency(agency_a).filter(role="bot").count() == 1


def test_429_retry_after_is_honoured(client, telegram, telegram_a, agency_a):
    say(client, telegram, telegram.message_update(42, text="Hi"))
    run_events(agency_a)
    telegram.fail_next(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 7",
            "parameters": {"retry_after": 7},
        },
    )
    wait = deliver(agency_a, telegram_a)
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert row.state == "pending" and row.attempts == 1
    assert 6 <= (row.next_attempt_at - row.created_at).total_seconds() <= 9
    assert wait is not None and 5 < wait <= 7
    OutboundMessage.objects.for_agency(agency_a).update(next_attempt_at=row.created_at)
    deliver(agency_a, telegram_a)
    assert OutboundMessage.objects.for_agency(agency_a).get().state == "sent"


def test_a_blocked_bot_is_a_permanent_failure_shown_on_the_connection(client, telegram, telegram_a, agency_a):
    say(client, telegram, telegram.message_update(42, text="Hi"))
    run_events(agency_a)
    telegram.fail_next(403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"})
    deliver(agency_a, telegram_a)
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert row.state == "failed" and "blocked" in row.error
    telegram_a.refresh_from_db()
    assert telegram_a.last_errors[0]["code"] == "blocked"  # 403 "bot was blocked by the user"
    assert "blocked" in telegram_a.last_errors[0]["message"]
