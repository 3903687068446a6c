"""The notification outbox's texts: which account sends them (the agency's own SMS channel, else the installation's
gateway), the send through Twilio's Messages API, and the look-up of a text whose worker died while it was in
flight (`requests_app.services.delivery`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from requests_app.models import Notification
from requests_app.outbox_mask import error_summary
from tenants.models import Agency

# Twilio's clock may be behind ours: a text it took is looked for from this long before its send began.
CLOCK_SKEW_SECONDS = 120


def sms_configured(agency: Agency | None = None) -> bool:
    """Texts can go out: the agency's own SMS channel (`channel_connect … sms`) or the installation's gateway."""
    if agency is not None and sms_connection(agency) is not None:
        return True
    return bool(settings.SMS_BASE_URL and settings.SMS_ACCOUNT_SID and settings.SMS_AUTH_TOKEN and settings.SMS_FROM)


def sms_connection(agency: Agency):
    from messaging.selectors import connection_get

    connection = connection_get(agency=agency, kind="sms")
    return connection if connection is not None and connection.is_active else None


def _account(agency: Agency):
    """(the agency's SMS connection or None, what `twilio_api` needs to reach its account and number)."""
    connection = sms_connection(agency)
    if connection is not None:
        from messaging.providers import get_provider

        return connection, {
            "api_base": get_provider("sms").api_base(connection),
            "account_sid": connection.setting("account_sid"),
            "auth_token": connection.secret("auth_token"),
            "sender": connection.setting("from_number"),
        }
    if sms_configured():
        return None, {
            "api_base": settings.SMS_BASE_URL,
            "account_sid": settings.SMS_ACCOUNT_SID,
            "auth_token": settings.SMS_AUTH_TOKEN,
            "sender": settings.SMS_FROM,
        }
    raise ConnectionError("No SMS gateway is configured.")


def _text(row: Notification) -> str:
    return f"{row.subject}\n{row.body}".strip()


def _send_sms(row: Notification) -> str:
    """One text message through Twilio's Messages API (`messaging.twilio_api`): from the agency's SMS
    channel when it has one, else the configured gateway, asking for its status callbacks
    (`requests_app.services.receipts`). Nothing goes to a number that sent STOP to the agency (given up at
    once). A gateway error raises: the row is retried on its schedule. Returns Twilio's message sid."""
    from messaging.selectors import identity_opted_out
    from messaging.twilio_api import twilio_message_send
    from requests_app.services.delivery import Refused, is_account_refusal
    from requests_app.services.receipts import status_callback_url

    agency = row.agency
    if identity_opted_out(agency=agency, kind="sms", external_id=row.recipient):
        raise Refused("not sent: the number sent STOP")
    connection, account = _account(agency)
    try:
        return twilio_message_send(
            **account, to=row.recipient, body=_text(row), status_callback=status_callback_url(row)
        )
    except Exception as exc:
        if connection is not None and is_account_refusal(exc):  # where the admin who fixes it looks
            from messaging.services import connection_error_record

            connection_error_record(connection=connection, code=str(exc.code), message=error_summary(exc))
        raise


def _find_sms(row: Notification, since: datetime) -> str | None:
    """A text whose send was in flight when its worker died (`since`: when that send began): Twilio's sid for it
    when Twilio has it (its message list, to the number from the account's, compared by body and creation time;
    never a sid another row of the agency holds), else None: it never got there. Raises TransientError when Twilio
    cannot be asked now (the row waits for its next try; nothing is sent meanwhile)."""
    from messaging.twilio_api import twilio_message_find

    _connection, account = _account(row.agency)
    since = since - timedelta(seconds=CLOCK_SKEW_SECONDS)
    known = (
        Notification.objects.for_agency(row.agency)
        .filter(channel=Notification.Channel.SMS, recipient=row.recipient, last_attempt_at__gte=since)
        .exclude(pk=row.pk)
        .exclude(provider_id="")
        .values_list("provider_id", flat=True)
    )
    return twilio_message_find(**account, to=row.recipient, body=_text(row), since=since, exclude=set(known))
