"""Telegram's refusals, each as the local Bot API answers it and as python-telegram-bot reads the same answer:
429 waits `retry_after`; 403 "bot was blocked by the user" / "user is deactivated" is never retried and the person
stops receiving, as after a STOP, until they write again; 400 "chat not found" is not retried; 400 with
`migrate_to_chat_id` is followed; 5xx and network errors are retried with backoff. Each shows staff its reason in
plain words on the outbox page, in the staff member's language; another agency sees none of it."""

import asyncio
import socket

import pytest
from django.utils import timezone
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from chat.models import Message
from messaging.models import ChannelIdentity, OutboundMessage
from messaging.providers import get_provider
from messaging.providers.base import PermanentError, RecipientGone, RecipientMoved, TransientError
from tenants.context import agency_context
from tests.messaging.conftest import BOT_TOKEN_A, deliver, run_events
from tests.messaging.test_telegram import say

pytestmark = pytest.mark.django_db
OUTBOX_A, OUTBOX_B = "/a/alpha/staff/outbox/", "/a/beta/staff/outbox/"


def refuse(telegram, how: str, chat_id: int = 42) -> None:
    """Make the local Bot API refuse the next message to `chat_id` as `how` (its control actions)."""
    actions = {
        "flood": ("flood", {"retry_after": 7}),
        "blocked": ("block", {"chat_id": chat_id}),
        "deactivated": ("deactivate", {"chat_id": chat_id}),
        "chat_not_found": ("forget", {"chat_id": chat_id}),
        "migrated": ("migrate", {"chat_id": chat_id, "to": -1001234567890}),
        "down": ("down", {"status": 502}),
    }
    action, arguments = actions[how]
    getattr(telegram, f"control_{action}")(**arguments)


@pytest.mark.parametrize(
    ("how", "ptb_error", "ours", "code"),
    [
        ("flood", RetryAfter, TransientError, "429"),
        ("blocked", Forbidden, RecipientGone, "blocked"),
        ("deactivated", Forbidden, RecipientGone, "deactivated"),
        ("chat_not_found", BadRequest, PermanentError, "chat_not_found"),
        ("migrated", ChatMigrated, RecipientMoved, "migrated"),
        ("down", NetworkError, TransientError, "502"),
    ],
)
def test_each_refusal_reads_the_same_to_python_telegram_bot_and_to_us(
    telegram, telegram_a, agency_a, how, ptb_error, ours, code
):
    """The local server answers as the Bot API documents (python-telegram-bot raises its own error for it), and
    our provider sorts the same answer by what it means."""
    refuse(telegram, how)

    async def ptb_send():
        bot = Bot(BOT_TOKEN_A, base_url=f"{telegram.url}/bot")
        async with bot:
            await bot.send_message(chat_id=42, text="Hello")

    with pytest.raises(ptb_error) as raised:
        asyncio.run(ptb_send())
    if how == "flood":
        assert "Retry in 7 seconds" in str(raised.value)  # its retry_after is 7 (a timedelta in later versions)
    if how == "migrated":
        assert raised.value.new_chat_id == -1001234567890
    refuse(telegram, how)  # the flood and the outage were used up by python-telegram-bot's call
    with pytest.raises(ours) as caught:
        get_provider("telegram").send(telegram_a, {"method": "sendMessage", "text": "Hello"}, "42")
    assert caught.value.code == code
    if how == "flood":
        assert caught.value.retry_after == 7
    if how == "migrated":
        assert caught.value.moved_to == "-1001234567890"


def greeted(client, telegram, agency, chat_id=42):
    """The person said Hi; their greeting waits in the outbox (not sent yet)."""
    say(client, telegram, telegram.message_update(chat_id, text="Hi"))
    run_events(agency)
    return OutboundMessage.objects.for_agency(agency).get(identity__external_id=str(chat_id))


def test_429_waits_retry_after_and_says_so(client, client_for, telegram, telegram_a, agency_a, staff_a):
    row = greeted(client, telegram, agency_a)
    refuse(telegram, "flood")
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.error_code) == ("pending", "429")
    assert 6 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 7.5
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "Telegram asked the bot to slow down" in page


