"""The outbox: rate limits per connection and per person, order per person, backoff, give-up."""

import time
from collections import Counter

import pytest
from django.utils import timezone

from messaging.delivery import MAX_ATTEMPTS
from messaging.models import ChannelIdentity, OutboundMessage
from messaging.outbox import outbound_queue
from messaging.providers.base import Outgoing
from tenants.context import agency_context
from tests.messaging.conftest import deliver

pytestmark = pytest.mark.django_db


def person(agency, external_id="42"):
    with agency_context(agency):
        return ChannelIdentity.objects.create(agency=agency, kind="telegram", external_id=external_id)


def queue(agency, identity, texts):
    with agency_context(agency):
        for index, text in enumerate(texts):
            outbound_queue(
                agency_id=agency.pk,
                identity=identity,
                outgoing=Outgoing(identity.external_id, text),
                dedupe_key=f"{identity.pk}:t{index}",
            )


def test_queued_once_per_key(agency_a, telegram_a):
    someone = person(agency_a)
    queue(agency_a, someone, ["one"])
    queue(agency_a, someone, ["one again"])  # same key t0
    assert OutboundMessage.objects.for_agency(agency_a).count() == 1


def test_per_person_limit_and_order(agency_a, telegram_a, telegram, settings):
    settings.MESSAGING_RATE_LIMITS = True
    someone, other = person(agency_a, "42"), person(agency_a, "43")
    queue(agency_a, someone, [f"m{n}" for n in range(6)])
    queue(agency_a, other, ["hello"])
    wait = deliver(agency_a, telegram_a)
    sent = [body["text"] for body in telegram.sent(42)]
    assert sent == ["m0", "m1", "m2"]  # a burst of three, in order; the rest wait their turn
    assert [body["text"] for body in telegram.sent(43)] == ["hello"]  # another person is not held up
    assert wait is not None and wait <= 1
    pending = OutboundMessage.objects.for_agency(agency_a).filter(state="pending")
    assert pending.count() == 3


def test_per_connection_limit(agency_a, telegram_a, telegram, settings, monkeypatch):
    from messaging.providers.telegram import TelegramProvider

    settings.MESSAGING_RATE_LIMITS = True
    monkeypatch.setattr(TelegramProvider, "rate_per_second", 2.0)
    from messaging import delivery

    granted = []  # when the limiter let a send go (the fake's receipt time may fall in the next second)
    take = delivery._rate_take

    def recorded(key, limit, window):
        allowed = take(key, limit, window)
        if allowed and ":p" not in key:
            granted.append(time.time())
        return allowed

    monkeypatch.setattr(delivery, "_rate_take", recorded)
    for n in range(5):
        queue(agency_a, person(agency_a, str(100 + n)), ["hi"])
    deliver(agency_a, telegram_a)
    # At most two in any second of the clock (the limit's window); the run waits for the next second.
    times = sorted(call["at"] for call in telegram.calls if call["method"] == "sendMessage")
    assert len(times) == 5 and len(granted) == 5
    assert max(Counter(int(at) for at in granted).values()) <= 2
    assert times[-1] - times[0] >= 1.0


def test_transient_errors_back_off_then_give_up(agency_a, telegram_a, telegram):
    someone = person(agency_a)
    queue(agency_a, someone, ["hello"])
    for attempt in range(1, MAX_ATTEMPTS + 1):
        telegram.fail_next(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
        deliver(agency_a, telegram_a)
        row = OutboundMessage.objects.for_agency(agency_a).get()
        assert row.attempts == attempt
        if row.state == "pending":
            assert row.next_attempt_at > timezone.now()
            OutboundMessage.objects.for_agency(agency_a).update(next_attempt_at=timezone.now())
    assert row.state == "failed" and "Bad Gateway" in row.error
    telegram_a.refresh_from_db()
    assert telegram_a.last_errors[0]["recipient"] == "42"


def test_a_row_of_another_agency_is_never_delivered_by_this_agencys_run(
    agency_a, agency_b, telegram_a, telegram_b, telegram
):
    queue(agency_b, person(agency_b, "77"), ["for B"])
    deliver(agency_a, telegram_a)
    deliver(agency_a, telegram_b)  # B's connection id under A's scope: nothing
    assert telegram.sent(77) == []
    deliver(agency_b, telegram_b)
    assert [body["text"] for body in telegram.sent(77)] == ["for B"]


def _delivery_runs_queued() -> int:
    from portal.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare("messaging-deliver", passive=True).message_count


def test_one_delivery_run_is_queued_for_many_replies_until_it_starts(
    agency_a, telegram_a, django_capture_on_commit_callbacks
):
    """Replies committed while a run is queued (not started) queue no other; once it starts, the next does.
    The runs go to their own queue, so they are not stuck behind the inbound turns of the default one."""
    from portal.celery import app

    app.control.purge()
    first, second = person(agency_a, "42"), person(agency_a, "43")
    with django_capture_on_commit_callbacks(execute=True):
        queue(agency_a, first, ["one"])
    with django_capture_on_commit_callbacks(execute=True):
        queue(agency_a, second, ["two"])
    assert _delivery_runs_queued() == 1
    from messaging.outbox import delivery_started

    delivery_started(telegram_a.pk)  # what the run does first
    with django_capture_on_commit_callbacks(execute=True):
        queue(agency_a, person(agency_a, "44"), ["three"])
    assert _delivery_runs_queued() == 2
    app.control.purge()
