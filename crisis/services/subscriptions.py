"""Citizens' alert subscriptions: started on the web (confirmed by a link or a code sent to the address) or in
chat (the conversation asked itself: confirmed at once), optionally for an area around a pin or a geocoded
address; one-step unsubscribe from every message (link, STOP by SMS, a word in chat). Consent is recorded with
its time and channel. Confirmation messages leave through the notification outbox (requests_app)."""

from __future__ import annotations

import re
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from crisis.models import MESSAGING_CHANNELS, Channel, Subscription
from crisis.tokens import subscription_token
from tenants.models import Agency

PHONE = re.compile(r"^\+?[0-9]{7,15}$")
DEFAULT_RADIUS_KM = 2.0
MAX_CODE_TRIES = 5


def phone_normalize(value: str) -> str:
    return re.sub(r"[\s().-]", "", value or "")


def _clean_place(*, agency: Agency, lat, lon, radius_km, place: str):
    place = (place or "").strip()[:300]
    if lat in (None, "") and lon in (None, ""):
        if not place:
            return None, None, None, ""
        from geocoding.selectors import address_forward

        found = address_forward(agency=agency, text=place)
        if found is None:
            raise ValidationError(
                {"place": _("We could not find that address here; check it or place a pin on the map.")}
            )
        lat, lon, place = found.lat, found.long, found.address
    try:
        lat, lon = float(lat), float(lon)
        radius = float(radius_km) if radius_km not in (None, "") else DEFAULT_RADIUS_KM
    except (TypeError, ValueError):
        raise ValidationError({"place": _("The place must be a latitude, a longitude and a radius in km.")}) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"place": _("That place is not on the map.")})
    if not 0.1 <= radius <= 100:
        raise ValidationError({"radius_km": _("Choose a radius between 0.1 and 100 km.")})
    return lat, lon, radius, place


@transaction.atomic
def subscription_start(
    *,
    agency: Agency,
    channel: str,
    address: str,
    language: str = "",
    lat=None,
    lon=None,
    radius_km=None,
    place: str = "",
    consent_channel: str = "web",
    now=None,
) -> Subscription:
    """Ask for alerts on the web: stores the request and sends a confirmation (link by e-mail, code by SMS).
    An address already subscribed is left as it is (a stranger cannot change or stop someone's alerts).
    `consent_channel` says where the box was ticked: `web` (the alerts page), `report` (a report's form or
    following one)."""
    from requests_app.services.notify import sms_configured

    now = now or timezone.now()
    address = (address or "").strip()
    if channel == Channel.EMAIL:
        address = address.lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"address": _("Enter a valid e-mail address.")}) from None
    elif channel == Channel.SMS:
        if not sms_configured(agency):
            raise ValidationError({"channel": _("Text messages are not available here.")})
        address = phone_normalize(address)
        if not PHONE.match(address):
            raise ValidationError({"address": _("Enter a phone number with its country code, e.g. +1 555 010 2030.")})
    else:
        raise ValidationError({"channel": _("Choose e-mail or text message.")})
    if language not in agency.languages:
        language = agency.languages[0]
    lat, lon, radius, place = _clean_place(agency=agency, lat=lat, lon=lon, radius_km=radius_km, place=place)
    existing = (
        Subscription.objects.for_agency(agency).select_for_update().filter(channel=channel, address=address).first()
    )
    if existing is not None and existing.active:
        return existing
    subscription = existing or Subscription(agency=agency, channel=channel, address=address)
    subscription.language = language
    subscription.lat, subscription.lon, subscription.radius_km, subscription.area_label = lat, lon, radius, place
    subscription.confirm_code = f"{secrets.randbelow(10**6):06d}"
    subscription.confirmed_at = subscription.unsubscribed_at = subscription.rejected_at = None
    subscription.consent_at, subscription.consent_channel = now, consent_channel
    subscription.full_clean()
    subscription.save()
    _send_confirmation(agency=agency, subscription=subscription)
    return subscription


def _send_confirmation(*, agency: Agency, subscription: Subscription) -> None:
    from requests_app.models import Notification
    from requests_app.services.notify import absolute, deliver_on_commit

    link = absolute(
        reverse("crisis:confirm", kwargs={"agency_slug": agency.slug, "token": subscription_token(subscription)})
    )
    from django.utils import translation

    with translation.override(subscription.language):
        if subscription.channel == Channel.EMAIL:
            subject = _("Confirm your alerts from %(agency)s") % {"agency": agency.public_name}
            body = _(
                "Someone (we hope you) asked for emergency alerts from %(agency)s at this address.\n"
                "Confirm with this link: %(link)s?code=%(code)s\n\nIf it was not you, ignore this message."
            ) % {"agency": agency.public_name, "link": link, "code": subscription.confirm_code}
            channel = Notification.Channel.EMAIL
        else:
            subject = ""
            body = _("%(agency)s alerts: your code is %(code)s. Reply STOP to opt out.") % {
                "agency": agency.public_name,
                "code": subscription.confirm_code,
            }
            channel = Notification.Channel.SMS
    Notification.objects.create(
        agency=agency, channel=channel, recipient=subscription.address, subject=subject[:250], body=body
    )
    deliver_on_commit(agency=agency)


