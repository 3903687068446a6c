"""Reads of crisis mode, alerts and subscriptions, always within one agency."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from crisis.models import Alert, CapMessage, CapSource, Subscription
from tenants.models import Agency

CANCEL_SHOWN = timedelta(hours=24)


def alerts_for_staff(*, agency: Agency) -> QuerySet[Alert]:
    return Alert.objects.for_agency(agency).select_related("created_by", "approved_by", "references")


def alert_get(*, agency: Agency, alert_id: int) -> Alert | None:
    return alerts_for_staff(agency=agency).filter(pk=alert_id).first()


def alert_get_public(*, agency: Agency, identifier: str) -> Alert | None:
    return (
        Alert.objects.for_agency(agency)
        .filter(identifier=identifier, status__in=[Alert.Status.SENDING, Alert.Status.SENT])
        .filter(Q(channels__contains=["web"]) | Q(references__channels__contains=["web"]))
        .select_related("references")
        .first()
    )


def alerts_current(*, agency: Agency, now=None, with_cancels: bool = False) -> list[Alert]:
    """The newest message of each alert chain that went out on the web: an alert, or its latest update, while
    not expired and not cancelled (`with_cancels`: a cancellation of the last 24 hours instead, for feeds)."""
    now = now or timezone.now()
    sent = list(
        Alert.objects.for_agency(agency)
        .filter(status__in=[Alert.Status.SENDING, Alert.Status.SENT], channels__contains=["web"])
        .filter(sent_at__gte=now - timedelta(days=30))
        .order_by("-sent_at", "-pk")
    )
    latest: dict[int, Alert] = {}
    for alert in sent:
        latest.setdefault(alert.references_id or alert.pk, alert)
    current = []
    for alert in latest.values():
        if alert.msg_type == Alert.MsgType.CANCEL:
            if with_cancels and alert.sent_at >= now - CANCEL_SHOWN:
                current.append(alert)
            continue
        if alert.expires_at and alert.expires_at <= now:
            continue
        current.append(alert)
    return sorted(current, key=lambda a: a.sent_at, reverse=True)


def subscriptions_counts(*, agency: Agency) -> dict[str, int]:
    rows = Subscription.objects.for_agency(agency).filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True, rejected_at__isnull=True
    )
    counts = dict(rows.values_list("channel").annotate(n=Count("pk")).order_by())
    return {
        channel: counts.get(channel, 0) for channel in ("email", "sms", "chat", "whatsapp", "telegram", "messenger")
    }


def cap_sources(*, agency: Agency) -> QuerySet[CapSource]:
    return CapSource.objects.for_agency(agency)


def cap_source_get(*, agency: Agency, source_id: int) -> CapSource:
    """The agency's CAP source, or 404 (another agency's source does not exist here)."""
    from django.http import Http404

    source = CapSource.objects.for_agency(agency).filter(pk=source_id).first()
    if source is None:
        raise Http404("No such CAP source.")
    return source


def cap_messages_recent(*, agency: Agency, limit: int = 20) -> QuerySet[CapMessage]:
    return CapMessage.objects.for_agency(agency).select_related("source", "alert")[:limit]
