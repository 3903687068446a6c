"""Alert texts through Twilio's Messages API: the route (the agency's own SMS channel or the installation's
gateway), the send with its status callback, and the look-up of a text whose sender died mid-send."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from crisis.models import Delivery
from crisis.services.failures import PermanentFailure, Skipped
from messaging.twilio_errors import NUMBER_REFUSED_CODES as SMS_PERMANENT_CODES
from tenants.models import Agency

# The gateway's clock may be behind ours: a text it took is looked for from this long before the alert went out.
CLOCK_SKEW_SECONDS = 120


def _sms_route(agency: Agency) -> tuple[str, str, str, str] | None:
    """Where the agency's texts go (base URL, account, token, sender): its own SMS channel (messaging app)
    when it has one, else the installation's gateway; None when neither is configured."""
    from requests_app.services.notify import sms_configured, sms_connection

    connection = sms_connection(agency)
    if connection is not None:
        from messaging.providers import get_provider

        base, sid = get_provider("sms").api_base(connection), connection.setting("account_sid")
        return base, sid, connection.secret("auth_token"), connection.setting("from_number")
    if sms_configured():
        return settings.SMS_BASE_URL, settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN, settings.SMS_FROM
    return None


def _sms_already_accepted(*, sender, row: Delivery, to: str, body: str) -> str | None:
    """A row whose sender died mid-send: did the gateway take its text already? Twilio's message list, to this
    number from the route's number (`To`, `From`), is searched for this alert's text created since the alert went
    out (`messaging.twilio_api.twilio_message_find`; by `date_created`, not `DateSent`, which stays empty while a
    text waits in the number's queue, as a broadcast's do). The found message's sid, or None (send it). A lookup
    that fails raises, so the row is retried later rather than sent twice."""
    from messaging.twilio_api import twilio_message_find

    if sender.sms_route is None:
        return None
    base, sid, token, from_number = sender.sms_route
    since = sender.alert.sent_at or sender.alert.created_at
    if row.retries and row.next_attempt_at is not None:  # a new try: the earlier, undelivered text is not it
        since = max(since, row.next_attempt_at)
    return twilio_message_find(
        api_base=base,
        account_sid=sid,
        auth_token=token,
        sender=from_number,
        to=to,
        body=body,
        since=since - timedelta(seconds=CLOCK_SKEW_SECONDS),
    )


def _send_sms(*, sender, to: str, body: str, key: str, delivery_id: int) -> str:
    """One text through Twilio's Messages API on the sender's route; never to a number that sent STOP to the
    agency there (checked per claimed batch by the caller)."""
    if sender.sms_route is None:
        raise Skipped(Delivery.SkipReason.NO_CHANNEL, "no SMS gateway is configured")
    base, sid, token, from_number = sender.sms_route
    url = f"{base.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
    response = sender.http.post(
        url,
        data={"To": to, "From": from_number, "Body": body[:1600], "StatusCallback": sender.status_url(delivery_id)},
        auth=(sid, token),
        headers={"Idempotency-Key": key},
    )
    if response.status_code == 400:
        try:
            code = int(response.json().get("code"))
        except (ValueError, TypeError, AttributeError):
            code = None
        if code in SMS_PERMANENT_CODES:
            raise PermanentFailure(f"number rejected (error {code})")
    response.raise_for_status()
    try:
        return str(response.json().get("sid") or key)
    except ValueError:
        return key
