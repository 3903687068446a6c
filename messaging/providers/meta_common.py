"""What WhatsApp Cloud API and Messenger share: both are Meta Graph API products.

- The webhook handshake: Meta calls GET `?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` once
  when the URL is registered and expects the challenge back verbatim.
- Every POST is signed: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. It is
  checked over the exact bytes received (never a re-serialised JSON) and compared in constant time.
- Sending is `POST {api_base}/{version}/…` with `Authorization: Bearer <token>` and a JSON body; a
  failure answers `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`, which
  `graph_error` sorts into transient (retry with backoff), permanent (record, staff can see it) and
  "outside the customer-service window" (needs a template, or a person to decide).
- The 24-hour customer-service window: free-form messages only within 24 hours of the person's last
  message (`window_open`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from messaging.http import provider_client

GRAPH_API_BASE = "https://graph.facebook.com"
GRAPH_API_VERSION = "v21.0"
SIGNATURE_HEADER = "X-Hub-Signature-256"
WINDOW = timedelta(hours=24)
SEND_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MEDIA_MAX_BYTES = 16 * 1024 * 1024  # WhatsApp's own limit for images is 5 MB, other media 16 MB

# Purposes of a message sent outside a conversation turn (the agency configures what to use for each
# outside the 24-hour window).
PURPOSE_STATUS_NEWS = "status_news"
PURPOSE_ALERTS = "alerts"
PURPOSE_FEEDBACK_REQUEST = "feedback_request"
PURPOSES = (PURPOSE_STATUS_NEWS, PURPOSE_ALERTS, PURPOSE_FEEDBACK_REQUEST)


# --- inbound -------------------------------------------------------------------------------------------
def signature_valid(app_secret: str, raw_body: bytes, header: str | None) -> bool:
    """True when `header` is `sha256=<hex>` of HMAC-SHA256(app_secret, raw_body). Constant time in the
    digest; a missing, malformed or other-algorithm header is simply not valid."""
    if not app_secret or not header or not isinstance(raw_body, bytes | bytearray):
        return False
    scheme, _sep, received = header.strip().partition("=")
    if scheme.lower() != "sha256" or not received:
        return False
    expected = hmac.new(app_secret.encode(), bytes(raw_body), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), received.strip().lower().encode("ascii", "replace"))


def signature_header(app_secret: str, raw_body: bytes) -> str:
    """The header value Meta sends for `raw_body` (used by the local provider server and the tests)."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def handshake_challenge(params, verify_token: str) -> str | None:
    """The challenge to echo when `params` (the GET query) is Meta's subscription handshake with our
    verify token; None otherwise (the view answers 403)."""
    mode = params.get("hub.mode")
    token = params.get("hub.verify_token")
    challenge = params.get("hub.challenge")
    if mode != "subscribe" or not verify_token or token is None or challenge is None:
        return None
    if not hmac.compare_digest(str(token).encode(), verify_token.encode()):
        return None
    if len(challenge) > 200:
        return None
    return challenge


def timestamp_at(value) -> datetime | None:
    """Meta's timestamps: seconds (WhatsApp, as a string) or milliseconds (Messenger) since the epoch."""
    from datetime import UTC

    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number > 1e11:  # milliseconds
        number /= 1000
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


@dataclass
class MediaRef:
    """An attachment: WhatsApp gives a media id (resolved to a URL through the Graph API with the
    token), Messenger a URL directly."""

    kind: str  # image, video, audio, document, sticker
    media_id: str = ""
    url: str = ""
    mime_type: str = ""
    caption: str = ""


@dataclass
class Location:
    latitude: float
    longitude: float
    name: str = ""
    address: str = ""


