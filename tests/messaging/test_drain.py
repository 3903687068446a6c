"""The inbound drain: one task runs every stored event of a connection, oldest first, each once, and sends
their replies; a turn that fails is counted and left to the sweep without stopping the others; another
agency's connection is not drained; many webhooks queue one drain until it starts; the sweep queues a
drain per connection with lost events."""

from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chat.models import Message
from messaging.drain import drain_started, inbound_drain
from messaging.models import ChannelIdentity, InboundEvent, OutboundMessage
from tenants.context import agency_context
from tests.messaging.conftest import SECRET_A, SECRET_B
from tests.messaging.test_webhook import post, update

pytestmark = pytest.mark.django_db


def drain(agency, connection):
    with agency_context(agency):  # as the AgencyTask sets it
        return inbound_drain(agency=agency, connection_id=connection.pk)


def statuses(agency):
    return list(InboundEvent.objects.for_agency(agency).order_by("pk").values_list("status", flat=True))


def test_one_drain_runs_every_stored_message_in_order_and_sends_each_reply_once(client, telegram, telegram_a, agency_a):
    for update_id, chat_id, text in [(1, 42, "Hi"), (2, 43, "Hi"), (3, 42, "hello"), (4, 44, "Hi")]:
        assert post(client, "alpha", "telegram", update(update_id, text, chat_id), SECRET_A).status_code == 200
    with CaptureQueriesContext(db) as queries:
        assert drain(agency_a, telegram_a) is False
    assert statuses(agency_a) == ["processed"] * 4
    # Each event is read once, with its lock; one more read finds none left.
    event_reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "messaging_inboundevent"')]
    assert len(event_reads) == 5
    assert "SKIP LOCKED" in event_reads[0]["sql"]
    # Every reply went out in the drain itself (no delivery task needed), one per message.
    assert [len(telegram.sent(chat)) for chat in (42, 43, 44)] == [2, 1, 1]
    assert set(OutboundMessage.objects.for_agency(agency_a).values_list("state", flat=True)) == {"sent"}
    with agency_context(agency_a):
        identity_42 = ChannelIdentity.objects.for_agency(agency_a).get(kind="telegram", external_id="42")
        texts = list(
            Message.objects.for_agency(agency_a)
            .filter(conversation_id=identity_42.conversation_id, role="citizen")
            .order_by("seq")
            .values_list("text", flat=True)
        )
    assert texts == ["Hi", "hello"]
    assert drain(agency_a, telegram_a) is False  # nothing left: nothing sent again
    assert [len(telegram.sent(chat)) for chat in (42, 43, 44)] == [2, 1, 1]


def test_a_turn_that_fails_is_counted_and_does_not_stop_the_others(client, telegram, telegram_a, agency_a, monkeypatch):
    from messaging import turns

    real_turn = turns.message_turn

    def failing_for_43(**kwargs):
        if kwargs["identity"].external_id == "43":
            raise RuntimeError("the engine fell over")
        return real_turn(**kwargs)

    monkeypatch.setattr(turns, "message_turn", failing_for_43)
    for update_id, chat_id in [(1, 42), (2, 43), (3, 44)]:
        post(client, "alpha", "telegram", update(update_id, "Hi", chat_id), SECRET_A)
    assert drain(agency_a, telegram_a) is False
    assert statuses(agency_a) == ["processed", "received", "processed"]
    failed = InboundEvent.objects.for_agency(agency_a).get(status="received")
    assert (failed.attempts, failed.error) == (1, "the engine fell over")
    assert telegram.sent(43) == [] and len(telegram.sent(42)) == len(telegram.sent(44)) == 1
    with agency_context(agency_a):  # its transaction rolled back: no identity, no conversation
        assert not ChannelIdentity.objects.for_agency(agency_a).filter(external_id="43").exists()

    monkeypatch.setattr(turns, "message_turn", real_turn)  # fixed: the next drain runs it, once
    assert drain(agency_a, telegram_a) is False
    assert statuses(agency_a) == ["processed"] * 3
    assert len(telegram.sent(43)) == 1 and len(telegram.sent(42)) == 1


