"""Composing, approving and sending alerts. An alert is validated whole before anything is stored (every
language it is sent in has its text, the area is a real shape, the time is not past); one to more people than
the agency's threshold waits for a second supervisor; sending fans out to the delivery outbox (`delivery`)."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_sentence
from crisis import geo
from crisis.models import MESSAGING_CHANNELS, Alert, Channel, Severity
from crisis.services.fan_out import alert_fan_out, recipients_count  # noqa: F401 - the services' names
from crisis.services.mode import actor_context, crisis_state_get
from tenants.context import agency_context, cross_agency
from tenants.models import Agency, Role
from tenants.selectors import user_has_role

logger = logging.getLogger(__name__)
PAST_GRACE = timedelta(seconds=60)
HEADLINE_MAX, INSTRUCTION_MAX, EVENT_MAX = 160, 2000, 100
APPROVERS = (Role.ADMIN, Role.SUPERVISOR)


def channels_available(agency: Agency | None = None) -> list[str]:
    """The channels that work here: a channel that cannot deliver is not offered (SMS needs a gateway; WhatsApp,
    Telegram and Messenger need the agency's active connection in the messaging app)."""
    from requests_app.services.notify import sms_configured

    channels = [Channel.WEB, Channel.CHAT, Channel.EMAIL]
    if sms_configured(agency):
        channels.append(Channel.SMS)
    if agency is not None:
        from messaging.models import ChannelConnection

        connected = set(
            ChannelConnection.objects.for_agency(agency).filter(is_active=True).values_list("kind", flat=True)
        )
        channels += [c for c in MESSAGING_CHANNELS if c in connected]
    return [str(c) for c in channels]


def _clean_texts(agency: Agency, texts: dict, *, required: bool = True) -> dict:
    if not isinstance(texts, dict) or not texts:
        raise ValidationError({"texts": _("Write the alert in at least one language.")})
    cleaned, missing = {}, []
    for language, text in texts.items():
        if language not in agency.languages:
            raise ValidationError(
                {
                    "texts": _("%(language)s is not one of this agency's languages (%(languages)s).")
                    % {"language": language, "languages": ", ".join(agency.languages)}
                }
            )
        text = text if isinstance(text, dict) else {}
        headline = str(text.get("headline") or "").strip()
        instruction = str(text.get("instruction") or "").strip()
        event = str(text.get("event") or "").strip()  # the event's name in this language ("Hochwasser")
        if not headline or (required and not instruction):
            missing.append(language)
            continue
        if len(headline) > HEADLINE_MAX or len(instruction) > INSTRUCTION_MAX or len(event) > EVENT_MAX:
            raise ValidationError(
                {
                    "texts": _("Keep the headline under %(h)d and the instructions under %(i)d characters.")
                    % {"h": HEADLINE_MAX, "i": INSTRUCTION_MAX}
                }
            )
        cleaned[language] = {"headline": headline, "instruction": instruction, **({"event": event} if event else {})}
    if missing:
        raise ValidationError(
            {
                "texts": _("The alert is sent in %(languages)s but has no headline and instructions there.")
                % {"languages": ", ".join(in_sentence(code) for code in missing)}
            }
        )
    return cleaned


def _clean_area(kind: str, area) -> dict:
    if kind == Alert.AreaKind.WHOLE:
        return {}
    if kind == Alert.AreaKind.CIRCLE:
        area = area if isinstance(area, dict) else {}
        return geo.circle_clean(area.get("lat"), area.get("lon"), area.get("radius_km"))
    if kind == Alert.AreaKind.POLYGON:
        points = area.get("points") if isinstance(area, dict) else area
        return geo.polygon_clean(points)
    raise ValidationError({"area": _("Choose the whole jurisdiction, a circle or a polygon.")})


def _identifier(agency: Agency, now) -> str:
    # CAP: no spaces, commas, "<" or "&"; unique per sender.
    return f"{agency.slug}-{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"


@transaction.atomic
def alert_create(
    *,
    agency: Agency,
    actor,
    texts: dict,
    channels: list[str],
    area_kind: str = Alert.AreaKind.WHOLE,
    area=None,
    area_desc: str = "",
    severity: str = Severity.SEVERE,
    event: str = "",
    urgency: str = "Immediate",
    certainty: str = "Observed",
    send_at=None,
    expires_at=None,
    msg_type: str = Alert.MsgType.ALERT,
    references: Alert | None = None,
    draft: bool = False,
    source: str = "",
    now=None,
) -> Alert:
    """Validate and store an alert, then send it (now or at `send_at`) or hold it for a second approval.
    Any bad input raises ValidationError with nothing stored and nothing sent."""
    now = now or timezone.now()
    if msg_type not in Alert.MsgType.values:
        raise ValidationError({"msg_type": _("Unknown message type.")})
    if msg_type != Alert.MsgType.ALERT:
        if references is None or references.agency_id != agency.pk:
            raise ValidationError({"references": _("An update or cancellation must name the alert it replaces.")})
        if references.status not in (Alert.Status.SENDING, Alert.Status.SENT):
            raise ValidationError({"references": _("Only an alert that was sent can be updated or cancelled.")})
        if alert_is_cancelled(agency=agency, alert=references):
            raise ValidationError({"references": _("That alert was already cancelled.")})
        references = references.references or references  # always the chain's original
    elif references is not None:
        raise ValidationError({"references": _("A new alert refers to no earlier one; send an update instead.")})
    texts = _clean_texts(agency, texts, required=msg_type != Alert.MsgType.CANCEL)
    channels = list(dict.fromkeys(channels or []))
    available = channels_available(agency)
    if not channels:
        raise ValidationError({"channels": _("Choose at least one channel.")})
    unknown = [c for c in channels if c not in available]
    if unknown:
        raise ValidationError({"channels": _("These channels cannot send here: %(c)s.") % {"c": ", ".join(unknown)}})
    area = _clean_area(area_kind, area)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    if send_at is not None and send_at < now - PAST_GRACE:
        raise ValidationError(
            {"send_at": _("The sending time is in the past; choose a time still to come, or send now.")}
        )
    if expires_at is not None and expires_at <= max(now, send_at or now):
        raise ValidationError({"expires_at": _("The alert would expire before it is sent.")})
    with actor_context(actor):
        alert = Alert(
            agency=agency,
            identifier=_identifier(agency, now),
            msg_type=msg_type,
            references=references,
            event=(event or (references.event if references else "") or "Emergency").strip()[:100],
            severity=severity,
            urgency=urgency,
            certainty=certainty,
            texts=texts,
            area_kind=area_kind,
            area=area,
            area_desc=(area_desc or "").strip()[:200],
            channels=channels,
            send_at=send_at if send_at and send_at > now else None,
            expires_at=expires_at,
            status=Alert.Status.DRAFT,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            source=source[:300],
        )
        alert.full_clean()
        alert.save()
        if not draft:
            _submit(agency=agency, alert=alert, now=now)
    return alert


def _submit(*, agency: Agency, alert: Alert, now) -> None:
    alert.recipients = recipients_count(agency=agency, alert=alert)
    threshold = crisis_state_get(agency=agency).approval_threshold
    if alert.recipients > threshold and alert.approved_by_id is None:
        alert.status = Alert.Status.PENDING
    else:
        _release(agency=agency, alert=alert, now=now)
        return
    alert.save(update_fields=["recipients", "status"])


def _release(*, agency: Agency, alert: Alert, now) -> None:
    if alert.send_at and alert.send_at > now:
        alert.status = Alert.Status.SCHEDULED
        alert.save(update_fields=["recipients", "status", "approved_by"])
        return
    alert.status, alert.sent_at = Alert.Status.SENDING, now
    alert.save(update_fields=["recipients", "status", "approved_by", "sent_at"])
    transaction.on_commit(lambda: _queue_fan_out(agency.pk, alert.pk))


def _queue_fan_out(agency_id: int, alert_id: int) -> None:
    from crisis.tasks import alert_fan_out_task

    try:
        alert_fan_out_task.delay(agency_id=agency_id, alert_id=alert_id)
    except Exception:  # the broker is away: the sweep (beat) fans it out when it is back
        logger.exception("Could not queue the fan-out of alert %s; the sweep will", alert_id)


@transaction.atomic
def alert_submit_draft(*, agency: Agency, actor, alert: Alert, now=None) -> Alert:
    """A draft (from an incoming CAP alert) goes out as if just composed by `actor`."""
    now = now or timezone.now()
    alert = Alert.objects.for_agency(agency).select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.DRAFT:
        raise ValidationError(_("This alert is not a draft."))
    with actor_context(actor):
        alert.created_by = actor
        alert.save(update_fields=["created_by"])
        _submit(agency=agency, alert=alert, now=now)
    return alert


@transaction.atomic
def alert_approve(*, agency: Agency, actor, alert: Alert, now=None) -> Alert:
    """The second person's approval: another admin or supervisor than the author."""
    now = now or timezone.now()
    alert = Alert.objects.for_agency(agency).select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.PENDING:
        raise ValidationError(_("This alert is not waiting for approval."))
    if not user_has_role(user=actor, agency=agency, roles=APPROVERS):
        raise ValidationError(_("Only an administrator or a supervisor can approve an alert."))
    if alert.created_by_id == actor.pk:
        raise ValidationError(_("A second person must approve: you wrote this alert."))
    if alert.send_at and alert.send_at < now - PAST_GRACE:
        alert.send_at = None  # approved late: it goes now rather than never
    with actor_context(actor):
        alert.approved_by = actor
        _release(agency=agency, alert=alert, now=now)
    return alert


@transaction.atomic
def alert_reject(*, agency: Agency, actor, alert: Alert) -> Alert:
    alert = Alert.objects.for_agency(agency).select_for_update().get(pk=alert.pk)
    if alert.status not in (Alert.Status.PENDING, Alert.Status.SCHEDULED, Alert.Status.DRAFT):
        raise ValidationError(_("Only an alert that has not gone out can be rejected."))
    if not user_has_role(user=actor, agency=agency, roles=APPROVERS):
        raise ValidationError(_("Only an administrator or a supervisor can reject an alert."))
    with actor_context(actor):
        alert.status = Alert.Status.REJECTED
        alert.save(update_fields=["status"])
    return alert


def alert_is_cancelled(*, agency: Agency, alert: Alert) -> bool:
    root = alert.references_id or alert.pk
    return (
        Alert.objects.for_agency(agency)
        .filter(references_id=root, msg_type=Alert.MsgType.CANCEL, status__in=[Alert.Status.SENDING, Alert.Status.SENT])
        .exists()
    )


def alerts_dispatch_due(*, now=None) -> int:
    """Scheduled alerts whose time has come go out (beat)."""
    now = now or timezone.now()
    count = 0
    # unscoped: the beat sweep finds due alerts of every agency, then sends each inside its agency
    scheduled = Alert.objects.unscoped()  # unscoped: beat finds due alerts of all agencies
    with cross_agency(reason="beat: due scheduled alerts of every agency, each sent inside its agency"):
        due = list(scheduled.filter(status=Alert.Status.SCHEDULED, send_at__lte=now).select_related("agency"))
    for alert in due:
        with agency_context(alert.agency), transaction.atomic():
            locked = (
                Alert.objects.for_agency(alert.agency)
                .select_for_update(skip_locked=True)
                .filter(pk=alert.pk, status=Alert.Status.SCHEDULED)
                .first()
            )
            if locked is None:
                continue
            locked.status, locked.sent_at = Alert.Status.SENDING, now
            locked.save(update_fields=["status", "sent_at"])
            transaction.on_commit(lambda a=locked: _queue_fan_out(a.agency_id, a.pk))
            count += 1
    return count
