"""The live delivery report of an alert: counts per channel and status (sent, delivered, failed, and skipped apart:
nothing was sent to those by design, with the reasons counted), and the latest failures."""

from __future__ import annotations

import re

from django.db.models import Count, Sum

from crisis.models import Alert, Channel, Delivery, DeliveryCount
from tenants.models import Agency


def _channel_label(channel: str) -> str:
    """The channel's name for staff, in their language ("email" is "E-mail", "Correo electrónico", …)."""
    return str(dict(Channel.choices).get(channel, channel))


def _carrier_reason(channel: str, error: str) -> str:
    """Staff's words for a text the carrier did not deliver (the status callback's ErrorCode: "not delivered:
    30003 …" is "The phone could not be reached …"), "" otherwise."""
    from messaging.twilio_errors import delivery_error_reason

    found = re.match(r"not delivered: (\d{5})\b", error or "")
    return delivery_error_reason(found.group(1)) if channel == "sms" and found else ""


def delivery_report(*, agency: Agency, alert: Alert) -> dict:
    """Counts per channel and status (the trigger-kept counters: a few dozen rows however many deliveries),
    and the latest failures."""
    counts: dict[str, dict[str, int]] = {}
    rows = (
        DeliveryCount.objects.for_agency(agency)
        .filter(alert=alert)
        .values_list("channel", "status")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for channel, status, n in rows:
        if not n:
            continue
        counts.setdefault(channel, dict.fromkeys(Delivery.Status.values, 0))[status] = n
    skipped = _skip_reasons(agency, alert) if any(c["skipped"] for c in counts.values()) else {}
    channels = []
    for channel, by_status in sorted(counts.items()):
        total = sum(by_status.values())
        done = _done(by_status)
        channels.append(
            {
                "channel": channel,
                "channel_label": _channel_label(channel),
                "total": total,
                **by_status,
                "skipped_reasons": skipped.get(channel, []),
                "percent": round(100 * done / total) if total else 100,
            }
        )
    failures = list(
        Delivery.objects.for_agency(agency)
        .filter(alert=alert, status=Delivery.Status.FAILED)
        .select_related("subscription")
        .order_by("-pk")[:50]
        .values("pk", "channel", "error", "permanent", "attempts", "subscription__address")
    )
    for failure in failures:
        failure["channel_label"] = _channel_label(failure["channel"])
        failure["reason"] = _carrier_reason(failure["channel"], failure["error"])
    total = sum(c["total"] for c in channels)
    done = sum(_done(c) for c in channels)
    return {
        "status": alert.status,
        "status_display": str(alert.get_status_display()),
        "channels": channels,
        "failures": failures,
        "total": total,
        "totals": {status: sum(c[status] for c in channels) for status in Delivery.Status.values},
        "percent": round(100 * done / total) if total else 100,
    }


def _done(by_status: dict) -> int:
    """Deliveries that reached their end: sent, delivered, failed or skipped."""
    return sum(by_status[status] for status in ("sent", "delivered", "failed", "skipped"))


def _skip_reasons(agency: Agency, alert: Alert) -> dict[str, list[dict]]:
    """{channel: [{"reason", "label", "n"}]}: why the skipped deliveries were not sent, most frequent first (read
    only when the counters say some were skipped)."""
    labels = dict(Delivery.SkipReason.choices)
    rows = (
        Delivery.objects.for_agency(agency)
        .filter(alert=alert, status=Delivery.Status.SKIPPED)
        .values_list("channel", "skip_reason")
        .annotate(n=Count("pk"))
        .order_by("channel", "-n", "skip_reason")
    )
    reasons: dict[str, list[dict]] = {}
    for channel, reason, n in rows:
        reasons.setdefault(channel, []).append({"reason": reason, "label": str(labels.get(reason, reason)), "n": n})
    return reasons
