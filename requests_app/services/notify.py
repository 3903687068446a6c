"""Notifications (emails, and lines in a follower's chat conversation) through an outbox: rows are
written in the transaction that causes them and sent after commit by Celery (`deliver_notifications`). Delivery locks each row, so concurrent or
retried tasks never send a message twice, and a failed send is retried without losing it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from requests_app.models import Follower, Notification, ServiceRequest
from tenants.models import Agency, Department
from tenants.timezones import agency_time, agency_zone

logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "requests_app.unsubscribe"


def unsubscribe_token(follower: Follower) -> str:
    return signing.dumps({"a": follower.agency_id, "f": follower.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(*, agency: Agency, token: str) -> int | None:
    """The follower id a token stands for, if it is genuine and of this agency."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != agency.pk or not isinstance(data.get("f"), int):
        return None
    return data["f"]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _language(agency: Agency, *candidates: str) -> str:
    for code in candidates:
        if code and code in dict(settings.LANGUAGES):
            return code
    return (agency.languages or [settings.LANGUAGE_CODE])[0]


def _render(template: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language), agency_time(context.get("agency")):
        text = render_to_string(template, context).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip()[:250], body.strip() + "\n"


def _context(request: ServiceRequest, **extra) -> dict:
    agency = request.agency
    track = reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={request.reference}"
    local = timezone.localtime(request.created_at, agency_zone(agency))
    return {"agency": agency, "request": request, "track_url": absolute(track), "created_local": local, **extra}


def notify_followers(
    *, request: ServiceRequest, template: str, chat_template: str = "", exclude: Iterable[int] = (), **context
) -> list[Notification]:
    """Queue one email per subscribed email follower, each with its own unsubscribe link, and (with
    `chat_template`) one line per chat conversation following the request."""
    rows = followers_notifications(
        requests=[request], template=template, chat_template=chat_template, exclude=exclude, context=lambda r: context
    )
    if rows:
        Notification.objects.bulk_create(rows)  # not audited on purpose (see the model)
    return rows


def followers_notifications(
    *,
    requests: Sequence[ServiceRequest],
    template: str,
    chat_template: str = "",
    context: Callable[[ServiceRequest], dict] = lambda request: {},
    exclude: Iterable[int] = (),
) -> list[Notification]:
    """The notifications (unsaved) to the subscribed followers of `requests` (one agency's), read
    in one query: an email per email follower, in their language with their own unsubscribe link;
    with `chat_template`, a line per following chat conversation."""
    if not requests:
        return []
    agency = requests[0].agency
    channels = Q(email__gt="")
    if chat_template:
        channels |= Q(chat_conversation__gt="")
        if sms_configured(agency):
            channels |= Q(phone__gt="")
    followers = Follower.objects.for_agency(agency).filter(
        channels, request_id__in=[request.pk for request in requests], unsubscribed_at__isnull=True
    )
    by_request: dict[int, list[Follower]] = {}
    excluded = set(exclude)
    for follower in followers.order_by("pk"):
        if follower.pk not in excluded:
            by_request.setdefault(follower.request_id, []).append(follower)
    rows = []
    for request in requests:
        for follower in by_request.get(request.pk, ()):
            language = _language(agency, follower.language, request.language)
            if follower.email:
                unsubscribe = absolute(
                    reverse(
                        "requests:unsubscribe",
                        kwargs={"agency_slug": agency.slug, "token": unsubscribe_token(follower)},
                    )
                )
                subject, body = _render(
                    template, language, _context(request, unsubscribe_url=unsubscribe, **context(request))
                )
                channel, recipient = Notification.Channel.EMAIL, follower.email
            else:
                subject, body = _render(chat_template, language, _context(request, **context(request)))
                if follower.chat_conversation:
                    channel, recipient = Notification.Channel.CHAT, follower.chat_conversation
                else:
                    channel, recipient = Notification.Channel.SMS, follower.phone
            rows.append(
                Notification(
                    agency=agency,
                    request=request,
                    follower=follower,
                    channel=channel,
                    recipient=recipient,
                    subject=subject,
                    body=body,
                )
            )
    return rows


def department_notification(
    *, request: ServiceRequest, department: Department, template: str, **context
) -> Notification:
    """The email (unsaved) telling a department about a request."""
    staff_url = absolute(
        reverse("requests:staff-detail", kwargs={"agency_slug": request.agency.slug, "reference": request.reference})
    )
    subject, body = _render(
        template, _language(request.agency), _context(request, department=department, staff_url=staff_url, **context)
    )
    return Notification(agency=request.agency, request=request, recipient=department.email, subject=subject, body=body)


def notify_address(*, agency: Agency, recipient: str, template: str, request=None, language="", **context) -> None:
    subject, body = _render(template, _language(agency, language), {"agency": agency, **context})
    Notification.objects.create(agency=agency, request=request, recipient=recipient, subject=subject, body=body)


def deliver_on_commit(*, agency: Agency, request_id: int | None = None) -> None:
    transaction.on_commit(lambda: _deliver_soon(agency_id=agency.pk, request_id=request_id))


def _deliver_soon(*, agency_id: int, request_id: int | None) -> None:
    """Queue the delivery. With the broker away the change is committed all the same and its emails wait
    in the outbox: the SLA sweep (beat, every 5 minutes) sends them once the broker is back. Raising here
    would answer a 500 for a change that was saved."""
    from requests_app.tasks import deliver_notifications

    try:
        deliver_notifications.delay(agency_id=agency_id, request_id=request_id)
    except Exception:
        logger.exception("Could not queue email delivery for agency %s; the outbox keeps it", agency_id)