def test_a_drain_of_another_agencys_connection_runs_nothing(
    client, telegram, telegram_a, telegram_b, agency_a, agency_b
):
    post(client, "beta", "telegram", update(1, "Hi", 77), SECRET_B)
    assert drain(agency_a, telegram_b) is False  # B's connection id in A's scope
    assert statuses(agency_b) == ["received"] and telegram.sent(77) == []
    assert drain(agency_b, telegram_a) is False  # and the other way round
    assert statuses(agency_b) == ["received"]
    assert drain(agency_b, telegram_b) is False
    assert statuses(agency_b) == ["processed"] and len(telegram.sent(77)) == 1
    assert statuses(agency_a) == []


def _queued(queue="celery") -> int:
    from portal.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue, passive=True).message_count


def test_many_webhooks_queue_one_drain_until_it_starts(
    client, telegram_a, agency_a, django_capture_on_commit_callbacks
):
    from portal.celery import app

    app.control.purge()
    drain_started(telegram_a.pk)  # no flag left from another test
    for update_id in range(1, 4):
        with django_capture_on_commit_callbacks(execute=True):
            post(client, "alpha", "telegram", update(update_id, "Hi", 40 + update_id), SECRET_A)
    assert _queued() == 1
    drain_started(telegram_a.pk)  # what the drain does first: later events queue the next one
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "alpha", "telegram", update(9, "Hi", 49), SECRET_A)
    assert _queued() == 2
    app.control.purge()
    drain_started(telegram_a.pk)


def test_the_sweep_queues_one_drain_per_connection_with_lost_events(client, telegram_a, telegram_b, agency_a, agency_b):
    from messaging.tasks import sweep
    from portal.celery import app

    for update_id in (1, 2, 3):
        post(client, "alpha", "telegram", update(update_id, "Hi", 40 + update_id), SECRET_A)
    post(client, "beta", "telegram", update(1, "Hi", 77), SECRET_B)
    app.control.purge()
    assert sweep()["events"] == 0  # not lost yet: their drain is coming
    past = timezone.now() - timedelta(minutes=5)
    InboundEvent.objects.for_agency(agency_a).update(received_at=past)
    InboundEvent.objects.for_agency(agency_b).update(received_at=past)
    assert sweep()["events"] == 2  # one drain for A's three, one for B's
    assert _queued() == 2
    app.control.purge()


def test_a_new_person_is_written_once_with_their_conversation(client, telegram, telegram_a, agency_a):
    """Their row carries the conversation from its INSERT (no UPDATE links them); STOP from someone new
    opens no conversation."""
    from chat.models import Conversation

    post(client, "alpha", "telegram", update(1, "Hi", 42), SECRET_A)
    with CaptureQueriesContext(db) as queries:
        drain(agency_a, telegram_a)
    identity_writes = [q["sql"].split()[0] for q in queries.captured_queries if "messaging_channelidentity" in q["sql"]]
    assert identity_writes.count("UPDATE") == 0 and identity_writes.count("INSERT") == 1
    identity = ChannelIdentity.objects.for_agency(agency_a).get(external_id="42")
    assert Conversation.objects.for_agency(agency_a).get().pk == identity.conversation_id
    post(client, "alpha", "telegram", update(2, "STOP", 43), SECRET_A)
    drain(agency_a, telegram_a)
    assert ChannelIdentity.objects.for_agency(agency_a).get(external_id="43").conversation_id is None
    assert Conversation.objects.for_agency(agency_a).count() == 1


def test_a_new_person_created_meanwhile_by_another_turn_is_used_and_no_conversation_is_left(
    client, telegram, telegram_a, agency_a, monkeypatch
):
    """Two first messages of one person in two workers: the one that loses the insert rolls back its own
    conversation (a savepoint) and continues with the winner's row."""
    from chat.models import Conversation
    from messaging import services

    real_create = services._identity_create

    def another_turn_won(agency, kind, item, external_id, now, *, open_conversation):
        real_create(agency, kind, item, external_id, now, open_conversation=open_conversation)  # "the other"
        return real_create(agency, kind, item, external_id, now, open_conversation=open_conversation)

    monkeypatch.setattr(services, "_identity_create", another_turn_won)
    post(client, "alpha", "telegram", update(1, "Hi", 42), SECRET_A)
    drain(agency_a, telegram_a)
    assert statuses(agency_a) == ["processed"]
    identity = ChannelIdentity.objects.for_agency(agency_a).get(external_id="42")
    assert list(Conversation.objects.for_agency(agency_a).values_list("pk", flat=True)) == [identity.conversation_id]
    assert len(telegram.sent(42)) == 1


