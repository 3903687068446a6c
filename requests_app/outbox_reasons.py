"""Plain words for why an outbox row failed, in the staff member's language, from the cause kept on the row
(`Notification.error_code`: "twilio:21211", "smtp:550", "stop"). The provider's own words stay beside them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from messaging.twilio_errors import ACCOUNT_CODES, delivery_error_reason, twilio_error_reason


def failure_reason(error_code: str) -> str:
    """The sentence for `error_code`, or "" when there is nothing plainer to say than the server's answer."""
    source, _sep, code = (error_code or "").partition(":")
    if source == "stop":
        return _("The person replied STOP to the agency: no more texts go to this number.")
    if source == "twilio":
        return twilio_error_reason(code) or delivery_error_reason(code)
    if source == "smtp" and code.isdigit():
        if int(code) >= 500:
            return _("The recipient's mail server refused this for good (the address does not exist or is blocked).")
        return _("The recipient's mail server asked us to try later.")
    return ""


def delivery_reason(delivery_error: str) -> str:
    """The sentence for the error a status callback reported (`Notification.delivery_error`: "twilio:30003")."""
    source, _sep, code = (delivery_error or "").partition(":")
    return delivery_error_reason(code) if source == "twilio" else ""


def is_account_failure(error_code: str) -> bool:
    """The cause is the agency's SMS account or sending number, not the recipient."""
    source, _sep, code = (error_code or "").partition(":")
    return source == "twilio" and code.isdigit() and int(code) in ACCOUNT_CODES
