"""The other outboxes on the notification outbox page (/a/<slug>/staff/outbox/), so staff see in one place what
happened to everything the agency sends: the messaging apps' lines (WhatsApp, Telegram, Messenger, SMS
conversations: `messaging.OutboundMessage`) that failed, are held outside a 24-hour window, are or were in doubt
(a worker died mid-send) or wait for a new try, each with its reason in plain words; and the alerts of the last days with their sent / delivered / failed / skipped
counts (`crisis`, the trigger-kept counters). Message bodies are never read; recipients are masked. Every read is
the agency's own (`for_agency`)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.pii import pii_mask
from messaging.models import OutboundMessage
from requests_app.outbox_mask import phone_masked

RECENT = timedelta(days=7)
# A line out at the provider, as a settled one is (its worker died mid-send; it was found there, not sent again).
OUT = (OutboundMessage.State.SENT, OutboundMessage.State.DELIVERED, OutboundMessage.State.READ)
PROBLEMS_SHOWN = 25


def _problems(agency) -> Q:
    """Failed, held or in doubt (`unknown`: its worker died mid-send) in the last days, sent again after a failure
    (whatever came of it), settled after its worker died (not sent again), or waiting for a new try (the partial
    index `messaging_problems` keeps all but the last)."""
    since = timezone.now() - RECENT
    return (
        Q(
            state__in=[OutboundMessage.State.FAILED, OutboundMessage.State.HELD, OutboundMessage.State.UNKNOWN],
            state_changed_at__gte=since,
        )
        | Q(retries__gt=0, state_changed_at__gte=since)
        | (~Q(settled_by="") & Q(state_changed_at__gte=since))
        | Q(state=OutboundMessage.State.PENDING, attempts__gt=0)
    )


def messaging_problems(*, agency) -> dict:
    """{"counts": [{"kind", "label", "failed", "held", "unknown", "retrying", "resent", "settled"}], "rows": [...]}: the
    agency's messaging lines that need a look, newest first, with staff's words for why."""
    from messaging.providers import get_provider

    rows = list(
        OutboundMessage.objects.for_agency(agency)
        .filter(_problems(agency))
        .select_related("identity", "connection")
        .defer("payload")
        .order_by("-state_changed_at", "-pk")[: PROBLEMS_SHOWN * 4]
    )
    counts: dict[str, dict] = {}
    now = timezone.now()
    for row in rows:
        kind = row.connection.kind
        provider = get_provider(kind)
        entry = counts.setdefault(
            kind,
            {
                "kind": kind,
                "label": provider.label if provider else kind,
                "failed": 0,
                "held": 0,
                "unknown": 0,
                "retrying": 0,
                "resent": 0,
                "settled": 0,
            },
        )
        bucket = "retrying" if row.state == OutboundMessage.State.PENDING else row.state
        if row.settled_by and row.state in OUT:
            bucket = "settled"
        if bucket in entry:
            entry[bucket] += 1
        else:  # sent again after a failure, and out now (sent, delivered, read)
            entry["resent"] += 1
        row.kind, row.kind_label = kind, entry["label"]
        row.masked = recipient_masked(row.identity.external_id)
        row.reason = outbound_reason(kind, row.state, row.error_code, label=entry["label"])
        if bucket == "settled":
            row.reason = settled_reason(row, label=entry["label"])
        row.error_shown = pii_mask(" ".join(row.error.split()), kinds=("email", "phone", "card", "iban", "ssn"))[:300]
        row.wait_seconds = (row.next_attempt_at - now).total_seconds() if row.next_attempt_at else 0
    return {"counts": sorted(counts.values(), key=lambda c: c["label"]), "rows": rows[:PROBLEMS_SHOWN]}


def recipient_masked(external_id: str) -> str:
    """A phone number as the outbox masks one; a messaging app's user id by its last characters."""
    digits = external_id.lstrip("+")
    if digits.isdigit():
        return phone_masked("+" + digits)
    return f"…{external_id[-4:]}" if external_id else "—"


def settled_reason(row: OutboundMessage, *, label: str) -> str:
    """Staff's words for a line whose worker died mid-send and that was found at the provider (not sent again)."""
    return _(
        "The app stopped while this message was being sent; %(how)s showed that %(app)s had it, so it was not sent "
        "again."
    ) % {"how": row.get_settled_by_display(), "app": label}


def outbound_reason(kind: str, state: str, code: str, *, label: str = "") -> str:
    """Staff's words for a messaging line's failure, hold, wait or doubt, in the active language ("" when none is
    known)."""
    from messaging.meta_errors import meta_error_reason
    from messaging.telegram_errors import telegram_error_reason
    from messaging.twilio_errors import delivery_error_reason, twilio_error_reason

    if state == OutboundMessage.State.UNKNOWN:
        return _(
            "The app stopped while this message was being sent, and %(app)s cannot be asked whether it got it. "
            "Check with the person (or in the conversation) before sending it again: they may have it already."
        ) % {"app": label or kind}
    if kind == "whatsapp" and state == OutboundMessage.State.HELD:
        return meta_error_reason(131047)
    if kind in ("whatsapp", "messenger"):
        return meta_error_reason(code)
    if kind == "sms":
        return twilio_error_reason(code) or delivery_error_reason(code)
    if kind == "telegram":
        return telegram_error_reason(code, given_up=state == OutboundMessage.State.FAILED)
    return ""


def recent_alerts(*, agency) -> list[dict]:
    """The alerts sent in the last days, newest first, with their totals per status (a few counter rows each)."""
    from crisis.models import Alert, DeliveryCount

    alerts = list(
        Alert.objects.for_agency(agency)
        .filter(created_at__gte=timezone.now() - RECENT, status__in=[Alert.Status.SENDING, Alert.Status.SENT])
        .only("pk", "identifier", "texts", "status", "created_at", "msg_type")
        .order_by("-created_at")[:10]
    )
    if not alerts:
        return []
    totals: dict[int, dict[str, int]] = {}
    for alert_id, status, n in (
        DeliveryCount.objects.for_agency(agency)
        .filter(alert_id__in=[alert.pk for alert in alerts])
        .values_list("alert_id", "status")
        .annotate(n=Sum("n"))
        .order_by()
    ):
        totals.setdefault(alert_id, {})[status] = n or 0
    result = []
    for alert in alerts:
        by_status = totals.get(alert.pk, {})
        result.append(
            {
                "alert": alert,
                "headline": alert.text(get_language() or "en").get("headline", "") or alert.identifier,
                **{s: by_status.get(s, 0) for s in ("queued", "sending", "sent", "delivered", "failed", "skipped")},
            }
        )
    return result