def test_a_reply_goes_out_after_its_turns_commit_claimed_first(client, telegram, telegram_a, agency_a, monkeypatch):
    """No reply is sent inside a transaction: when the provider is called, the turn has committed and the row
    is claimed (`sending`, leased) in a transaction of its own that committed too, so a worker killed during
    the call leaves a row to settle, never a turn that runs again and sends its reply twice."""
    from messaging.providers import get_provider

    provider = get_provider("telegram")
    real = provider.send
    outside = len(db.atomic_blocks)  # the test's own transaction(s)
    seen = []

    def send(connection, payload, recipient):
        row = OutboundMessage.objects.for_agency(agency_a).get(identity__external_id=recipient)
        seen.append((row.state, row.lease_until is not None, row.attempts, len(db.atomic_blocks) - outside))
        return real(connection, payload, recipient)

    monkeypatch.setattr(provider, "send", send)
    for update_id, chat_id in [(1, 42), (2, 43)]:
        post(client, "alpha", "telegram", update(update_id, "Hi", chat_id), SECRET_A)
    assert drain(agency_a, telegram_a) is False
    assert seen == [("sending", True, 1, 0), ("sending", True, 1, 0)]
    assert [len(telegram.sent(chat)) for chat in (42, 43)] == [1, 1]
    rows = OutboundMessage.objects.for_agency(agency_a)
    assert set(rows.values_list("state", flat=True)) == {"sent"}
    assert set(rows.values_list("lease_until", flat=True)) == {None}
    assert statuses(agency_a) == ["processed", "processed"]


def test_a_reply_that_fails_in_its_turn_waits_for_a_retry_and_the_turn_stands(
    client, telegram, telegram_a, agency_a, django_capture_on_commit_callbacks, monkeypatch
):
    from messaging import tasks

    queued = []
    monkeypatch.setattr(tasks.outbound_deliver_task, "apply_async", lambda **kw: queued.append(kw))
    telegram.fail_next(429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 7}})
    post(client, "alpha", "telegram", update(1, "Hi", 42), SECRET_A)
    with django_capture_on_commit_callbacks(execute=True):
        assert drain(agency_a, telegram_a) is False
    assert statuses(agency_a) == ["processed"]  # the turn committed; its reply waits
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert (row.state, row.attempts) == ("pending", 1)
    assert 6 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 7.5
    assert len(telegram.sent(42)) == 1  # the one attempt, refused with 429 (the fake records every call)
    assert [call["kwargs"]["connection_id"] for call in queued] == [telegram_a.pk]  # the delivery task's now


def test_a_reply_over_the_persons_limit_waits_in_the_turn(client, telegram, telegram_a, agency_a, settings):
    """Three sends to a person within the window (RECIPIENT_BURST): the turn's reply waits until the
    oldest of them leaves it, read in the same statement as the rows."""
    from messaging.delivery import RECIPIENT_BURST
    from messaging.providers import get_provider

    settings.MESSAGING_RATE_LIMITS = True
    post(client, "alpha", "telegram", update(1, "Hi", 42), SECRET_A)
    drain(agency_a, telegram_a)
    identity = ChannelIdentity.objects.for_agency(agency_a).get(external_id="42")
    now = timezone.now()
    first = OutboundMessage.objects.for_agency(agency_a).get()
    for index in range(RECIPIENT_BURST - 1):  # two more recent sends: the burst is used up
        OutboundMessage.objects.for_agency(agency_a).create(
            agency=agency_a,
            connection=telegram_a,
            identity=identity,
            dedupe_key=f"earlier:{index}",
            payload={"text": "earlier"},
            state="sent",
            sent_at=now,
            next_attempt_at=now,
        )
    post(client, "alpha", "telegram", update(2, "hello", 42), SECRET_A)
    drain(agency_a, telegram_a)
    waiting = OutboundMessage.objects.for_agency(agency_a).get(state="pending")
    assert waiting.attempts == 0 and waiting.next_attempt_at > now
    window = RECIPIENT_BURST / get_provider("telegram").rate_per_recipient_per_second  # 3 sends in 3 s
    assert abs((waiting.next_attempt_at - first.sent_at).total_seconds() - window) < 1.0
    assert len(telegram.sent(42)) == 1


