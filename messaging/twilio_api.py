"""Twilio's HTTP protocol, shared by the SMS channel and the follower texts of `requests_app`: the
Messages API (send) and the request signature (`X-Twilio-Signature`: base64 HMAC-SHA1 of the exact URL
followed by the sorted form parameters, keyed with the account's auth token)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from messaging.http import provider_client
from messaging.providers.base import PermanentError, TransientError
from messaging.twilio_errors import LATER, twilio_error_kind

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_BODY_CHARS = 1600  # the Messages API's limit for one Body
MAX_RETRY_AFTER_SECONDS = 6 * 3600


class TwilioRefused(PermanentError):
    """Twilio refused the message for good: `kind` says whose fault (`messaging.twilio_errors`: recipient,
    message or account)."""

    def __init__(self, message: str, *, code: str = "", kind: str = ""):
        super().__init__(message, code=code)
        self.kind = kind


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); None if absent or
    unreadable, at most six hours."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), MAX_RETRY_AFTER_SECONDS)


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """What Twilio puts in X-Twilio-Signature for a form POST of `params` to `url`."""
    grouped: dict[str, set[str]] = {}
    for key, value in params:
        grouped.setdefault(key, set()).add(value)
    data = url + "".join(key + value for key in sorted(grouped) for value in sorted(grouped[key]))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def url_variants(url: str) -> list[str]:
    """The URL as given, without its scheme's default port, and with it (Twilio signs whichever it used)."""
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, ""))
    with_port = urlunsplit((parts.scheme, f"{host}:{parts.port or default}", parts.path, parts.query, ""))
    variants = [url]
    if parts.port in (None, default):
        variants += [bare, with_port]
    return list(dict.fromkeys(variants))


def twilio_signature_valid(auth_token: str, url: str, params: list[tuple[str, str]], signature: str) -> bool:
    if not auth_token or not signature:
        return False
    return any(
        hmac.compare_digest(twilio_signature(auth_token, variant, params).encode(), signature.encode())
        for variant in url_variants(url)
    )


def twilio_message_send(
    *,
    api_base: str,
    account_sid: str,
    auth_token: str,
    sender: str,
    to: str,
    body: str,
    media_urls: Iterable[str] = (),
    status_callback: str = "",
) -> str:
    """POST {api_base}/2010-04-01/Accounts/{sid}/Messages.json; the message's sid. TransientError for
    network errors and what Twilio says to try later (429, 5xx, 20429, 21611: `messaging.twilio_errors`), with
    its Retry-After kept; TwilioRefused (a PermanentError) for the rest, with Twilio's code and its kind."""
    url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
    data: list[tuple[str, str]] = [("To", to), ("From", sender), ("Body", body[:MAX_BODY_CHARS])]
    data += [("MediaUrl", media_url) for media_url in media_urls]
    if status_callback:
        data.append(("StatusCallback", status_callback))
    try:
        response = provider_client().post(
            url,
            content=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            auth=(account_sid, auth_token),
            timeout=TIMEOUT,
        )
    except httpx.HTTPError as exc:
        raise TransientError(f"Twilio: {exc.__class__.__name__}", code="network") from None
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    message = f"{response.status_code} {answer.get('message') or response.reason_phrase}"[:300]
    code = str(answer.get("code") or response.status_code)
    if response.status_code in (200, 201):
        return str(answer.get("sid") or "")
    kind = twilio_error_kind(response.status_code, code)
    if kind == LATER:
        raise TransientError(
            f"Twilio: {message}", code=code, retry_after=retry_after_seconds(response.headers.get("Retry-After"))
        )
    raise TwilioRefused(f"Twilio: {message}", code=code, kind=kind)


def twilio_message_find(
    *,
    api_base: str,
    account_sid: str,
    auth_token: str,
    sender: str,
    to: str,
    body: str,
    since: datetime,
    exclude: set[str] = frozenset(),
) -> str | None:
    """The sid of a text Twilio took from `sender` to `to` with this `body` since `since` (none of `exclude`), or
    None: `GET …/Messages.json?To=…&From=…&PageSize=50`, newest first, compared by body and `date_created` (not
    filtered by `DateSent`, which stays empty while a text is queued). For a text whose worker died mid-send
    (`messaging.in_doubt`). TransientError when Twilio cannot be asked now."""
    url = f"{api_base.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
    try:
        response = provider_client().get(
            url, params={"To": to, "From": sender, "PageSize": 50}, auth=(account_sid, auth_token), timeout=TIMEOUT
        )
    except httpx.HTTPError as exc:
        raise TransientError(f"Twilio: {exc.__class__.__name__}", code="network") from None
    if response.status_code != 200:
        raise TransientError(f"Twilio message list answered {response.status_code}", code=str(response.status_code))
    try:
        messages = response.json().get("messages") or []
    except (ValueError, AttributeError):
        raise TransientError("Twilio message list: not JSON", code="format") from None
    wanted = body[:MAX_BODY_CHARS]
    for message in messages:
        if not isinstance(message, dict) or message.get("body") != wanted or message.get("sid") in exclude:
            continue
        try:
            created = parsedate_to_datetime(str(message.get("date_created") or ""))
        except (TypeError, ValueError, IndexError):
            continue
        if created.tzinfo is not None and created >= since and message.get("sid"):
            return str(message["sid"])
    return None