@dataclass
class Identity:
    """Who wrote, as the provider names them. WhatsApp: the phone number (`wa_id`, absent for people
    who use a username), the business-scoped user id (`user_id`, "US.1349…") and the parent one;
    Messenger: the page-scoped id (PSID)."""

    user_id: str = ""  # BSUID (WhatsApp) or PSID (Messenger)
    phone: str = ""  # wa_id (WhatsApp only)
    parent_user_id: str = ""
    name: str = ""
    username: str = ""

    @property
    def key(self) -> str:
        """The stable key of this person on this channel: the business-scoped id when Meta gives one
        (phone numbers change and may be hidden), else the phone number."""
        return self.user_id or self.phone

    @property
    def keys(self) -> list[str]:
        """Every key that may name this person, best first (an identity first seen by its phone number
        is found again when the business-scoped id starts to arrive)."""
        return [key for key in (self.user_id, self.phone) if key]


@dataclass
class InboundMessage:
    external_id: str  # wamid.… / m_…
    identity: Identity
    text: str = ""
    action: str = ""  # the id of a pressed button / list row / quick reply
    media: list[MediaRef] = field(default_factory=list)
    location: Location | None = None
    sent_at: datetime | None = None
    kind: str = "text"


@dataclass
class StatusUpdate:
    """A delivery state of a message we sent: sent, delivered, read or failed (with Meta's error)."""

    external_id: str
    status: str
    at: datetime | None = None
    error_code: int | None = None
    error_title: str = ""
    identity: Identity | None = None
    # Messenger reports reads as a watermark (everything sent before it was read), not per message id.
    watermark: datetime | None = None
    reference: str = ""  # what we sent with the message for Meta to echo (WhatsApp's biz_opaque_callback_data)


@dataclass
class Ignored:
    """Something we do not act on (reactions, stickers, edits, echoes of our own messages, unknown
    kinds): acknowledged with 200 so the provider does not retry, recorded once."""

    kind: str
    external_id: str = ""


Event = InboundMessage | StatusUpdate | Ignored


# --- outbound ------------------------------------------------------------------------------------------
class SendError(Exception):
    """A send that did not go through. `transient`: try again later (with backoff, after `retry_after`
    seconds when given); otherwise permanent: record it where staff see it. `window_closed`: the
    person's 24-hour window is over; only a template (WhatsApp) or a message tag (Messenger) may go."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        code: int | None = None,
        subcode: int | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        window_closed: bool = False,
    ):
        super().__init__(message)
        self.transient = transient
        self.code = code
        self.subcode = subcode
        self.status = status
        self.retry_after = retry_after
        self.window_closed = window_closed

    def __str__(self) -> str:
        code = f" (code {self.code}{'/' + str(self.subcode) if self.subcode else ''})" if self.code else ""
        return f"{super().__str__()}{code}"


# Graph error codes that mean "later": throttling of the app, the account, the pair of numbers or the
# page (4, 17, 32, 613, 80007, 130429, 131056), "something went wrong / service unavailable" (1, 2,
# 131000, 131016, 133004), a temporary Messenger send failure (1200), spam-rate limits (131048).
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613, 1200, 80007, 130429, 131000, 131016, 131048, 131056, 133004})
# Outside the customer-service window: WhatsApp 131047 ("Re-engagement message"), Messenger 10 with
# subcode 2018278 ("sent outside of allowed window").
WINDOW_CODES = frozenset({131047})
WINDOW_SUBCODES = frozenset({2018278})


def graph_error(status: int, body, *, retry_after: str | None = None) -> SendError:
    """Sort a failed Graph API answer into a `SendError`."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    subcode = error.get("error_subcode") if isinstance(error.get("error_subcode"), int) else None
    message = str(error.get("message") or error.get("error_user_msg") or f"HTTP {status}")[:300]
    details = error.get("error_data", {}).get("details") if isinstance(error.get("error_data"), dict) else None
    if details:
        message = f"{message}: {str(details)[:200]}"
    try:
        wait = float(retry_after) if retry_after else None
    except ValueError:
        wait = None
    if code in WINDOW_CODES or subcode in WINDOW_SUBCODES:
        return SendError(message, transient=False, code=code, subcode=subcode, status=status, window_closed=True)
    transient = status == 429 or status >= 500 or code in TRANSIENT_CODES or bool(error.get("is_transient"))
    return SendError(message, transient=transient, code=code, subcode=subcode, status=status, retry_after=wait)