class Killed(BaseException):
    """The worker's SIGKILL: nothing after it runs, and its open transaction is rolled back."""


def test_a_reply_whose_worker_was_killed_in_the_provider_call_is_not_sent_again(
    client, telegram, telegram_a, agency_a, monkeypatch
):
    """Killed while Telegram's call is in flight (Telegram has the reply, nobody recorded it): the turn stands,
    the row stays `sending`; once its lease has run out it is settled as `unknown` (Telegram cannot be asked),
    for staff, and not sent a second time. (A real SIGKILL: test_worker_killed_mid_send.py.)"""
    from messaging.providers import get_provider
    from tests.messaging.conftest import deliver

    provider = get_provider("telegram")
    real = provider.send

    def sent_then_killed(*args, **kwargs):
        real(*args, **kwargs)
        raise Killed

    monkeypatch.setattr(provider, "send", sent_then_killed)
    post(client, "alpha", "telegram", update(1, "Hi", 42), SECRET_A)
    with pytest.raises(Killed):
        drain(agency_a, telegram_a)
    assert len(telegram.sent(42)) == 1  # the provider took the reply
    assert statuses(agency_a) == ["processed"]  # the turn had committed before the send
    row = OutboundMessage.objects.for_agency(agency_a).get()
    assert (row.state, row.attempts) == ("sending", 1) and row.lease_until > timezone.now()

    monkeypatch.setattr(provider, "send", real)  # a restarted worker, before the lease has run out: hands off
    deliver(agency_a, telegram_a)
    assert OutboundMessage.objects.for_agency(agency_a).get().state == "sending"
    OutboundMessage.objects.for_agency(agency_a).update(lease_until=timezone.now() - timedelta(seconds=1))
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.provider_message_id) == ("unknown", 1, "")
    assert "check with the person" in row.error
    assert len(telegram.sent(42)) == 1  # not sent a second time
    with agency_context(agency_a):  # the transcript has the turn once
        assert Message.objects.for_agency(agency_a).filter(role="citizen", text="Hi").count() == 1


def test_a_delivery_killed_after_the_provider_took_the_row_does_not_send_it_again(
    client, telegram, telegram_a, agency_a, monkeypatch
):
    from messaging import delivery
    from tests.messaging.conftest import deliver

    post(client, "alpha", "telegram", update(1, "Hi", 42), SECRET_A)
    drain(agency_a, telegram_a)
    identity = ChannelIdentity.objects.for_agency(agency_a).get(external_id="42")
    OutboundMessage.objects.for_agency(agency_a).create(
        agency=agency_a,
        connection=telegram_a,
        identity=identity,
        dedupe_key="m:agent-line:0",
        payload={"text": "An agent's answer"},
        next_attempt_at=timezone.now(),
    )
    real = delivery.sent_mark_set

    def marked_then_killed(*args):
        real(*args)
        raise Killed

    monkeypatch.setattr(delivery, "sent_mark_set", marked_then_killed)
    with pytest.raises(Killed):
        deliver(agency_a, telegram_a)
    row = OutboundMessage.objects.for_agency(agency_a).get(dedupe_key="m:agent-line:0")
    assert (row.state, row.attempts) == ("sending", 1)  # claimed, the answer not recorded on the row
    monkeypatch.setattr(delivery, "sent_mark_set", real)
    OutboundMessage.objects.for_agency(agency_a).filter(pk=row.pk).update(lease_until=timezone.now())
    deliver(agency_a, telegram_a)
    row.refresh_from_db()
    assert row.state == "sent" and row.provider_message_id
    assert [body["text"] for body in telegram.sent(42)].count("An agent's answer") == 1
