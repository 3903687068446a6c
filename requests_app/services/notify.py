"""Notifications (emails, texts, and lines in a follower's chat conversation) through an outbox: rows are
written in the transaction that causes them and sent after commit by Celery (`deliver_notifications`). This
module writes them; `requests_app.services.delivery` sends them (each row locked, so concurrent or retried
tasks never send a message twice; a failed send is recorded on the row and retried on its schedule)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from requests_app.models import Follower, Notification, ServiceRequest
from requests_app.services.delivery import (  # noqa: F401 - their old home: callers import them from here
    deliver_on_commit,
    notifications_deliver,
)
from requests_app.services.delivery_sms import sms_configured, sms_connection  # noqa: F401 - as above
from tenants.models import Agency, Department
from tenants.timezones import agency_time, agency_zone

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