@pytest.mark.parametrize("how", ["blocked", "deactivated"])
def test_a_person_who_blocked_the_bot_stops_receiving_until_they_write_again(
    client, client_for, telegram, telegram_a, agency_a, agency_b, staff_a, staff_b, how
):
    row = greeted(client, telegram, agency_a)
    refuse(telegram, how)
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.error_code) == ("failed", how)
    identity = ChannelIdentity.objects.for_agency(agency_a).get(external_id="42")
    assert identity.opted_out and identity.opt_out_reason == how and identity.opted_out_at is not None
    with agency_context(agency_a):  # the transcript says why, for the agent who would answer
        line = Message.objects.for_agency(agency_a).filter(role="system").order_by("-pk").first()
        assert "Telegram" in line.text
    # Nothing more goes to them (an agent's line, an alert) and nothing is retried.
    from messaging.outbox import outbound_queue
    from messaging.providers.base import Outgoing

    with agency_context(agency_a):
        outbound_queue(
            agency_id=agency_a.pk,
            identity=identity,
            outgoing=Outgoing(recipient="42", text="Flood warning"),
            dedupe_key="alert:test",
            purpose=OutboundMessage.Purpose.ALERT,
        )
    OutboundMessage.objects.for_agency(agency_a).filter(pk=row.pk).update(next_attempt_at=timezone.now())
    sends = len(telegram.sent(42))
    deliver(agency_a, telegram_a)
    assert len(telegram.sent(42)) == sends
    assert OutboundMessage.objects.for_agency(agency_a).get(dedupe_key="alert:test:0").state == "suppressed"
    assert OutboundMessage.objects.for_agency(agency_a).get(pk=row.pk).state == "failed"
    # Staff read why, in their language; another agency's page shows none of it.
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    words = {"blocked": "bot in Telegram: nothing more is sent to them there", "deactivated": "account was deleted"}
    assert words[how] in page
    german = client_for(staff_a["supervisor"]).get(OUTBOX_A, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    german_words = {"blocked": "hat den Bot der Behörde in Telegram blockiert", "deactivated": "Telegram-Konto"}
    assert german_words[how] in german
    other = client_for(staff_b["supervisor"]).get(OUTBOX_B).content.decode()
    assert words[how] not in other and "•••" not in other
    # They unblock the bot and write: the channel is open again and their answer goes out.
    telegram.control_unblock(42)
    say(client, telegram, telegram.message_update(42, text="Hello again"))
    run_events(agency_a)
    identity.refresh_from_db()
    assert not identity.opted_out and identity.opt_out_reason == ""
    if how == "blocked":
        deliver(agency_a, telegram_a)
        assert len(telegram.sent(42)) > sends
        assert OutboundMessage.objects.for_agency(agency_a).order_by("-pk").first().state == "sent"


def test_a_stop_is_not_undone_by_writing_again(client, telegram, telegram_a, agency_a):
    greeted(client, telegram, agency_a)
    deliver(agency_a, telegram_a)
    say(client, telegram, telegram.message_update(42, text="STOP"))
    run_events(agency_a)
    say(client, telegram, telegram.message_update(42, text="how do I report a pothole?"))
    run_events(agency_a)
    identity = ChannelIdentity.objects.for_agency(agency_a).get(external_id="42")
    assert identity.opted_out and identity.opt_out_reason == ""


def test_chat_not_found_is_not_retried_and_the_person_is_not_opted_out(
    client, client_for, telegram, telegram_a, agency_a, staff_a
):
    row = greeted(client, telegram, agency_a)
    refuse(telegram, "chat_not_found")
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.error_code, row.attempts) == ("failed", "chat_not_found", 1)
    assert not ChannelIdentity.objects.for_agency(agency_a).get(external_id="42").opted_out
    OutboundMessage.objects.for_agency(agency_a).filter(pk=row.pk).update(next_attempt_at=timezone.now())
    deliver(agency_a, telegram_a)
    assert len([call for call in telegram.calls if call["method"] == "sendMessage"]) == 1
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "Telegram does not know this chat" in page


def test_a_chat_that_became_a_supergroup_is_followed(client, telegram, telegram_a, agency_a):
    from auditlog.models import LogEntry

    row = greeted(client, telegram, agency_a)
    refuse(telegram, "migrated")
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert row.state == "sent" and row.attempts == 2
    identity = ChannelIdentity.objects.for_agency(agency_a).get(pk=row.identity_id)
    assert identity.external_id == "-1001234567890"
    assert [str(body["chat_id"]) for body in telegram.sent() if "text" in body] == ["42", "-1001234567890"]
    assert len(telegram.sent(-1001234567890)) == 1  # sent there once
    changes = LogEntry.objects.get_for_object(identity).filter(changes__icontains="external_id")
    assert changes.exists()  # the move is in the audit trail