@transaction.atomic
def subscription_confirm(*, agency: Agency, subscription_id: int, code: str, now=None) -> Subscription:
    subscription = Subscription.objects.for_agency(agency).select_for_update().filter(pk=subscription_id).first()
    if subscription is None:
        raise ValidationError(_("This link is no longer valid; subscribe again."))
    if subscription.active:
        return subscription
    tries_key = f"crisis:confirm-tries:{agency.pk}:{subscription.pk}"
    tries = cache.get(tries_key, 0)
    if tries >= MAX_CODE_TRIES:
        raise ValidationError(_("Too many wrong codes; subscribe again to get a new one."))
    if not subscription.confirm_code or not constant_time_compare((code or "").strip(), subscription.confirm_code):
        cache.set(tries_key, tries + 1, 3600)
        raise ValidationError(_("That code is not right; check the message we sent."))
    subscription.confirmed_at = now or timezone.now()
    subscription.unsubscribed_at = None
    subscription.confirm_code = ""
    subscription.save()
    cache.delete(tries_key)
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, agency: Agency, subscription_id: int, now=None) -> Subscription | None:
    subscription = Subscription.objects.for_agency(agency).select_for_update().filter(pk=subscription_id).first()
    if subscription is None:
        return None
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = now or timezone.now()
        subscription.save()
    return subscription


def subscriptions_stop_sms(*, agency: Agency, phone: str) -> int:
    """STOP by text message: every SMS subscription of that number here ends."""
    ids = (
        Subscription.objects.for_agency(agency)
        .filter(channel=Channel.SMS, address=phone_normalize(phone), unsubscribed_at__isnull=True)
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in list(ids) if subscription_unsubscribe(agency=agency, subscription_id=pk))


@transaction.atomic
def subscription_chat(*, agency: Agency, conversation_id: str, language: str, now=None) -> Subscription:
    """ "Subscribe to alerts" in a conversation (the web chat, or WhatsApp, Telegram, Messenger through the
    messaging app): the conversation itself asked, so it is confirmed at once."""
    from chat.models import Conversation

    now = now or timezone.now()
    address = str(conversation_id)
    kind = Conversation.objects.for_agency(agency).filter(pk=conversation_id).values_list("channel", flat=True).first()
    channel = kind if kind in MESSAGING_CHANNELS else Channel.CHAT
    subscription = (
        Subscription.objects.for_agency(agency).select_for_update().filter(channel=channel, address=address).first()
    ) or Subscription(agency=agency, channel=channel, address=address)
    if subscription.active:
        return subscription
    subscription.language = language if language in agency.languages else agency.languages[0]
    subscription.confirmed_at = subscription.consent_at = now
    subscription.consent_channel = channel
    subscription.unsubscribed_at = subscription.rejected_at = None
    subscription.full_clean()
    subscription.save()
    return subscription


def subscription_chat_stop(*, agency: Agency, conversation_id: str) -> bool:
    row = (
        Subscription.objects.for_agency(agency)
        .filter(channel__in=[Channel.CHAT, *MESSAGING_CHANNELS], address=str(conversation_id))
        .first()
    )
    if row is None or row.unsubscribed_at is not None:
        return False
    subscription_unsubscribe(agency=agency, subscription_id=row.pk)
    return True


FOLLOWER_RADIUS_KM = 2.0


def subscription_for_follower(*, agency: Agency, email: str, request, language: str = "") -> Subscription | None:
    """Someone who reports or follows a problem and ticks "also send me emergency alerts for this area": an
    e-mail subscription around the report's place (`FOLLOWER_RADIUS_KM`; the whole jurisdiction when the report
    has no point), confirmed by the same link as on the alerts page, consent recorded as given on a report.
    None when there is no address to write to."""
    if not (email or "").strip():
        return None
    has_point = request.lat is not None and request.long is not None
    return subscription_start(
        agency=agency,
        channel=Channel.EMAIL,
        address=email,
        language=language,
        lat=request.lat if has_point else None,
        lon=request.long if has_point else None,
        radius_km=FOLLOWER_RADIUS_KM if has_point else None,
        place=(request.address or "")[:300] if has_point else "",
        consent_channel="report",
    )
