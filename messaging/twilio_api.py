"""Twilio's HTTP protocol, shared by the SMS channel and the follower texts of `requests_app`: the
Messages API (send) and the request signature (`X-Twilio-Signature`: base64 HMAC-SHA1 of the exact URL
followed by the sorted form parameters, keyed with the account's auth token)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from messaging.http import provider_client
from messaging.providers.base import PermanentError, TransientError

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_BODY_CHARS = 1600  # the Messages API's limit for one Body
# Twilio error codes meaning "this number will never take a message" (invalid, unreachable, a landline, opted
# out): a text refused with one of them is not tried again.
NUMBER_REFUSED_CODES = frozenset({21211, 21214, 21217, 21401, 21407, 21408, 21421, 21610, 21612, 21614})


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
    429, 5xx and network errors (429's Retry-After kept), PermanentError for the rest (Twilio's code)."""
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
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After", "")
        raise TransientError(
            f"Twilio: {message}", code=code, retry_after=float(retry_after) if retry_after.isdigit() else None
        )
    if response.status_code >= 500:
        raise TransientError(f"Twilio: {message}", code=code)
    if response.status_code not in (200, 201):
        raise PermanentError(f"Twilio: {message}", code=code)
    return str(answer.get("sid") or "")
