"""An alert's fan-out: one delivery row per reached subscription and channel, written in chunks that yield.

Sending needs little CPU (the providers' limits: 80 messages a second for e-mail and SMS together), but writing
100,000 rows at once took both cores of a small server for 8.7 s, and the chat's answers waited behind it
(bench/crisis/RESULTS.md). So the rows are written `CRISIS_FAN_OUT_CHUNK` subscriptions at a time, each chunk
one INSERT … SELECT in PostgreSQL (no model instance per row), and after each chunk the task sleeps
`CRISIS_FAN_OUT_YIELD` times as long as the chunk took (at most `MAX_PAUSE_S`): other work gets the cores in
between, and on a busy machine the chunks slow down by themselves. The senders start after the first chunk, so the first messages
do not wait for the last rows. Subscribers with a place are matched against a drawn area in Python (`geo`).

Repeating a fan-out writes nothing twice (the unique constraint; `ON CONFLICT DO NOTHING`)."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.sql import agency_cursor
from crisis import geo
from crisis.models import PERSONAL_CHANNELS, Alert, Delivery, Subscription
from tenants.models import Agency

# One chunk: the next `limit` active subscriptions (by id) on the alert's channels; rows that need no area test
# (a whole-jurisdiction alert, or a subscriber without a place) are inserted here, the others are returned for
# the area test in Python.
_CHUNK_SQL = """
WITH chunk AS (
    SELECT id, channel, lat, lon, radius_km FROM crisis_subscription
    WHERE agency_id = %(agency)s AND id > %(after)s AND channel = ANY(%(channels)s)
        AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AND rejected_at IS NULL
    ORDER BY id LIMIT %(limit)s
), written AS (
    INSERT INTO crisis_delivery
        (agency_id, alert_id, subscription_id, channel, status, attempts, permanent, error, provider_id, in_doubt,
         skip_reason, retries)
    SELECT %(agency)s, %(alert)s, id, channel, 'queued', 0, false, '', '', false, '', 0 FROM chunk
    WHERE %(whole)s OR lat IS NULL OR lon IS NULL
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT max(id) FROM chunk), (SELECT count(*) FROM chunk), (SELECT count(*) FROM written),
    (SELECT coalesce(json_agg(json_build_array(id, channel, lat, lon, radius_km)), '[]')
     FROM chunk WHERE NOT %(whole)s AND lat IS NOT NULL AND lon IS NOT NULL)
"""


# At most this long after each chunk: 100,000 subscriptions are 50 chunks, so at most 25 s of pauses on a machine
# so busy that every chunk is slow (the issue: every row queued within 60 s of "send").
MAX_PAUSE_S = 0.5


def _alert_channels(alert: Alert) -> list[str]:
    return [c for c in alert.channels if c in PERSONAL_CHANNELS]


def _chunk_write(*, agency: Agency, alert: Alert, channels: list[str], after: int, limit: int) -> tuple[int, int, int]:
    """Write one chunk's deliveries. Returns (last subscription id scanned, subscriptions scanned, rows written)."""
    whole = alert.area_kind == "whole"
    params = {"agency": agency.pk, "alert": alert.pk, "after": after, "channels": channels, "limit": limit}
    with agency_cursor(agency) as cursor:
        cursor.execute(_CHUNK_SQL, {**params, "whole": whole})
        last, scanned, written, placed = cursor.fetchone()
    if isinstance(placed, str):
        placed = json.loads(placed)
    reached = [
        Delivery(agency=agency, alert=alert, subscription_id=pk, channel=channel)
        for pk, channel, lat, lon, radius in placed
        if geo.reaches(alert.area_kind, alert.area, lat, lon, radius)
    ]
    if reached:
        written += len(Delivery.objects.bulk_create(reached, ignore_conflicts=True))
    return last or after, scanned, written


def alert_fan_out(*, agency: Agency, alert_id: int) -> int:
    """Write the alert's deliveries (one per reached subscription and channel; repeating it adds none) in
    chunks that yield the CPU between them, and start the senders after the first. Returns the rows written by
    this call."""
    from crisis.services.delivery import alert_finish_if_done, senders_start

    alert = Alert.objects.for_agency(agency).filter(pk=alert_id, status=Alert.Status.SENDING).first()
    if alert is None:
        return 0
    channels = _alert_channels(alert)
    before = Delivery.objects.for_agency(agency).filter(alert=alert).count()
    chunk, pause = settings.CRISIS_FAN_OUT_CHUNK, settings.CRISIS_FAN_OUT_YIELD
    after, written, senders_started = 0, 0, False
    while channels:
        started = time.monotonic()
        after, scanned, new = _chunk_write(agency=agency, alert=alert, channels=channels, after=after, limit=chunk)
        written += new
        if not senders_started and written:
            senders_start(agency=agency, alert=alert, channels=channels)
            senders_started = True
        if scanned < chunk:
            break
        if pause:
            time.sleep(min(pause * (time.monotonic() - started), MAX_PAUSE_S))
    total = Delivery.objects.for_agency(agency).filter(alert=alert).count()
    # Outbox bookkeeping, not an edit of the alert (its submission is the audited act).
    Alert.objects.for_agency(agency).filter(pk=alert.pk).update(recipients=total, fanned_out_at=timezone.now())
    if not alert_finish_if_done(agency=agency, alert_id=alert.pk) and not senders_started:
        senders_start(agency=agency, alert=alert)  # a repeated fan-out (the sweep's) with rows left to send
    return total - before


def recipients_count(*, agency: Agency, alert: Alert) -> int:
    """How many deliveries the alert will make: counted by PostgreSQL, except the subscribers with a place
    when the alert has a drawn area (tested in Python, as the fan-out does)."""
    channels = _alert_channels(alert)
    if not channels:
        return 0
    active = Subscription.objects.for_agency(agency).filter(
        channel__in=channels, confirmed_at__isnull=False, unsubscribed_at__isnull=True, rejected_at__isnull=True
    )
    if alert.area_kind == "whole":
        return active.count()
    count = active.filter(Q(lat__isnull=True) | Q(lon__isnull=True)).count()
    placed = active.filter(lat__isnull=False, lon__isnull=False).values_list("lat", "lon", "radius_km")
    return count + sum(
        1
        for lat, lon, radius in placed.iterator(chunk_size=5000)
        if geo.reaches(alert.area_kind, alert.area, lat, lon, radius)
    )
