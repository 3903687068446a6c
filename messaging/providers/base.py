"""The interface every messaging provider implements (one subclass of `Provider` per kind).

A provider is a stateless object registered by kind (`messaging.providers.register`). The framework
calls it at these points, always with the agency's `ChannelConnection` (secrets decrypted,
`connection.api_base` or the provider's `default_api_base`):

Webhook (messaging.views.webhook, before anything is stored):
    max_body_bytes                   bodies larger than this are refused (413) before they are read.
    handshake(connection, request)   GET: the provider's verification handshake (Meta's hub.challenge);
                                     return an HttpResponse, or None for 405.
    verify(connection, request, raw) POST: Verdict.OK, Verdict.UNAUTHORIZED (401: no signature/secret
                                     at all) or Verdict.FORBIDDEN (403: a wrong one). Compare in constant
                                     time (hmac.compare_digest) over the exact raw bytes.
    event_id(connection, request, raw)  the provider's id for this delivery (Telegram update_id,
                                     Twilio MessageSid, the wamids/mids of a Meta batch). A retried
                                     delivery must give the same id; "" when none can be read (then
                                     the body's SHA-256 is used).
    acknowledge(connection, request) the 2xx answer (default: 200 "ok"; SMS: empty TwiML).

Worker (messaging.services.inbound_event_process; no request any more, only the stored bytes):
    parse(connection, raw, content_type) -> list[Inbound]
                                     Never raises on bad input: malformed JSON, stickers, reactions,
                                     edits and unknown update types become Inbound(kind="ignored",
                                     reason=…). Text is stripped of NUL and lone surrogates.
    fetch_media(connection, media) -> (bytes, content_type)
                                     Download an image the person sent (Telegram: getFile, then the
                                     file path). Raise TransientError to be retried; the message's text
                                     is kept whatever happens to its media.

Outbox (messaging.outbox writes the rows, messaging.delivery sends them):
    render(connection, outgoing: Outgoing) -> list[dict]
                                     The provider payloads (JSON-serialisable, stored in the outbox)
                                     for one reply: text, quick replies as native buttons (or numbered
                                     options), citations as title + link, an image. Each dict is sent
                                     by one `send` call, in order.
    send(connection, payload, recipient) -> str
                                     Send one payload; return the provider's message id. Raise
                                     TransientError(retry_after=…) for 429/5xx/network errors (retried
                                     with backoff) and PermanentError for the rest (recorded, shown to
                                     staff, never retried); RecipientGone when the person shut the
                                     channel (blocked the bot), RecipientMoved when their chat has a
                                     new address.
    with_reference(payload, reference) -> dict
                                     The payload as sent, carrying our `reference` (the outbox row and its
                                     try) where the provider echoes one in its statuses (WhatsApp's
                                     biz_opaque_callback_data); the payload unchanged elsewhere.
    find_sent(connection, payload, recipient, since=, exclude=)
                                     After a worker died mid-send: the provider's id for this message if
                                     it has it, None if not; NotImplementedError where it cannot be asked
                                     (then staff decide, or a status carrying the reference settles
                                     it: `messaging.in_doubt`).
    rate_per_second, rate_per_recipient_per_second
                                     The provider's sending limits (per connection; per person).

Channel connect (manage.py channel_connect <slug> <kind> …, the staff page):
    connect_options                  ConnectOption(flag, field, secret, …) per value the channel needs:
                                     `--bot-token` → secrets["bot_token"] (encrypted), `--from` →
                                     config["from_number"]. The command and the staff form are built
                                     from this list; `--api-base` is added for every kind.
    sets_webhook                     True: the command offers `--no-set-webhook` and calls on_connect.
    on_connect(connection, webhook_url)  e.g. Telegram's setWebhook; raise ConnectError to refuse.
    test_payload(connection, recipient, text)  what "send test message" sends (default: render(text)).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from messaging.models import ChannelConnection

_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def clean_text(value) -> str:
    """Text from a provider, without NUL and unpaired surrogates (PostgreSQL and UTF-8 refuse them)."""
    return _BAD_CHARACTERS.sub("", value) if isinstance(value, str) else ""


class Verdict(enum.Enum):
    OK = 200
    UNAUTHORIZED = 401
    FORBIDDEN = 403


class SendError(Exception):
    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


class TransientError(SendError):
    """Try again later (429, 5xx, a network error). `retry_after`: seconds the provider asked for."""

    def __init__(self, message: str, *, code: str = "", retry_after: float | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class PermanentError(SendError):
    """Never retried: a blocked bot, an unknown number, a refused payload."""


class RecipientGone(PermanentError):
    """The person shut the channel on the agency (Telegram: blocked the bot, deleted their account): never
    retried, and their identity stops receiving, as after a STOP, until they write again."""


class RecipientMoved(TransientError):
    """The person's chat has a new address (`moved_to`: a Telegram group that became a supergroup): their
    identity follows it and the message is sent there at once."""

    def __init__(self, message: str, *, moved_to: str, code: str = ""):
        super().__init__(message, code=code, retry_after=0)
        self.moved_to = moved_to


class Held(Exception):
    """`render` may not send this now (outside the provider's customer-service window, with nothing
    configured for its purpose): it is kept for staff (`payloads` is what would be sent), and sent by
    itself when the person writes again."""

    def __init__(self, reason: str, *, payloads: list[dict]):
        super().__init__(reason)
        self.payloads = payloads


class ConnectError(Exception):
    """The provider refused to connect (e.g. setWebhook failed)."""


@dataclass
class Media:
    """An image or file a person sent: `url` (fetchable) or a provider `file_id`."""

    url: str = ""
    file_id: str = ""
    content_type: str = ""


@dataclass
class Inbound:
    """One normalized thing from a webhook.

    kind:
      "text"     a message (text may be empty when only media or a location came)
      "button"   a quick reply pressed: `action` is the value we gave it, `text` its label
      "location" a shared location: `latitude`, `longitude` (and text, if any)
      "media"    an image (or other file) in `media`, with its caption in `text`
      "status"   a delivery status for our message `status_for`: `status` in sent/delivered/read/failed
      "ignored"  stickers, reactions, edits, unknown updates, malformed bodies: `reason` says which
    """

    kind: str
    item_id: str = ""  # the provider's id for this message (idempotency within a conversation)
    sender: str = ""  # the person's address on the channel (chat id, phone number, PSID, wa_id)
    sender_name: str = ""
    language: str = ""  # a hint from the provider (Telegram language_code), if any
    text: str = ""
    action: str = ""
    latitude: float | None = None
    longitude: float | None = None
    media: list[Media] = field(default_factory=list)
    status: str = ""
    status_for: str = ""
    error: str = ""
    error_code: str = ""  # a status's provider error code (WhatsApp 131026, Twilio 30003), for staff's plain words
    reason: str = ""
    # Other addresses the provider gives for the same person (WhatsApp: the phone number beside the
    # business-scoped id): an identity first seen under one of them is found, and moved to `sender`.
    sender_aliases: list[str] = field(default_factory=list)
    # A status for everything sent to `sender` up to this time (Messenger reports reads so).
    watermark: datetime | None = None
    # "stop" or "start": the provider took the message as its own opt-out or opt-in keyword and answered
    # the person itself (Twilio on a long code, `messaging.keywords`); recorded, not confirmed again.
    keyword: str = ""
    # A status's echo of the reference we sent with the message (`Provider.with_reference`): which outbox row and try
    # it is for, when the row never learnt the provider's id (its worker died mid-send).
    reference: str = ""


@dataclass
class Option:
    label: str
    value: str


@dataclass
class Outgoing:
    """One line to a person, before the provider shapes it."""

    recipient: str
    text: str
    options: list[Option] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # citations: {"title", "url"}
    image_url: str = ""
    # Why it is sent (OutboundMessage.Purpose) and when the person last wrote: WhatsApp and Messenger
    # allow free-form messages only within 24 hours of that, and something else (a template) outside.
    purpose: str = "reply"
    last_inbound_at: datetime | None = None
    language: str = ""  # the conversation's language (for words the provider adds: "Reply 1 or 2")


@dataclass(frozen=True)
class ConnectOption:
    """One value a connection needs: its command-line flag, where it is kept, and whether it is a secret."""

    flag: str  # "--bot-token"
    field: str  # "bot_token": secrets["bot_token"] or config["bot_token"]
    secret: bool
    label: str = ""
    required: bool = True


class Provider:
    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    default_api_base: ClassVar[str] = ""
    max_body_bytes: ClassVar[int] = 256 * 1024
    connect_options: ClassVar[tuple[ConnectOption, ...]] = ()
    sets_webhook: ClassVar[bool] = False
    rate_per_second: ClassVar[float] = 10.0
    rate_per_recipient_per_second: ClassVar[float] = 1.0
    max_text_chars: ClassVar[int] = 4096

    def api_base(self, connection: ChannelConnection) -> str:
        return (connection.api_base or self.default_api_base).rstrip("/")

    # --- webhook ---------------------------------------------------------------------------------
    def handshake(self, connection: ChannelConnection, request: HttpRequest) -> HttpResponse | None:
        return None

    def verify(self, connection: ChannelConnection, request: HttpRequest, raw: bytes) -> Verdict:
        raise NotImplementedError

    def event_id(self, connection: ChannelConnection, request: HttpRequest, raw: bytes) -> str:
        return ""

    def acknowledge(self, connection: ChannelConnection, request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok", content_type="text/plain")

    # --- worker ----------------------------------------------------------------------------------
    def parse(self, connection: ChannelConnection, raw: bytes, content_type: str) -> list[Inbound]:
        raise NotImplementedError

    def fetch_media(self, connection: ChannelConnection, media: Media) -> tuple[bytes, str]:
        raise PermanentError("This channel cannot download media.")

    # --- outbox ----------------------------------------------------------------------------------
    def render(self, connection: ChannelConnection, outgoing: Outgoing) -> list[dict]:
        raise NotImplementedError

    def send(self, connection: ChannelConnection, payload: dict, recipient: str) -> str:
        raise NotImplementedError

    def with_reference(self, payload: dict, reference: str) -> dict:
        """`payload` carrying `reference` for the provider to echo in its statuses, where it does (not here)."""
        return payload

    def find_sent(
        self, connection: ChannelConnection, payload: dict, recipient: str, *, since: datetime, exclude: set[str]
    ) -> str | None:
        """Whether the provider has this payload's message to `recipient`, taken since `since` (a worker died
        mid-send: `messaging.in_doubt`): its id (none of `exclude`, ids other rows hold), or None (it never got
        there). Raise NotImplementedError when the provider cannot be asked, SendError when asking failed."""
        raise NotImplementedError

    # --- connecting ------------------------------------------------------------------------------
    def clean_value(self, field: str, value: str) -> str:
        """A connect option's value, checked (raise ValueError saying what is wrong)."""
        return value

    def on_connect(self, connection: ChannelConnection, webhook_url: str) -> None:
        return None

    def test_payload(
        self, connection: ChannelConnection, recipient: str, text: str, *, last_inbound_at: datetime | None = None
    ) -> list[dict]:
        """The staff page's test message (may raise `Held` outside a provider's window)."""
        return self.render(connection, Outgoing(recipient=recipient, text=text, last_inbound_at=last_inbound_at))


def numbered_options(text: str, options: list[Option], *, prompt: str) -> str:
    """Quick replies as numbered lines for channels without buttons ("1. Yes … Reply 1 or 2")."""
    if not options:
        return text
    lines = [text, ""] + [f"{number}. {option.label}" for number, option in enumerate(options, 1)]
    return "\n".join([*lines, "", prompt]).strip()


def links_text(links: list[dict]) -> str:
    """Citations as "Title: https://…" lines under a reply."""
    return "\n".join(
        f"{link.get('title') or ''}: {link['url']}".strip(": ") for link in links if isinstance(link.get("url"), str)
    )