def notifications_deliver(
    *, agency: Agency, request_id: int | None = None, request_ids: Iterable[int] | None = None, limit: int = 200
) -> int:
    """Send pending emails (of one request, of some, or all of the agency's) over one connection to
    the mail server. Returns how many were sent; re-raises
    the first sending error after the others were tried, so the task is retried.

    The rows are locked (SKIP LOCKED) while they are sent, so a concurrent or repeated run never sends
    one twice; a message whose send succeeded but whose commit failed may be sent again (at least once)."""
    pending = Notification.objects.for_agency(agency).filter(sent_at__isnull=True)
    if request_id is not None:
        pending = pending.filter(request_id=request_id)
    if request_ids is not None:
        pending = pending.filter(request_id__in=list(request_ids))
    sent, failed, failure = [], [], None
    with transaction.atomic():
        rows = list(
            pending.select_for_update(skip_locked=True, of=("self",)).select_related("follower").order_by("pk")[:limit]
        )

        def attempt(row: Notification, deliver) -> None:
            nonlocal failure
            try:
                deliver()
            except Exception as exc:  # noqa: BLE001 - recorded, and re-raised below for a retry
                logger.warning("Delivering notification %s failed: %s", row.pk, exc)
                failed.append(row.pk)
                failure = failure or exc
            else:
                sent.append(row.pk)

        for row in rows:
            if row.channel == Notification.Channel.CHAT:
                attempt(row, lambda row=row: _post_to_chat(agency, row))
            elif row.channel == Notification.Channel.SMS:
                attempt(row, lambda row=row: _send_sms(row))
        emails = [row for row in rows if row.channel == Notification.Channel.EMAIL]
        connection = get_connection()
        try:
            if emails:
                connection.open()  # one connection for the batch (send() alone opens one per message)
        except Exception as exc:  # noqa: BLE001 - the mail server is down: retried below
            logger.warning("Opening the mail connection failed: %s", exc)
            failed, failure, emails = failed + [row.pk for row in emails], failure or exc, []
        for row in emails:
            unsubscribe = _unsubscribe_header(agency, row)
            message = EmailMessage(
                subject=row.subject,
                body=row.body,
                to=[row.recipient],
                headers={"List-Unsubscribe": f"<{unsubscribe}>"} if unsubscribe else None,
                connection=connection,
            )
            attempt(row, message.send)
        connection.close()
        # Not audited (see the model), so plain UPDATEs are fine here.
        if sent:
            Notification.objects.for_agency(agency).filter(pk__in=sent).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1
            )
        if failed:
            Notification.objects.for_agency(agency).filter(pk__in=failed).update(attempts=F("attempts") + 1)
    if failure is not None:
        raise failure
    return len(sent)


def sms_configured(agency: Agency | None = None) -> bool:
    """Texts can go out: the agency's own SMS channel (`channel_connect … sms`) or the installation's gateway."""
    if agency is not None and sms_connection(agency) is not None:
        return True
    return bool(settings.SMS_BASE_URL and settings.SMS_ACCOUNT_SID and settings.SMS_AUTH_TOKEN and settings.SMS_FROM)


def sms_connection(agency: Agency):
    from messaging.selectors import connection_get

    connection = connection_get(agency=agency, kind="sms")
    return connection if connection is not None and connection.is_active else None


def _send_sms(row: Notification) -> None:
    """One text message through Twilio's Messages API (`messaging.twilio_api`): from the agency's SMS
    channel when it has one, else the configured gateway. Nothing goes to a number that sent STOP to
    the agency. A gateway error raises, so the row stays pending and the task is retried."""
    from messaging.selectors import identity_opted_out
    from messaging.twilio_api import twilio_message_send

    agency = row.agency
    if identity_opted_out(agency=agency, kind="sms", external_id=row.recipient):
        logger.info("Notification %s: %s opted out of texts", row.pk, row.recipient)
        return
    connection = sms_connection(agency)
    if connection is not None:
        from messaging.providers import get_provider

        base, sid = get_provider("sms").api_base(connection), connection.setting("account_sid")
        token, sender = connection.secret("auth_token"), connection.setting("from_number")
    elif sms_configured():
        base, sid, token, sender = (
            settings.SMS_BASE_URL,
            settings.SMS_ACCOUNT_SID,
            settings.SMS_AUTH_TOKEN,
            settings.SMS_FROM,
        )
    else:
        raise ConnectionError("No SMS gateway is configured.")
    text = f"{row.subject}\n{row.body}".strip()
    twilio_message_send(api_base=base, account_sid=sid, auth_token=token, sender=sender, to=row.recipient, body=text)


def _post_to_chat(agency: Agency, row: Notification) -> None:
    """A line in the conversation the follower reported or followed from (in the same transaction:
    it is posted exactly when the row is marked sent). A conversation that no longer exists here
    gets nothing."""
    from chat.services import system_message_post

    text = f"{row.subject}\n{row.body}".strip()
    if system_message_post(agency=agency, conversation_id=row.recipient, text=text, news=True) is None:
        logger.info("Notification %s: conversation %s is gone", row.pk, row.recipient)


def _unsubscribe_header(agency: Agency, row: Notification) -> str:
    if row.follower is None:
        return ""
    return absolute(
        reverse("requests:unsubscribe", kwargs={"agency_slug": agency.slug, "token": unsubscribe_token(row.follower)})
    )