def graph_url(api_base: str, version: str, *parts: str) -> str:
    base = (api_base or GRAPH_API_BASE).rstrip("/")
    return "/".join([base, (version or GRAPH_API_VERSION).strip("/"), *(str(part).strip("/") for part in parts)])


def graph_request(method: str, url: str, *, token: str, json: dict | None = None, client=None) -> dict:
    """One Graph API call with the bearer token. Returns the JSON answer; raises `SendError`.
    A network failure or a timeout is transient."""
    headers = {"Authorization": f"Bearer {token}"}
    try:
        client = client if client is not None else provider_client()
        response = client.request(method, url, json=json, headers=headers, timeout=SEND_TIMEOUT)
    except httpx.HTTPError as exc:
        raise SendError(f"{type(exc).__name__}: {exc}"[:300], transient=True) from exc
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code >= 400 or (isinstance(body, dict) and "error" in body):
        raise graph_error(response.status_code, body, retry_after=response.headers.get("Retry-After"))
    if not isinstance(body, dict):
        raise SendError(f"HTTP {response.status_code}: not a JSON object", transient=response.status_code >= 500)
    return body


def graph_download(url: str, *, token: str, max_bytes: int = MEDIA_MAX_BYTES) -> tuple[bytes, str]:
    """The bytes and content type behind a media URL (WhatsApp's need the bearer token). Raises
    `SendError` (transient for network trouble and 5xx, so the download is retried)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with provider_client().stream(
            "GET", url, headers=headers, timeout=SEND_TIMEOUT, follow_redirects=True
        ) as response:
            if response.status_code >= 400:
                response.read()
                try:
                    body = response.json()
                except ValueError:
                    body = None
                raise graph_error(response.status_code, body)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise SendError(f"Media larger than {max_bytes} bytes", transient=False)
                chunks.append(chunk)
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    except httpx.HTTPError as exc:
        raise SendError(f"{type(exc).__name__}: {exc}"[:300], transient=True) from exc
    return b"".join(chunks), content_type


# --- the customer-service window ------------------------------------------------------------------------
def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Free-form messages may go only within 24 hours of the person's last message."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


# --- text ------------------------------------------------------------------------------------------------
def clip(text: str, limit: int) -> str:
    text = str(text or "").strip()
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"


def absolute_url(url: str, site_url: str) -> str:
    url = str(url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return site_url.rstrip("/") + url
    return url


_SITE_PATH = re.compile(r"(?<![\w/:.])(/(?:a|track|hooks|media|staff)/[^\s]*)")


def absolute_links(text: str, site_url: str) -> str:
    """Links to our own pages written as paths ("Track it here: /a/springfield/track/?reference=…")
    made absolute: on a phone a path leads nowhere."""
    if not site_url:
        return text
    return _SITE_PATH.sub(lambda match: site_url.rstrip("/") + match.group(1), str(text or ""))


def with_citations(text: str, citations: list[dict], *, site_url: str, limit: int, title_chars: int = 60) -> str:
    """The reply text with its sources underneath, each a short title plus its link, within `limit`
    characters (the text is shortened first, sources are kept whole or dropped from the end)."""
    lines = []
    seen = set()
    for citation in citations or []:
        title = clip(re.sub(r"\s+", " ", str(citation.get("title", ""))), title_chars)
        url = absolute_url(citation.get("url", ""), site_url)
        if not (title or url) or (title, url) in seen:
            continue
        seen.add((title, url))
        lines.append(f"• {title}: {url}" if title and url else f"• {title or url}")
    sources = ""
    while lines:
        sources = "\n\n" + "\n".join(lines)
        if len(sources) <= limit // 2:
            break
        lines.pop()
        sources = ""
    return clip(absolute_links(text, site_url), limit - len(sources)) + sources


def template_parameter(text: str, limit: int = 1024) -> str:
    """A WhatsApp template variable may hold no newlines or tabs and no more than four spaces in a row."""
    flat = re.sub(r"[\r\n\t]+", " · ", str(text or "")).strip(" ·")
    flat = re.sub(r" {4,}", "   ", flat)
    return clip(flat, limit)