def test_5xx_and_network_errors_are_retried_with_backoff(client, client_for, telegram, telegram_a, agency_a, staff_a):
    row = greeted(client, telegram, agency_a)
    refuse(telegram, "down")
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.error_code, row.attempts) == ("pending", "502", 1)
    assert 1 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 2.5  # 2 s, then 4, 8 …
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "Telegram was unavailable or did not answer" in page
    # Then Telegram cannot be reached at all (nothing listens on its address).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    from messaging.models import ChannelConnection

    ChannelConnection.objects.for_agency(agency_a).filter(pk=telegram_a.pk).update(api_base=dead)
    OutboundMessage.objects.for_agency(agency_a).filter(pk=row.pk).update(next_attempt_at=timezone.now())
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.error_code, row.attempts) == ("pending", "network", 2)
    assert 3 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 4.5
    ChannelConnection.objects.for_agency(agency_a).filter(pk=telegram_a.pk).update(api_base=telegram.url)
    OutboundMessage.objects.for_agency(agency_a).filter(pk=row.pk).update(next_attempt_at=timezone.now())
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert row.state == "sent" and len(telegram.sent(42)) == 2  # the one refused with 502, then the one taken


def test_a_line_that_met_an_outage_on_every_try_says_it_was_given_up(
    client, client_for, telegram, telegram_a, agency_a, staff_a
):
    from messaging.delivery import MAX_ATTEMPTS

    row = greeted(client, telegram, agency_a)
    OutboundMessage.objects.for_agency(agency_a).filter(pk=row.pk).update(attempts=MAX_ATTEMPTS - 1)
    refuse(telegram, "down")
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.error_code) == ("failed", "502")
    page = client_for(staff_a["supervisor"]).get(OUTBOX_A).content.decode()
    assert "the message was given up, not sent" in page
    assert "the message is sent again later" not in page


@pytest.mark.django_db(transaction=True)
def test_a_blocked_bot_does_not_deadlock_with_an_audited_write_that_queues_a_line(
    telegram, telegram_a, agency_a, monkeypatch
):
    """Staff and turns write audited rows and outbox rows in one transaction; at its COMMIT the audit chain's lock is
    taken, then the outbox row's key on the connection's row is checked (both deferred). The delivery that meets a
    blocked bot records the error on the connection's row (locked) and opts the person out (audited): in one
    transaction, it held the connection's row while waiting for the chain's lock at its own commit, a deadlock (seen
    on make run while the walk's script queued lines). Here the two meet on purpose."""
    import threading
    import time

    from django.db import connection as db_connection
    from django.db import transaction

    from messaging import subscriptions
    from messaging.delivery import outbound_deliver
    from messaging.outbox import outbound_queue
    from messaging.providers.base import Outgoing

    with agency_context(agency_a):
        person = ChannelIdentity.objects.create(agency=agency_a, kind="telegram", external_id="42")
        other = ChannelIdentity.objects.create(agency=agency_a, kind="telegram", external_id="43")
        outbound_queue(
            agency_id=agency_a.pk, identity=person, outgoing=Outgoing(recipient="42", text="Hello"), dedupe_key="x"
        )
    telegram.control_block(42)
    at_gone, writer_in = threading.Event(), threading.Event()
    real_gone = subscriptions.identity_gone
    errors = []

    def gone_after_the_writer_started(**kwargs):
        at_gone.set()
        writer_in.wait(10)
        time.sleep(1.0)  # the writer is committing: its audit link written, its outbox row's key checked
        return real_gone(**kwargs)

    monkeypatch.setattr(subscriptions, "identity_gone", gone_after_the_writer_started)

    def deliverer():
        try:
            with agency_context(agency_a):
                outbound_deliver(agency=agency_a, connection_id=telegram_a.pk, budget=10)
        except Exception as exc:
            errors.append(exc)
        finally:
            db_connection.close()

    def writer():
        try:
            at_gone.wait(10)
            with agency_context(agency_a), transaction.atomic():
                other.language = "es"
                other.save(update_fields=["language"])  # audited: the chain's lock, taken at COMMIT
                outbound_queue(
                    agency_id=agency_a.pk, identity=other, outgoing=Outgoing(recipient="43", text="Hi"), dedupe_key="y"
                )  # its key on the connection's row is checked at COMMIT too (deferred), after the audit link
                writer_in.set()
        except Exception as exc:
            errors.append(exc)
        finally:
            writer_in.set()
            db_connection.close()

    threads = [threading.Thread(target=deliverer), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    person.refresh_from_db()
    assert person.opted_out and person.opt_out_reason == "blocked"
    assert OutboundMessage.objects.for_agency(agency_a).filter(dedupe_key="y:0").exists()
