"""Reads for the staff outbox page (/a/<slug>/staff/outbox/): counts by state and channel, and the rows of
one state and channel, newest first. Every read is the agency's own (`for_agency`)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from requests_app.models import Notification
from tenants.models import Agency

STATES = ("pending", "failing", "given_up", "sent", "undelivered")
SENT_WINDOW = timedelta(hours=24)

_UNSENT = Q(sent_at__isnull=True)
STATE_FILTERS = {
    "pending": _UNSENT & Q(given_up_at__isnull=True, attempts=0),
    "failing": _UNSENT & Q(given_up_at__isnull=True, attempts__gt=0),
    "given_up": _UNSENT & Q(given_up_at__isnull=False),
    "sent": Q(sent_at__isnull=False),
    # Sent, then reported back as not delivered by the provider's status callback (`services.receipts`).
    "undelivered": Q(sent_at__isnull=False, delivery_status__in=["undelivered", "failed"]),
}


def outbox_counts(*, agency: Agency) -> dict:
    """{"channels": [{"channel", "label", "pending", "failing", "given_up", "sent", "undelivered"}], "total": {…}}:
    rows not sent, and those sent in the last 24 hours (and of them, those not delivered), per channel (one
    query)."""
    since = timezone.now() - SENT_WINDOW
    recent = Q(sent_at__gte=since)
    rows = (
        Notification.objects.for_agency(agency)
        .filter(_UNSENT | recent)
        .values("channel")
        .annotate(
            pending=Count("pk", filter=STATE_FILTERS["pending"]),
            failing=Count("pk", filter=STATE_FILTERS["failing"]),
            given_up=Count("pk", filter=STATE_FILTERS["given_up"]),
            sent=Count("pk", filter=recent),
            undelivered=Count("pk", filter=recent & STATE_FILTERS["undelivered"]),
        )
    )
    found = {row["channel"]: row for row in rows}
    labels = dict(Notification.Channel.choices)
    channels = [
        {"channel": code, "label": labels[code], **{state: found.get(code, {}).get(state, 0) for state in STATES}}
        for code in Notification.Channel.values
    ]
    total = {state: sum(row[state] for row in channels) for state in STATES}
    return {"channels": channels, "total": total}


def outbox_sms_account_problem(*, agency: Agency) -> Notification | None:
    """The newest text given up because of the agency's SMS account or sending number (credentials, a suspended
    account, a From number that cannot send), if no text has gone out since: then no text is going out, and the
    page says why. None otherwise (also once staff put the rows back in the queue)."""
    from messaging.twilio_errors import ACCOUNT_CODES

    texts = Notification.objects.for_agency(agency).filter(channel=Notification.Channel.SMS)
    refused = (
        texts.filter(STATE_FILTERS["given_up"], last_attempt_at__isnull=False)
        .filter(error_code__in=[f"twilio:{code}" for code in sorted(ACCOUNT_CODES)])
        .defer("body", "html_body")
        .order_by("-last_attempt_at")
        .first()
    )
    if refused is None or texts.filter(sent_at__gt=refused.last_attempt_at).exists():
        return None
    return refused


def outbox_rows(*, agency: Agency, state: str = "", channel: str = "") -> QuerySet[Notification]:
    """The agency's outbox rows in `state` (one of STATES, or all) on `channel` (or all), newest first, with
    their report's reference. The message's body is not read."""
    rows = (
        Notification.objects.for_agency(agency).defer("body", "html_body").annotate(reference=F("request__reference"))
    )
    if state in STATE_FILTERS:
        rows = rows.filter(STATE_FILTERS[state])
    if channel in Notification.Channel.values:
        rows = rows.filter(channel=channel)
    return rows.order_by("-created_at", "-pk")
