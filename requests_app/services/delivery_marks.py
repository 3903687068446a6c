"""What a notification run remembers in Redis at once, outside its transaction (a run is one transaction for its
whole batch, and a worker killed before its commit leaves every row of it unsent): per row and try, that its send
began (`in_flight_*`) and what the server answered when it took it (`accepted_*`). The next run records a taken
row sent without sending it again, and looks up a row whose send was in flight (texts: Twilio's message list).
Without Redis: at least once, as before the marks."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from requests_app.models import Notification

logger = logging.getLogger(__name__)


def _key(kind: str, row: Notification) -> str:
    return f"notify:{kind}:a{row.agency_id}:{row.pk}:{row.delivery_retries}"


def accepted_get(row: Notification) -> str | None:
    """What the mail server or Twilio answered for this row's current try in a run that never committed (its
    worker was killed after the send), else None."""
    try:
        return cache.get(_key("sent", row))
    except Exception:  # noqa: BLE001 - without Redis: at least once, as before the marks
        return None


def accepted_set(row: Notification, provider_id) -> None:
    """Remember at once that the server took the row: a worker killed before the run's commit would otherwise send
    every message of the batch it had sent again."""
    try:
        value = provider_id if isinstance(provider_id, str) else ""
        cache.set(_key("sent", row), value, timeout=settings.MESSAGING_SENT_MARK_SECONDS)
    except Exception:  # noqa: BLE001 - the send stands; only a kill before the commit would repeat it
        logger.warning("Could not record the send of notification %s in Redis", row.pk)


def in_flight_set(row: Notification) -> None:
    """Remember, right before the send, that it began and when: a worker killed while it is in flight (the server
    may or may not have the message) leaves this without an answer beside it."""
    try:
        cache.set(_key("flight", row), timezone.now().isoformat(), timeout=settings.MESSAGING_SENT_MARK_SECONDS)
    except Exception:  # noqa: BLE001 - the send goes ahead; a kill in flight would repeat it (at least once)
        logger.warning("Could not record the start of notification %s's send in Redis", row.pk)


def in_flight_get(row: Notification) -> datetime | None:
    """When this row's current try last began to be sent without an answer recorded (a run that never committed, or
    a send that failed), else None."""
    try:
        value = cache.get(_key("flight", row))
    except Exception:  # noqa: BLE001 - without Redis: at least once
        return None
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
