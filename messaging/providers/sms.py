"""SMS (and MMS) through Twilio: the inbound webhook (form-encoded, `X-Twilio-Signature`), answered with
empty TwiML (replies go out through the Messages API, like every outbox line), status callbacks for
delivery states, quick replies as numbered options ("Reply 1, 2 or 3"; a number sent back is the
option's action, see `messaging.turns`).

The signature covers the URL Twilio called: behind NUM_PROXIES trusted proxies the scheme comes from
their `X-Forwarded-Proto` (the outermost trusted hop's value), the host from the Host header.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import httpx
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from messaging import keywords
from messaging.http import provider_client
from messaging.providers import register
from messaging.providers.base import (
    ConnectOption,
    Inbound,
    Media,
    Outgoing,
    PermanentError,
    Provider,
    TransientError,
    Verdict,
    clean_text,
    links_text,
)
from messaging.providers.meta_common import absolute_links, absolute_url
from messaging.twilio_api import (
    MAX_BODY_CHARS,
    TIMEOUT,
    twilio_message_find,
    twilio_message_send,
    twilio_signature_valid,
)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Twilio's MessageStatus → ours (queued, sending, accepted, scheduled: nothing to record yet).
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "read", "failed": "failed", "undelivered": "failed"}
PROMPTS = {
    "en": ("Reply {numbers}.", " or "),
    "es": ("Responda {numbers}.", " o "),
    "zh-hans": ("请回复 {numbers}。", " 或 "),
}


def _params(raw: bytes) -> list[tuple[str, str]] | None:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        return None


def public_url(request: HttpRequest) -> str:
    """The URL the provider called, as it saw it (scheme from the trusted proxies' X-Forwarded-Proto)."""
    scheme = request.scheme
    proxies = int(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0)
    if proxies > 0:
        forwarded = [value.strip() for value in request.META.get("HTTP_X_FORWARDED_PROTO", "").split(",")]
        forwarded = [value for value in forwarded if value]
        if len(forwarded) >= proxies and forwarded[-proxies] in ("http", "https"):
            scheme = forwarded[-proxies]
    return f"{scheme}://{request.get_host()}{request.get_full_path()}"


def reply_prompt(count: int, language: str) -> str:
    template, joiner = PROMPTS.get(language) or PROMPTS["en"]
    numbers = [str(number) for number in range(1, count + 1)]
    listed = numbers[0] if count == 1 else ", ".join(numbers[:-1]) + joiner + numbers[-1]
    return template.format(numbers=listed)


class SmsProvider(Provider):
    kind = "sms"
    label = "SMS"
    default_api_base = "https://api.twilio.com"
    max_body_bytes = 64 * 1024
    connect_options = (
        ConnectOption("--account-sid", "account_sid", secret=False, label=_("Account SID")),
        ConnectOption("--auth-token", "auth_token", secret=True, label=_("Auth token")),
        ConnectOption("--from", "from_number", secret=False, label=_("From number")),
    )
    # Twilio queues what a number cannot send at once (long codes send about 1 a second) and paces the
    # carrier itself; its API takes about 100 requests a second per account.
    rate_per_second = 50.0
    rate_per_recipient_per_second = 1.0
    max_text_chars = MAX_BODY_CHARS
    numbered_options = True

    def clean_value(self, field: str, value: str) -> str:
        if field == "from_number" and not (value.startswith("+") and value[1:].isdigit() and 8 <= len(value) <= 16):
            raise ValueError("The from number must be in E.164 form, e.g. +15551234567.")
        if field == "account_sid" and not (value.startswith("AC") and value.isalnum()):
            raise ValueError("An account SID starts with AC.")
        return value

    # --- webhook ---------------------------------------------------------------------------------
    def verify(self, connection, request: HttpRequest, raw: bytes) -> Verdict:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            return Verdict.UNAUTHORIZED
        params = _params(raw)
        if params is None:
            return Verdict.FORBIDDEN
        valid = twilio_signature_valid(connection.secret("auth_token"), public_url(request), params, signature)
        if not valid or dict(params).get("AccountSid", connection.setting("account_sid")) != connection.setting(
            "account_sid"
        ):
            return Verdict.FORBIDDEN
        return Verdict.OK

    def event_id(self, connection, request: HttpRequest, raw: bytes) -> str:
        params = dict(_params(raw) or [])
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        if not sid:
            return ""
        if "Body" not in params and params.get("MessageStatus"):
            return f"{sid}:{params['MessageStatus']}"[:200]  # one status callback per state
        return sid[:200]

    def acknowledge(self, connection, request: HttpRequest) -> HttpResponse:
        return HttpResponse(EMPTY_TWIML, content_type="text/xml")

    # --- worker ----------------------------------------------------------------------------------
    def parse(self, connection, raw: bytes, content_type: str) -> list[Inbound]:
        pairs = _params(raw)
        if pairs is None:
            return [Inbound(kind="ignored", reason="malformed")]
        params = {key: clean_text(value) for key, value in pairs}
        sid = params.get("MessageSid") or params.get("SmsSid") or ""
        if "Body" not in params and params.get("MessageStatus"):
            status = STATUSES.get(params["MessageStatus"])
            if status is None or not sid:
                return [Inbound(kind="ignored", item_id=sid, reason=f"status:{params['MessageStatus'][:20]}")]
            error = " ".join(filter(None, [params.get("ErrorCode", ""), params.get("ErrorMessage", "")]))
            code = params.get("ErrorCode", "") if status == "failed" else ""
            return [Inbound(kind="status", item_id=sid, status=status, status_for=sid, error=error, error_code=code)]
        sender = params.get("From", "")
        if not sid or not sender:
            return [Inbound(kind="ignored", item_id=sid, reason="no sender")]
        media = []
        try:
            count = min(int(params.get("NumMedia") or 0), 10)
        except ValueError:
            count = 0
        for index in range(count):
            url = params.get(f"MediaUrl{index}", "")
            content_type = params.get(f"MediaContentType{index}", "")
            if url.startswith(("http://", "https://")) and content_type.startswith("image/"):
                media.append(Media(url=url, content_type=content_type))
        text = params.get("Body", "")
        base = {"item_id": sid, "sender": sender[:200], "text": text}
        if media:
            return [Inbound(kind="media", media=media, **base)]
        if not text.strip():
            return [Inbound(kind="ignored", item_id=sid, reason="empty message")]
        return [Inbound(kind="text", keyword=_twilio_answered(params, text), **base)]

    def fetch_media(self, connection, media: Media) -> tuple[bytes, str]:
        try:
            response = provider_client().get(
                media.url,
                auth=(connection.setting("account_sid"), connection.secret("auth_token")),
                timeout=TIMEOUT,
                follow_redirects=True,
            )
        except httpx.HTTPError as exc:
            raise TransientError(f"media download failed: {exc.__class__.__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"media download answered {response.status_code}")
        if response.status_code != 200:
            raise PermanentError(f"media download answered {response.status_code}")
        return response.content, response.headers.get("Content-Type", media.content_type)

    # --- outbox ----------------------------------------------------------------------------------
    def render(self, connection, outgoing: Outgoing) -> list[dict]:
        text = absolute_links(outgoing.text.strip(), settings.SITE_URL)
        links = links_text([{**link, "url": absolute_url(link["url"], settings.SITE_URL)} for link in outgoing.links])
        if links:
            text = f"{text}\n\n{links}"
        # A form's choice question lists its options already ("1. Pothole … Reply with the number"): the
        # same numbers pick the same options, so they are not listed twice.
        if outgoing.options and f"1. {outgoing.options[0].label}" not in text:
            lines = [f"{number}. {option.label}" for number, option in enumerate(outgoing.options, 1)]
            text = "\n".join([text, "", *lines, "", reply_prompt(len(lines), outgoing.language)]).strip()
        chunks = [text[start : start + MAX_BODY_CHARS] for start in range(0, len(text), MAX_BODY_CHARS)] or ["…"]
        payloads = [{"Body": chunk} for chunk in chunks]
        if outgoing.image_url:
            payloads[0]["MediaUrl"] = [outgoing.image_url]
        return payloads

    def send(self, connection, payload: dict, recipient: str) -> str:
        from messaging.connections import webhook_url

        return twilio_message_send(
            **self._message(connection, payload, recipient),
            media_urls=[url for url in payload.get("MediaUrl") or [] if isinstance(url, str)],
            status_callback=webhook_url(agency=connection.agency, kind=self.kind),
        )

    def find_sent(self, connection, payload: dict, recipient: str, *, since, exclude: set[str]) -> str | None:
        return twilio_message_find(**self._message(connection, payload, recipient), since=since, exclude=exclude)

    def _message(self, connection, payload: dict, recipient: str) -> dict:
        """The connection's account and number, the person and the text: what a send and its look-up share."""
        return {
            "api_base": self.api_base(connection),
            "account_sid": connection.setting("account_sid"),
            "auth_token": connection.secret("auth_token"),
            "sender": connection.setting("from_number"),
            "to": recipient,
            "body": str(payload.get("Body") or ""),
        }


def _twilio_answered(params: dict, text: str) -> str:
    """ "stop" or "start" when Twilio answered this text itself: a Messaging Service with Advanced Opt-Out
    says so (`OptOutType`, for the keywords it lists), else Twilio's default keywords on a long code."""
    said = (params.get("OptOutType") or "").strip().lower()
    if said in (keywords.STOP, keywords.START):
        return said
    if said:
        return ""  # HELP: not a subscription word
    return keywords.twilio_keyword(text)


register(SmsProvider())
