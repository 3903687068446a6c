"""What an error from Twilio's Messages API means for a text being sent, and how to say it to staff.

Twilio answers a refused `POST …/Messages.json` with an HTTP status and a JSON body `{"code", "message",
"more_info", "status"}` (https://www.twilio.com/docs/usage/twilios-response; the codes are in its error
dictionary, https://www.twilio.com/docs/api/errors). Each code falls into one of four kinds:

- `recipient`: this number will never take the text (not a valid number, not a mobile, unsubscribed, …): give
  the message up at once.
- `message`: the message itself was refused (no body, too long): give it up, trying again sends the same.
- `account`: the agency's SMS account or sender is wrong (credentials, a suspended account, a From number that
  cannot send): no text goes out until an administrator fixes it, so give up at once, say so, and send no more
  on that channel in the same run; staff retry the rows after the fix.
- `later`: Twilio is busy or down (429 / 20429 too many requests, 21611 the sender's queue is full, 5xx):
  try again, no sooner than its Retry-After when it sends one.

A code not listed here is sorted by the HTTP status: 429 and 5xx later, 401 and 403 account, any other 4xx
refused (`message`): Twilio's 400 page says a refused request is to be retried only once corrected. Delivery
codes (30001-30036) come later, in status callbacks, not in the answer to the POST."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RECIPIENT, MESSAGE, ACCOUNT, LATER = "recipient", "message", "account", "later"

_NOT_A_NUMBER = _("The number is not a valid phone number.")
_NO_TEXTS = _("The number cannot receive text messages (a landline or a number without SMS).")
_CREDENTIALS = _(
    "Twilio refused the SMS account's credentials, or the account is suspended or closed: an administrator must "
    "check the account SID and auth token (and the account's standing with Twilio), then retry."
)
_SENDER = _(
    "The agency's sending number cannot send this text (not an SMS-capable Twilio number of this account): "
    "an administrator must fix the From number, then retry."
)
_INACTIVE = _(
    "The SMS account is not active (out of funds, suspended or closed): an administrator must settle it with "
    "Twilio, then retry."
)

CODES: dict[int, tuple[str, object]] = {
    # The number.
    21211: (RECIPIENT, _NOT_A_NUMBER),
    21217: (RECIPIENT, _NOT_A_NUMBER),
    21401: (RECIPIENT, _NOT_A_NUMBER),
    21421: (RECIPIENT, _NOT_A_NUMBER),
    21214: (RECIPIENT, _("The number cannot be reached.")),
    21265: (RECIPIENT, _("The number is a short code: short codes cannot receive these texts.")),
    21407: (RECIPIENT, _NO_TEXTS),
    21614: (RECIPIENT, _NO_TEXTS),
    21635: (RECIPIENT, _NO_TEXTS),
    21612: (RECIPIENT, _("The number cannot be reached by text from the agency's sending number.")),
    21610: (RECIPIENT, _("The person unsubscribed from the agency's texts (they replied STOP).")),
    21408: (
        RECIPIENT,
        _(
            "The SMS account may not send to this country or region: an administrator can allow it in Twilio's "
            "Messaging Geo Permissions, then retry."
        ),
    ),
    21608: (
        RECIPIENT,
        _("The SMS account is a trial account: it may only text numbers verified in Twilio."),
    ),
    # The message.
    21602: (MESSAGE, _("The text was empty.")),
    21604: (MESSAGE, _("The text had no number to go to.")),
    21617: (MESSAGE, _("The text is longer than Twilio takes (1,600 characters).")),
    # The agency's account and sender.
    20003: (ACCOUNT, _CREDENTIALS),
    20005: (ACCOUNT, _INACTIVE),
    10001: (ACCOUNT, _INACTIVE),
    20404: (
        ACCOUNT,
        _(
            "Twilio does not know this account (wrong account SID or API address): an administrator "
            "must fix the SMS settings, then retry."
        ),
    ),
    21212: (ACCOUNT, _SENDER),
    21601: (ACCOUNT, _SENDER),
    21603: (ACCOUNT, _SENDER),
    21606: (ACCOUNT, _SENDER),
    21659: (ACCOUNT, _SENDER),
    21660: (ACCOUNT, _SENDER),
    # Busy.
    20429: (LATER, _("Twilio asked us to slow down (too many requests): it is tried again later.")),
    21611: (LATER, _("The sending number's queue at Twilio is full: it is tried again later.")),
    20500: (LATER, _("Twilio had an internal error: it is tried again later.")),
    20503: (LATER, _("Twilio was unavailable: it is tried again later.")),
}

# Numbers that will never take a text (kept for the callers that only need the set).
NUMBER_REFUSED_CODES = frozenset(code for code, (kind, _reason) in CODES.items() if kind == RECIPIENT)
ACCOUNT_CODES = frozenset(code for code, (kind, _reason) in CODES.items() if kind == ACCOUNT)


def twilio_error_kind(status: int, code) -> str:
    """`recipient`, `message`, `account` or `later` for an answer with HTTP `status` and Twilio `code`."""
    if status == 429 or status >= 500:
        return LATER
    number = int(code) if str(code).isdigit() else None
    if number in CODES:
        return CODES[number][0]
    if status in (401, 403):
        return ACCOUNT
    return MESSAGE


def twilio_error_reason(code) -> str:
    """Staff's words for a Twilio code, in the active language ("" for a code not listed)."""
    number = int(code) if str(code).isdigit() else None
    return str(CODES[number][1]) if number in CODES else ""


