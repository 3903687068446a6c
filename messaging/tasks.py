"""Celery tasks: the inbound turn, outbound delivery, and the beat sweep that picks up anything a lost
task (a killed worker, an absent broker) left behind: stored events, due rows, and rows a killed worker left
`sending` once their lease ran out."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db.models import Min
from django.utils import timezone

from core.tasks import AgencyTask, IsolatedTask
from messaging.delivery import outbound_deliver
from messaging.drain import drain_started, inbound_drain
from messaging.models import InboundEvent, OutboundMessage
from messaging.outbox import delivery_started
from messaging.services import MAX_EVENT_ATTEMPTS, inbound_event_process

# A stored event older than this with no turn yet was lost (its drain died with a worker, or the broker
# was away): the sweep queues a drain of its connection. A turn still running is not disturbed: the event row is locked
# (SKIP LOCKED) for as long as its turn runs.
EVENT_GRACE_SECONDS = 20
SWEEP_BATCH = 500


@shared_task(
    base=AgencyTask,
    name="messaging.inbound_event_process",
    autoretry_for=(Exception,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=MAX_EVENT_ATTEMPTS,
)
def inbound_event_process_task(*, agency, event_id: int) -> str | None:
    """One event (the webhook queued these before the drain; any still in a broker run as before)."""
    return inbound_event_process(agency=agency, event_id=event_id)


@shared_task(base=AgencyTask, name="messaging.inbound_drain")
def inbound_drain_task(*, agency, connection_id: int) -> None:
    """Every stored event of the connection, and their replies (`messaging.drain`)."""
    drain_started(connection_id)
    if inbound_drain(agency=agency, connection_id=connection_id):
        inbound_drain_task.delay(agency_id=agency.pk, connection_id=connection_id)


@shared_task(base=AgencyTask, name="messaging.outbound_deliver")
def outbound_deliver_task(*, agency, connection_id: int) -> None:
    delivery_started(connection_id)
    wait = outbound_deliver(agency=agency, connection_id=connection_id)
    if wait is not None and wait < 60:
        outbound_deliver_task.apply_async(
            kwargs={"agency_id": agency.pk, "connection_id": connection_id}, countdown=max(wait, 0.2)
        )


@shared_task(base=IsolatedTask, name="messaging.sweep")
def sweep() -> dict:
    """Every agency (unscoped on purpose: this only finds ids and hands each to an agency-scoped task)."""
    from tenants.context import cross_agency

    cutoff = timezone.now() - timedelta(seconds=EVENT_GRACE_SECONDS)
    with cross_agency(reason="the messaging sweep finds work in every agency, each handed to its own task"):
        events, due = _sweep_find(cutoff)
    for agency_id, connection_id in events:
        inbound_drain_task.delay(agency_id=agency_id, connection_id=connection_id)
    for agency_id, connection_id in due:
        outbound_deliver_task.delay(agency_id=agency_id, connection_id=connection_id)
    return {"events": len(events), "connections": len(due)}


def _sweep_find(cutoff):
    events = list(  # one drain per connection with a lost event; it runs all of them
        InboundEvent.objects.unscoped()  # unscoped: the sweep spans agencies; each drain runs in its agency's task
        .filter(status=InboundEvent.Status.RECEIVED, received_at__lt=cutoff, attempts__lt=MAX_EVENT_ATTEMPTS)
        .values_list("agency_id", "connection_id")
        .distinct()[:SWEEP_BATCH]
    )
    now = timezone.now()
    due = set(
        OutboundMessage.objects.unscoped()  # unscoped: spans agencies; one agency-scoped task per connection
        .filter(state=OutboundMessage.State.PENDING, next_attempt_at__lte=now)
        .values("agency_id", "connection_id")
        .annotate(oldest=Min("next_attempt_at"))
        .values_list("agency_id", "connection_id")
    )
    # Rows whose worker died mid-send (their lease ran out): the delivery run settles them (`messaging.in_doubt`).
    due.update(
        OutboundMessage.objects.unscoped()  # unscoped: as above
        .filter(state=OutboundMessage.State.SENDING, lease_until__lte=now)
        .values_list("agency_id", "connection_id")
        .distinct()[:SWEEP_BATCH]
    )
    return events, sorted(due)
