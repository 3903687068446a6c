"""Staff decisions on the notification outbox (the supervisors' outbox page): "retry now" puts failing or given-up
rows back in the queue with a fresh count of attempts and queues a delivery run; "discard" deletes given-up rows
(never sent; the message and the address go with them). Only the agency's rows in those states are touched
(anything else among the ids is passed over); each decision is one entry per row in the agency's audit trail,
naming the row (masked recipient), its report and what it had been through, never the message."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Q

from requests_app.models import Notification
from requests_app.outbox_mask import recipient_masked
from requests_app.outbox_selectors import STATE_FILTERS
from requests_app.services.delivery import deliver_on_commit
from tenants.models import Agency

RETRYABLE = STATE_FILTERS["failing"] | STATE_FILTERS["given_up"]


def outbox_retry(*, agency: Agency, actor, ids=None, channel: str = "") -> int:
    """Failing and given-up rows among `ids` (None: all of the agency's, on `channel` if given) go back to
    pending, due now, and a delivery run is queued after commit. Returns how many."""
    with transaction.atomic():
        rows = _rows(agency, RETRYABLE, ids, channel)
        for row in rows:
            _audit(agency, actor, row, decision="retry")
        Notification.objects.for_agency(agency).filter(pk__in=[row.pk for row in rows]).update(
            attempts=0, next_attempt_at=None, given_up_at=None, permanent=False
        )
        if rows:
            deliver_on_commit(agency=agency)
    return len(rows)


def outbox_discard(*, agency: Agency, actor, ids) -> int:
    """Given-up rows among `ids` are deleted, never sent. Returns how many."""
    with transaction.atomic():
        rows = _rows(agency, STATE_FILTERS["given_up"], ids, "")
        for row in rows:
            _audit(agency, actor, row, decision="discard")
        Notification.objects.for_agency(agency).filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def _rows(agency: Agency, state: Q, ids, channel: str) -> list[Notification]:
    """The agency's rows in `state` among `ids`, locked for the decision (a row a delivery run is sending is
    waited for, then seen as it is: a row sent meanwhile is no longer in `state`)."""
    rows = Notification.objects.for_agency(agency).filter(state).defer("body")
    if ids is not None:
        rows = rows.filter(pk__in=clean_ids(ids))
    if channel in Notification.Channel.values:
        rows = rows.filter(channel=channel)
    return list(rows.select_for_update(of=("self",)).select_related("request").order_by("pk"))


def clean_ids(ids) -> list[int]:
    """Row ids from a form: digits only, none too long for the column (anything else is passed over)."""
    return [int(value) for value in ids if str(value).isascii() and str(value).isdigit() and len(str(value)) < 19]


def _audit(agency: Agency, actor, row: Notification, *, decision: str) -> None:
    state = row.state
    LogEntry.objects.log_create(
        row,
        force_log=True,
        action=LogEntry.Action.DELETE if decision == "discard" else LogEntry.Action.UPDATE,
        object_repr=str(row)[:200],
        changes={"outbox": [state, "discarded" if decision == "discard" else "pending"]},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        additional_data={
            "agency_id": agency.pk,
            "outbox": {
                "decision": decision,
                "notification_id": row.pk,
                "channel": row.channel,
                "recipient": recipient_masked(row.channel, row.recipient),
                "request": row.request.reference if row.request_id else "",
                "state": state,
                "attempts": row.attempts,
                "last_error": row.last_error,
            },
        },
    )