# Errors a status callback reports (`ErrorCode` with `MessageStatus` undelivered or failed): Twilio took the text,
# then the carrier or Twilio could not hand it over (https://www.twilio.com/docs/api/errors/<code>). Those in
# DELIVERY_RETRY are passing (Twilio's pages say to send again later: a queue that overflowed, a phone switched off or
# out of coverage, an error the carrier did not explain, a lost segment, a rate limit): the notification outbox sends
# such a text again, a bounded number of times (`requests_app.services.receipts`). The others will meet the same fate
# again (an unknown number, a landline, a block, a filter, the agency's account or number): final, staff see why.
DELIVERY_RETRY = frozenset({30001, 30003, 30008, 30009, 30022})
_UNREACHABLE = _("The phone could not be reached (switched off, out of coverage or roaming without texts).")
DELIVERY_CODES: dict[int, object] = {
    30001: _("Twilio's queue for the sending number overflowed: the text was dropped before it went out."),
    30002: _("The SMS account was suspended when the text was to go out: an administrator must check it."),
    30003: _UNREACHABLE,
    30004: _("The person's carrier or the person blocked texts from the agency's number."),
    30005: _("The number does not exist at the person's carrier (or is no longer in use)."),
    30006: _("The number is a landline or its carrier cannot take texts."),
    30007: _(
        "Twilio or the person's carrier filtered the text as unwanted (spam or fraud filtering): its wording or the "
        "sender may need registering with the carriers."
    ),
    30008: _("The text was not delivered for a reason neither Twilio nor the carrier gave."),
    30009: _("Part of a long text was lost on the way, so the carrier did not deliver it."),
    30010: _("The text cost more than the price limit set on the account."),
    30022: _("The sending number went over its carriers' rate limit: the text was not delivered."),
    30032: _("The toll-free sending number is not verified with the carriers, so its texts are blocked."),
    30034: _("The sending number is not registered for business texting (A2P 10DLC), so US carriers block it."),
}


def delivery_error_reason(code) -> str:
    """Staff's words for an error a status callback reported ("" for a code not listed)."""
    number = int(code) if str(code).isdigit() else None
    return str(DELIVERY_CODES[number]) if number in DELIVERY_CODES else ""


def delivery_error_retried(code) -> bool:
    """A delivery error that a later try may not meet (DELIVERY_RETRY)."""
    return str(code).isdigit() and int(code) in DELIVERY_RETRY
