"""What a refusal from Telegram's Bot API means for a message being sent, and how to say it to staff.

The Bot API answers every call with `{"ok": false, "error_code": <HTTP status>, "description": "...",
"parameters": {"retry_after": N, "migrate_to_chat_id": M}}` when it refuses it
(https://core.telegram.org/bots/api#making-requests, `ResponseParameters`). The description is the only thing that
tells one 403 from another, so the codes kept on the outbox row are ours, read from status and description:

- `429` too many requests: sent again after `parameters.retry_after` seconds (Telegram's flood control).
- `blocked` (403 "bot was blocked by the user") and `deactivated` (403 "user is deactivated"): the person will
  never get a message from the bot; never retried, and the person's channel identity stops receiving as after a
  STOP (`messaging.delivery`), until they write to the bot again.
- `chat_not_found` (400 "chat not found"), `no_start` (403 "bot can't initiate conversation with a user"), other
  403s and 400s: refused for good (a later try sends the same request).
- `migrated` (400 with `parameters.migrate_to_chat_id`: the group became a supergroup with a new id): the person's
  identity follows the new id and the message goes there at once.
- `401`, `404` on a send: the bot token is wrong or revoked: an administrator must fix the connection.
- `5xx`, `network`: Telegram is down or unreachable: sent again with backoff."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RECIPIENT, MESSAGE, ACCOUNT, LATER, MOVED = "recipient", "message", "account", "later", "moved"
BLOCKED, DEACTIVATED, CHAT_NOT_FOUND, NO_START, MIGRATED = (
    "blocked",
    "deactivated",
    "chat_not_found",
    "no_start",
    "migrated",
)
# The person stopped the bot themselves (their identity stops receiving, as after a STOP).
GONE = frozenset({BLOCKED, DEACTIVATED})

_LATER = _("Telegram was unavailable or did not answer: the message is sent again later.")
_TOKEN = _(
    "Telegram refused the bot's token (wrong, or revoked with @BotFather): an administrator must enter the bot's "
    "current token on the channels page."
)

# our code -> (kind, staff's words)
CODES: dict[str, tuple[str, object]] = {
    "429": (
        LATER,
        _("Telegram asked the bot to slow down (too many messages): the message is sent again when Telegram allows."),
    ),
    BLOCKED: (
        RECIPIENT,
        _(
            "The person blocked the agency's bot in Telegram: nothing more is sent to them there until they write to "
            "the bot again. Reach them another way if it matters."
        ),
    ),
    DEACTIVATED: (
        RECIPIENT,
        _(
            "The person's Telegram account was deleted: nothing more is sent to them there. Reach them another way "
            "if it matters."
        ),
    ),
    CHAT_NOT_FOUND: (
        RECIPIENT,
        _("Telegram does not know this chat (it was deleted, or the bot never had it): the message was not sent."),
    ),
    NO_START: (
        RECIPIENT,
        _("The person has never started a chat with the agency's bot, and Telegram lets a bot write only after that."),
    ),
    "403": (RECIPIENT, _("Telegram does not let the bot write to this chat any more.")),
    MIGRATED: (
        MOVED,
        _("The Telegram group moved to a new address (it became a supergroup): the message is sent there."),
    ),
    "400": (MESSAGE, _("Telegram refused the message itself (its text, buttons or picture): it was not sent.")),
    "401": (ACCOUNT, _TOKEN),
    "404": (ACCOUNT, _TOKEN),
    "network": (LATER, _LATER),
}


def telegram_error_code(status: int, description: str, parameters: dict) -> str:
    """Our code for a Bot API refusal with HTTP `status` (its `error_code`), `description` and `parameters`."""
    text = (description or "").lower()
    if status == 429:
        return "429"
    if status >= 500:
        return str(status)
    if parameters.get("migrate_to_chat_id") is not None:
        return MIGRATED
    if status == 403 and "blocked by the user" in text:
        return BLOCKED
    if status == 403 and "user is deactivated" in text:
        return DEACTIVATED
    if status == 403 and "can't initiate conversation" in text:
        return NO_START
    if status == 400 and "chat not found" in text:
        return CHAT_NOT_FOUND
    return str(status)


def telegram_error_kind(code) -> str:
    """`later`, `recipient`, `message`, `account` or `moved` for one of our codes (5xx: later; unknown: message)."""
    code = str(code or "")
    if code in CODES:
        return CODES[code][0]
    if code.isdigit() and int(code) >= 500:
        return LATER
    return MESSAGE


_GAVE_UP = _(
    "Telegram was unavailable or refused to take more messages on every try: the message was given up, not sent."
)


def telegram_error_reason(code, *, given_up: bool = False) -> str:
    """Staff's words for one of our Telegram codes, in the active language ("" when there is nothing to add).
    `given_up`: the line failed for good, so a passing refusal's "sent again later" would not be true."""
    code = str(code or "")
    if given_up and telegram_error_kind(code) == LATER:
        return str(_GAVE_UP)
    if code in CODES:
        return str(CODES[code][1])
    if code.isdigit() and int(code) >= 500:
        return str(_LATER)
    return ""
