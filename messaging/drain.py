"""The inbound drain: one Celery task runs every stored event of a connection, oldest first, instead of a
task per webhook, and sends the replies of its turns itself.

Per event the drain does what a turn needs and nothing else: ONE statement takes the oldest `received`
event of the connection and its row lock (SKIP LOCKED, so two drains of one connection never run the
same event) with its body; the turn and the event's new status commit together in that transaction, as
in `inbound_event_process`. The connection, the agency and the Celery task are paid once per drain, not
per message. An event with media goes to `inbound_event_process`, which downloads outside the
transaction. A turn that raises rolls back, is counted on the event and left to the beat sweep (after
EVENT_GRACE_SECONDS), so one bad event never stops the others.

Replies: the turns' outbox rows commit with them; right after each turn's commit the drain sends the rows
of the person it answered (`outbound_deliver`'s `deliver_next`: the same locks, order, limits, retries and
claim-before-send as the delivery task), with no delivery task, no look for who is due and no wait behind
queued turns. They are never sent inside the turn's transaction: a send must follow a committed claim
(`messaging.delivery`), or a worker killed mid-send would run the turn again and send its reply twice.
What it cannot send then (the person locked by another worker, a limit, a retry) goes to a delivery task.

Queueing: the webhook's commit queues a drain only when none of the connection is queued and not yet
started (a Redis flag the drain clears as it starts: every event stored before it starts is found by
it, every later one queues the next). A drain killed with its worker leaves its events `received`: the
next webhook's drain or the beat sweep runs them; a killed turn committed nothing.
"""

from __future__ import annotations

import contextvars
import logging
import time

from django.db import transaction

from core.queueing import queue_unless_waiting, waiting_flag_clear
from messaging.models import ChannelConnection, InboundEvent
from messaging.providers import get_provider
from tenants.models import Agency

logger = logging.getLogger(__name__)

DRAIN_BUDGET_SECONDS = 10.0  # then the drain queues its successor and lets the worker take other tasks
DRAIN_FLAG_SECONDS = 10

# The drain running in this context: {"connection_id": …, "people": identity ids its turns queued rows for,
# "leftover": whether a row it tried was not sent (locked elsewhere, throttled, backing off)}.
_drain: contextvars.ContextVar[dict | None] = contextvars.ContextVar("messaging_drain", default=None)


def drain_takes_delivery(connection_id: int, identity_id: int) -> bool:
    """A row for `identity_id` on `connection_id` was queued inside a drain of that connection: the drain
    sends it (and the person's other pending rows) right after the turn's commit."""
    running = _drain.get()
    if running is None or running["connection_id"] != connection_id:
        return False
    running["people"].add(identity_id)
    return True


def _flag(connection_id: int) -> str:
    return f"msg:drain:queued:{connection_id}"


def drain_started(connection_id: int) -> None:
    waiting_flag_clear(_flag(connection_id))


def drain_on_commit(*, agency_id: int, connection_id: int) -> None:
    """After commit (at once in autocommit, as the webhook stores), make sure a drain is coming."""

    def queue():
        from messaging.tasks import inbound_drain_task

        queue_unless_waiting(
            _flag(connection_id),
            timeout=DRAIN_FLAG_SECONDS,
            send=lambda: inbound_drain_task.delay(agency_id=agency_id, connection_id=connection_id),
            what=f"a drain of connection {connection_id}",
        )

    transaction.on_commit(queue)


def inbound_drain(*, agency: Agency, connection_id: int, budget: float = DRAIN_BUDGET_SECONDS) -> bool:
    """Run the connection's `received` events, oldest first, and send their replies, until none is left or
    `budget` seconds passed. True: events may be left (the budget ran out)."""
    connection = ChannelConnection.objects.for_agency(agency).filter(pk=connection_id, is_active=True).first()
    provider = get_provider(connection.kind) if connection else None
    if connection is None or provider is None:
        return False
    connection.agency = agency  # the same agency (found in it): renders and turns read it
    skip: set[int] = set()  # failed in this run (the sweep retries them) or handed over
    started = time.monotonic()
    running = {"connection_id": connection.pk, "people": set(), "leftover": False}
    more = False
    while True:
        if time.monotonic() - started >= budget:
            more = True
            break
        token = _drain.set(running)
        try:
            ran = _drain_one(agency, connection, provider, skip, running)
        finally:
            _drain.reset(token)
        if not ran:
            break
        _deliver(agency, connection, provider, running)  # anyone else's, right after the turn's commit
    if running["leftover"]:
        from messaging.outbox import deliver_on_commit

        # Rows not sent here (locked by another worker, throttled, backing off): the delivery task's.
        deliver_on_commit(agency_id=agency.pk, connection_id=connection.pk, countdown=0.5)
    return more


def _drain_one(agency: Agency, connection: ChannelConnection, provider, skip: set[int], running: dict) -> bool:
    """Run the oldest free event (its replies are sent after its commit); False when there is none."""
    from messaging.services import MAX_EVENT_ATTEMPTS, event_apply, event_failed, inbound_event_process

    event_id = None
    try:
        with transaction.atomic():
            event = (
                InboundEvent.objects.for_agency(agency)
                .select_for_update(skip_locked=True)
                .filter(connection=connection, status=InboundEvent.Status.RECEIVED, attempts__lt=MAX_EVENT_ATTEMPTS)
                .exclude(pk__in=skip)
                .order_by("received_at", "pk")
                .first()
            )
            if event is None:
                return False
            event_id = event.pk
            items = provider.parse(connection, bytes(event.body), event.content_type)
            if not any(item.media for item in items):
                event_apply(agency, connection, event, items, {})
                return True  # its replies go out right after this commit (`_deliver`)
    except Exception as exc:  # counted on the event; the sweep runs it again later
        if event_id is None:
            raise
        skip.add(event_id)
        event_failed(agency, event_id, exc)
        return True
    skip.add(event_id)  # media: downloaded outside any transaction, then run under the lock again
    try:
        inbound_event_process(agency=agency, event_id=event_id)
    except Exception:  # noqa: BLE001 - already counted on the event and logged by inbound_event_process
        logger.info("Inbound event %s left to the sweep", event_id)
    return True


def _deliver(agency: Agency, connection: ChannelConnection, provider, running: dict) -> None:
    """Send the pending rows of the people whose turns ran since the last pass, each person's in order,
    with `deliver_next` (the delivery task's locks, limits and retries); no look for who is due."""
    from messaging.delivery import deliver_next

    people, running["people"] = sorted(running["people"]), set()
    for identity_id in people:
        try:
            outcome = deliver_next(agency, connection, provider, identity_id)
            while outcome == "more":
                outcome = deliver_next(agency, connection, provider, identity_id)
        except Exception:  # the row stays pending: the delivery task or the sweep sends it
            logger.exception("Delivery from the drain of connection %s failed", connection.pk)
            outcome = "error"
        if outcome not in ("sent", "none"):
            running["leftover"] = True
        if outcome == "throttled":  # the connection's second is used up: the rest go with the delivery task
            break
