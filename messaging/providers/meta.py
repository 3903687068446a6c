"""The part of the WhatsApp and Messenger providers that is the same for both (Meta's Graph API):
the webhook handshake and signature, the event id of a batch, error mapping, and the 24-hour window
with the per-purpose fallback an agency configures (a WhatsApp template, a Messenger message tag).

Outside the window a message goes as the fallback configured for its purpose, or, with none, is held
for staff (`Held`): it is sent by itself when the person writes again, or staff discard it.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import ClassVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from messaging.providers import meta_common
from messaging.providers.base import (
    ConnectOption,
    Held,
    Inbound,
    Media,
    PermanentError,
    Provider,
    TransientError,
    Verdict,
)
from tenants.translations import ui_language

# The outbox's purposes, as the agency names them when it configures a fallback for each.
PURPOSE_NAMES = {
    "news": meta_common.PURPOSE_STATUS_NEWS,
    "alert": meta_common.PURPOSE_ALERTS,
    "feedback": meta_common.PURPOSE_FEEDBACK_REQUEST,
    "reply": "agent_reply",
    "test": "test",
}
_FALLBACK_ITEM = re.compile(r"^\s*([a-z_]+)\s*=\s*([A-Za-z0-9_.:-]+)\s*$")


def fallbacks_parse(text: str) -> dict[str, str]:
    """`"status_news=civic_status:en, alerts=civic_alert:es"` → {"status_news": "civic_status:en", …}.
    Raises ValueError naming the part it cannot read."""
    found = {}
    for part in filter(None, (p.strip() for p in str(text or "").split(","))):
        match = _FALLBACK_ITEM.match(part)
        if match is None or match.group(1) not in (*PURPOSE_NAMES.values(),):
            raise ValueError(
                f"Cannot read {part!r}: use purpose=value, purposes {', '.join(sorted(set(PURPOSE_NAMES.values())))}."
            )
        found[match.group(1)] = match.group(2)
    return found


def meta_connect_options(account: ConnectOption, token: ConnectOption, fallback: ConnectOption) -> tuple:
    """A Meta channel's connect options: its account and token, the app's secret and verify token, its fallback."""
    return (
        account,
        token,
        ConnectOption("--app-secret", "app_secret", secret=True, label=gettext_lazy("App secret")),
        ConnectOption("--verify-token", "verify_token", secret=True, label=gettext_lazy("Verify token")),
        fallback,
    )


class MetaProvider(Provider):
    """Shared by WhatsApp and Messenger. Subclasses set `kind`, the options naming the account and its token (also
    the names of the account's keyword in `webhook_parse` and `client_class`), and implement `_render_free` and
    `_render_fallback`."""

    max_body_bytes: ClassVar[int] = 1024 * 1024
    default_api_base: ClassVar[str] = meta_common.GRAPH_API_BASE
    fallback_field: ClassVar[str] = ""  # "templates" | "message_tags"

    account_field: ClassVar[str] = ""  # "phone_number_id" | "page_id"
    token_field: ClassVar[str] = ""  # "access_token" | "page_token": the name of the secret
    client_class: ClassVar[type] = object  # WhatsAppClient | MessengerClient: the account's Graph calls
    allowed_fallbacks: ClassVar[tuple[str, ...]] = ()  # empty: any name (WhatsApp templates)

    def clean_value(self, field: str, value: str) -> str:
        if field == self.account_field and not value.isdigit():
            raise ValueError("digits only, as Meta shows it.")
        if field == self.fallback_field:
            found = fallbacks_parse(value)
            bad = [v for v in found.values() if self.allowed_fallbacks and v not in self.allowed_fallbacks]
            if bad:
                raise ValueError(f"{', '.join(bad)} is not one of {', '.join(self.allowed_fallbacks)}.")
            return ",".join(f"{purpose}={name}" for purpose, name in found.items())
        return value

    # --- webhook ---------------------------------------------------------------------------------
    def handshake(self, connection, request: HttpRequest) -> HttpResponse:
        challenge = meta_common.handshake_challenge(request.GET, connection.secret("verify_token"))
        if challenge is None:
            return HttpResponse("Verification failed.", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")

    def verify(self, connection, request: HttpRequest, raw: bytes) -> Verdict:
        header = request.headers.get(meta_common.SIGNATURE_HEADER)
        if not header:
            return Verdict.UNAUTHORIZED
        if meta_common.signature_valid(connection.secret("app_secret"), raw, header):
            return Verdict.OK
        return Verdict.FORBIDDEN

    def event_id(self, connection, request: HttpRequest, raw: bytes) -> str:
        """The ids in the batch (wamids or mids, and each status as id:status): Meta retries a delivery
        with the same body, so the same ids. "" for a body without any (its hash is used)."""
        try:
            events = self._events(connection, json.loads(raw))
        except (ValueError, UnicodeDecodeError):
            return ""
        ids = []
        for event in events:
            if isinstance(event, meta_common.StatusUpdate):
                if event.external_id:
                    ids.append(f"{event.external_id}:{event.status}")
                elif event.identity is not None and event.watermark is not None:  # Messenger reads
                    ids.append(f"{event.identity.key}:{event.status}:{int(event.watermark.timestamp() * 1000)}")
            elif event.external_id:
                ids.append(event.external_id)
        if not ids:
            return ""
        joined = ",".join(sorted(set(ids)))
        return joined if len(joined) <= 200 else "ids:" + hashlib.sha256(joined.encode()).hexdigest()

    # --- worker ----------------------------------------------------------------------------------
    def parse(self, connection, raw: bytes, content_type: str) -> list[Inbound]:
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return [Inbound(kind="ignored", reason="malformed JSON")]
        return [self._inbound(event) for event in self._events(connection, payload)]

    @staticmethod
    def _inbound(event: meta_common.Event) -> Inbound:
        from messaging.providers.base import clean_text

        if isinstance(event, meta_common.Ignored):
            return Inbound(kind="ignored", item_id=event.external_id, reason=event.kind)
        if isinstance(event, meta_common.StatusUpdate):
            error = ""
            if event.status == "failed":
                error = f"{event.error_code or ''} {event.error_title}".strip() or "failed"
            return Inbound(
                kind="status",
                item_id=event.external_id,
                sender=event.identity.key if event.identity else "",
                sender_aliases=[key for key in event.identity.keys if key != event.identity.key]
                if event.identity
                else [],
                status=event.status,
                status_for=event.external_id,
                error=error,
                error_code=str(event.error_code or "") if event.status == "failed" else "",
                watermark=event.watermark,
                reason="window_closed" if event.error_code in meta_common.WINDOW_CODES else "",
                reference=event.reference,
            )
        identity = event.identity
        item = Inbound(
            kind="text",
            item_id=event.external_id,
            sender=identity.key,
            sender_aliases=[key for key in identity.keys if key != identity.key],
            sender_name=clean_text(identity.name or identity.username),
            text=clean_text(event.text),
            action=clean_text(event.action),
        )
        if event.location is not None:
            item.kind = "location"
            item.latitude, item.longitude = event.location.latitude, event.location.longitude
            item.text = clean_text(", ".join(filter(None, [event.location.name, event.location.address])))
        elif event.media:
            item.kind = "media"
            item.media = [
                Media(url=m.url if not m.media_id else "", file_id=m.media_id, content_type=m.mime_type)
                for m in event.media
            ]
        elif event.action:
            item.kind = "button"
        return item

    def fetch_media(self, connection, media: Media) -> tuple[bytes, str]:
        try:
            return self._client(connection).media(media.file_id or media.url)
        except meta_common.SendError as exc:
            raise _mapped(exc) from exc

    # --- outbox ----------------------------------------------------------------------------------
    def render(self, connection, outgoing) -> list[dict]:
        language = ui_language(getattr(outgoing, "language", "")) or translation.get_language()
        with translation.override(language):
            return self._render(connection, outgoing)

    def _render(self, connection, outgoing) -> list[dict]:
        site_url = getattr(settings, "SITE_URL", "")
        if self._window_open(outgoing):
            return self._render_free(connection, outgoing, site_url)
        purpose = PURPOSE_NAMES.get(getattr(outgoing, "purpose", "reply") or "reply", "agent_reply")
        fallback = self.fallbacks(connection).get(purpose)
        if fallback:
            return self._render_fallback(connection, outgoing, fallback, site_url)
        raise Held(
            f"Outside the 24-hour window and no {self.fallback_field.replace('_', ' ')[:-1]} for {purpose}: "
            "waiting for the person to write again or for staff to decide.",
            payloads=self._render_free(connection, outgoing, site_url),
        )

    @staticmethod
    def _window_open(outgoing) -> bool:
        last = getattr(outgoing, "last_inbound_at", None)
        return meta_common.window_open(last, timezone.now())

    def fallbacks(self, connection) -> dict[str, str]:
        value = (connection.config or {}).get(self.fallback_field) or ""
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        try:
            return fallbacks_parse(value)
        except ValueError:
            return {}

    def send(self, connection, payload: dict, recipient: str) -> str:
        try:
            return self._client(connection).send(payload)
        except meta_common.SendError as exc:
            raise _mapped(exc) from exc

    # --- subclasses ------------------------------------------------------------------------------
    @staticmethod
    def webhook_parse(payload, **account) -> list[meta_common.Event]:
        raise NotImplementedError

    def _events(self, connection, payload) -> list[meta_common.Event]:
        return self.webhook_parse(payload, **{self.account_field: connection.setting(self.account_field)})

    def _client(self, connection):
        return self.client_class(
            api_base=self.api_base(connection),
            version=connection.setting("graph_version"),
            **{self.account_field: connection.setting(self.account_field)},
            **{self.token_field: connection.secret(self.token_field)},
        )

    def _render_free(self, connection, outgoing, site_url: str) -> list[dict]:
        raise NotImplementedError

    def _render_fallback(self, connection, outgoing, fallback: str, site_url: str) -> list[dict]:
        raise NotImplementedError


def _mapped(exc: meta_common.SendError) -> Exception:
    code = "window_closed" if exc.window_closed else str(exc.code or exc.status or "")
    if exc.transient:
        return TransientError(str(exc), code=code, retry_after=exc.retry_after)
    return PermanentError(str(exc), code=code)
