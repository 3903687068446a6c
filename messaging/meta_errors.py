"""What an error WhatsApp (Meta's Cloud API) reports about a message means, how to say it to staff, and whether a
later try helps (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/).

An error comes back either in the answer to the send (`meta_common.graph_error`) or later, in a `failed` status of the
messages webhook (`errors[0].code`), for a message WhatsApp had accepted. Kinds:

- `later`: a limit or a passing fault (130429 the number's throughput, 131000 something went wrong, 131016 service
  unavailable, 131048 the spam rate limit, 131056 too many to one person, 131049 WhatsApp's per-person limit on
  business messages, for which Meta asks to wait at least 24 hours): sent again as a new try, after `wait` seconds at
  the least, at most `STATUS_RETRIES` times (`messaging.services.outbound_status_update`).
- `window`: 131047, more than 24 hours since the person last wrote: only an approved template may go; the line is
  held (sent when the person writes again, or by staff).
- `recipient`, `message`, `account`: a later try would meet the same refusal (the person cannot get WhatsApp
  messages, a message WhatsApp does not take, the agency's account or token): failed, with the reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LATER, WINDOW, RECIPIENT, MESSAGE, ACCOUNT = "later", "window", "recipient", "message", "account"
# How many times a message WhatsApp accepted and then reported failed for a passing reason is sent again.
STATUS_RETRIES = 2

_TEMPORARY = _("WhatsApp had a temporary problem: the message is sent again later.")
_TEMPLATE = _(
    "WhatsApp refused the approved template set for this kind of message (it does not exist in that language, is "
    "paused or disabled, or its words do not fit): an administrator must fix the channel's templates."
)

# code -> (kind, staff's words, the least wait in seconds before a new try)
CODES: dict[int, tuple[str, object, int]] = {
    130429: (
        LATER,
        _("The agency's WhatsApp number reached its sending rate limit: the message is sent again later."),
        60,
    ),
    131000: (LATER, _TEMPORARY, 60),
    131016: (LATER, _TEMPORARY, 60),
    131056: (
        LATER,
        _("Too many messages went to this person from the agency's number in a short time: it is sent again later."),
        60,
    ),
    131048: (
        LATER,
        _(
            "WhatsApp slowed the agency's number down because people marked its messages as spam: the message is sent "
            "again later; an administrator should check the number's quality in WhatsApp Manager."
        ),
        3600,
    ),
    131049: (
        LATER,
        _(
            "WhatsApp chose not to deliver it, to keep people from getting too many business messages: it is sent "
            "again after 24 hours at the earliest."
        ),
        86400,
    ),
    131047: (
        WINDOW,
        _(
            "More than 24 hours have passed since the person last wrote, so WhatsApp only lets an approved template "
            "through. The message waits and goes out when the person writes again. An administrator can send it "
            "anyway or discard it on the channels page, or give the channel an approved template for this kind of "
            "message; if it is urgent, reach the person another way."
        ),
        0,
    ),
    131026: (
        RECIPIENT,
        _(
            "The person cannot get WhatsApp messages from the agency: the number has no WhatsApp account, their "
            "WhatsApp is out of date, or they have not accepted WhatsApp's current terms. Reach them another way."
        ),
        0,
    ),
    131021: (RECIPIENT, _("The message was addressed to the agency's own WhatsApp number."), 0),
    131051: (MESSAGE, _("WhatsApp does not support this kind of message."), 0),
    131053: (
        MESSAGE,
        _(
            "WhatsApp could not take the image or file in the message (its type or size is not supported, or its "
            "link could not be read)."
        ),
        0,
    ),
    132000: (MESSAGE, _TEMPLATE, 0),
    132001: (MESSAGE, _TEMPLATE, 0),
    132005: (MESSAGE, _TEMPLATE, 0),
    132012: (MESSAGE, _TEMPLATE, 0),
    132015: (MESSAGE, _TEMPLATE, 0),
    132016: (MESSAGE, _TEMPLATE, 0),
    368: (
        ACCOUNT,
        _(
            "Meta temporarily blocked the agency's WhatsApp account for breaking its policies: an administrator must "
            "check WhatsApp Manager."
        ),
        0,
    ),
    131031: (
        ACCOUNT,
        _("The agency's WhatsApp Business account is locked: an administrator must check WhatsApp Manager."),
        0,
    ),
    131042: (
        ACCOUNT,
        _(
            "WhatsApp refused the message over a payment problem of the agency's WhatsApp Business account: an "
            "administrator must fix its payment method."
        ),
        0,
    ),
    190: (
        ACCOUNT,
        _("The agency's WhatsApp access token has expired or is not valid: an administrator must enter a new one."),
        0,
    ),
}


def _number(code) -> int | None:
    text = str(code or "").strip()
    return int(text) if text.isdigit() else None


def meta_error_kind(code) -> str:
    """The kind of a WhatsApp error code ("" for a code not listed)."""
    found = CODES.get(_number(code))
    return found[0] if found else ""


def meta_error_reason(code) -> str:
    """Staff's words for a WhatsApp error code, in the active language ("" for a code not listed)."""
    found = CODES.get(_number(code))
    return str(found[1]) if found else ""


def meta_retry_wait(code) -> int | None:
    """The least seconds before a new try of a message WhatsApp reported failed with `code`; None: not retried."""
    found = CODES.get(_number(code))
    return found[2] if found and found[0] == LATER else None
