"""Telegram Bot API: webhook updates with `X-Telegram-Bot-Api-Secret-Token`, sendMessage / sendPhoto,
inline keyboards for quick replies, getFile for photos; refusals by what they mean (`messaging.telegram_errors`:
`429 retry_after` honoured, a blocked bot stops the person's messages, a migrated chat is followed).

The person is the private chat (`message.chat.id`); a pressed inline button arrives as a
`callback_query` whose `data` is our action value (Telegram allows 64 bytes of it).
"""

from __future__ import annotations

import hmac
import json

import httpx
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from messaging.http import provider_client
from messaging.providers import register
from messaging.providers.base import (
    ConnectError,
    ConnectOption,
    Inbound,
    Media,
    Outgoing,
    PermanentError,
    Provider,
    RecipientGone,
    RecipientMoved,
    TransientError,
    Verdict,
    clean_text,
    links_text,
)
from messaging.providers.meta_common import absolute_links, absolute_url
from messaging.telegram_errors import GONE, LATER, MOVED, telegram_error_code, telegram_error_kind

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
CALLBACK_DATA_BYTES = 64
# Telegram's language_code is IETF (en, es, zh-hans, zh-hant, pt-br…): ours by prefix.
LANGUAGES = {"en": "en", "es": "es", "zh": "zh-hans"}
IGNORED_MESSAGE_KINDS = ("sticker", "animation", "video", "video_note", "voice", "audio", "dice", "poll", "contact")


def _language(code) -> str:
    return LANGUAGES.get(str(code or "").split("-")[0].lower(), "")


def _json(raw: bytes):
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return None


class TelegramProvider(Provider):
    kind = "telegram"
    label = "Telegram"
    default_api_base = "https://api.telegram.org"
    connect_options = (
        ConnectOption("--bot-token", "bot_token", secret=True, label=_("Bot token")),
        ConnectOption("--secret-token", "secret_token", secret=True, label=_("Webhook secret token")),
    )
    sets_webhook = True
    rate_per_second = 30.0  # Telegram: about 30 messages a second per bot
    rate_per_recipient_per_second = 1.0  # and about one a second per chat
    max_text_chars = 4096

    def _url(self, connection, method: str) -> str:
        return f"{self.api_base(connection)}/bot{connection.secret('bot_token')}/{method}"

    # --- webhook ---------------------------------------------------------------------------------
    def verify(self, connection, request: HttpRequest, raw: bytes) -> Verdict:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        expected = connection.secret("secret_token")
        if not given:
            return Verdict.UNAUTHORIZED
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return Verdict.FORBIDDEN
        return Verdict.OK

    def event_id(self, connection, request: HttpRequest, raw: bytes) -> str:
        update = _json(raw)
        if isinstance(update, dict) and isinstance(update.get("update_id"), int):
            return f"u{update['update_id']}"
        return ""

    # --- worker ----------------------------------------------------------------------------------
    def parse(self, connection, raw: bytes, content_type: str) -> list[Inbound]:
        update = _json(raw)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return [Inbound(kind="ignored", reason="malformed")]
        item_id = str(update["update_id"])
        if isinstance(update.get("callback_query"), dict):
            return [self._callback(update["callback_query"], item_id)]
        message = update.get("message")
        if not isinstance(message, dict):
            kind = next((key for key in update if key != "update_id"), "empty")
            return [Inbound(kind="ignored", item_id=item_id, reason=f"update:{str(kind)[:40]}")]
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        sender = message.get("from") if isinstance(message.get("from"), dict) else {}
        if chat.get("type", "private") != "private" or not isinstance(chat.get("id"), int):
            return [Inbound(kind="ignored", item_id=item_id, reason="not a private chat")]
        base = {
            "item_id": item_id,
            "sender": str(chat["id"]),
            "sender_name": clean_text(sender.get("first_name"))[:200],
            "language": _language(sender.get("language_code")),
        }
        location = message.get("location")
        if isinstance(location, dict) and _number(location.get("latitude")) and _number(location.get("longitude")):
            return [
                Inbound(
                    kind="location",
                    latitude=float(location["latitude"]),
                    longitude=float(location["longitude"]),
                    **base,
                )
            ]
        photos = message.get("photo")
        if isinstance(photos, list) and photos:
            sizes = [photo for photo in photos if isinstance(photo, dict) and isinstance(photo.get("file_id"), str)]
            if sizes:
                largest = max(sizes, key=lambda photo: (photo.get("width") or 0) * (photo.get("height") or 0))
                return [
                    Inbound(
                        kind="media",
                        text=clean_text(message.get("caption")),
                        media=[Media(file_id=largest["file_id"], content_type="image/jpeg")],
                        **base,
                    )
                ]
        if isinstance(message.get("text"), str) and clean_text(message["text"]).strip():
            return [Inbound(kind="text", text=clean_text(message["text"]), **base)]
        kind = next((key for key in IGNORED_MESSAGE_KINDS if key in message), "other")
        return [Inbound(kind="ignored", item_id=item_id, reason=f"message:{kind}")]

    def _callback(self, query: dict, item_id: str) -> Inbound:
        message = query.get("message") if isinstance(query.get("message"), dict) else {}
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        sender = query.get("from") if isinstance(query.get("from"), dict) else {}
        data = clean_text(query.get("data"))
        chat_id = chat.get("id", sender.get("id"))
        if not data or not isinstance(chat_id, int):
            return Inbound(kind="ignored", item_id=item_id, reason="callback without data")
        label = data
        markup = message.get("reply_markup") if isinstance(message.get("reply_markup"), dict) else {}
        for row in markup.get("inline_keyboard") or []:
            for button in row if isinstance(row, list) else []:
                if isinstance(button, dict) and button.get("callback_data") == data:
                    label = clean_text(button.get("text")) or data
        return Inbound(
            kind="button",
            item_id=item_id,
            sender=str(chat_id),
            sender_name=clean_text(sender.get("first_name"))[:200],
            language=_language(sender.get("language_code")),
            text=label,
            action=data,
        )

    def fetch_media(self, connection, media: Media) -> tuple[bytes, str]:
        found = self._call(connection, "getFile", {"file_id": media.file_id})
        path = found.get("file_path") if isinstance(found, dict) else None
        if not isinstance(path, str) or not path:
            raise PermanentError("Telegram gave no file path.")
        url = f"{self.api_base(connection)}/file/bot{connection.secret('bot_token')}/{path}"
        try:
            response = provider_client().get(url, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            raise TransientError(f"file download failed: {exc.__class__.__name__}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"file download answered {response.status_code}")
        if response.status_code != 200:
            raise PermanentError(f"file download answered {response.status_code}")
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith("image/"):
            content_type = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}.get(
                path.rsplit(".", 1)[-1].lower(), content_type
            )
        return response.content, content_type

    # --- outbox ----------------------------------------------------------------------------------
    def render(self, connection, outgoing: Outgoing) -> list[dict]:
        text = absolute_links(outgoing.text.strip(), settings.SITE_URL)  # a phone cannot follow a path
        links = links_text([{**link, "url": absolute_url(link["url"], settings.SITE_URL)} for link in outgoing.links])
        if links:
            text = f"{text}\n\n{links}"
        chunks = [text[start : start + self.max_text_chars] for start in range(0, len(text), self.max_text_chars)]
        payloads: list[dict] = []
        if outgoing.image_url:
            payloads.append({"method": "sendPhoto", "photo": outgoing.image_url})
        for index, chunk in enumerate(chunks or [""]):
            payload = {"method": "sendMessage", "text": chunk or "…"}
            if outgoing.options and index == len(chunks) - 1:
                buttons = [
                    [{"text": option.label[:64], "callback_data": _callback_data(option.value or option.label)}]
                    for option in outgoing.options
                ]
                payload["reply_markup"] = {"inline_keyboard": buttons}
            payloads.append(payload)
        return payloads

    def send(self, connection, payload: dict, recipient: str) -> str:
        body = {key: value for key, value in payload.items() if key != "method"}
        result = self._call(connection, str(payload.get("method") or "sendMessage"), {"chat_id": recipient, **body})
        if isinstance(result, dict) and result.get("message_id") is not None:
            return str(result["message_id"])
        return ""

    def _call(self, connection, method: str, body: dict):
        """One Bot API call; its `result`. A refusal is raised by what it means (`messaging.telegram_errors`):
        TransientError for 429 (with `retry_after`), 5xx and network errors, RecipientMoved for a chat that
        migrated, RecipientGone for a person who blocked the bot or deleted their account, PermanentError else."""
        try:
            response = provider_client().post(self._url(connection, method), json=body, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            raise TransientError(f"{method}: {exc.__class__.__name__}", code="network") from None
        answer = _json(response.content)
        answer = answer if isinstance(answer, dict) else {}
        if response.status_code == 200 and answer.get("ok"):
            return answer.get("result")
        description = clean_text(str(answer.get("description") or response.reason_phrase))[:300]
        parameters = answer.get("parameters") if isinstance(answer.get("parameters"), dict) else {}
        status = answer.get("error_code") if isinstance(answer.get("error_code"), int) else response.status_code
        code = telegram_error_code(status, description, parameters)
        kind = telegram_error_kind(code)
        message = f"{method}: {description}"
        if kind == LATER:
            retry_after = parameters.get("retry_after")
            number = isinstance(retry_after, int | float) and not isinstance(retry_after, bool)
            raise TransientError(message, code=code, retry_after=float(retry_after) if number else None)
        moved_to = parameters.get("migrate_to_chat_id")
        if kind == MOVED and isinstance(moved_to, int) and not isinstance(moved_to, bool):
            raise RecipientMoved(message, code=code, moved_to=str(moved_to))
        if code in GONE:
            raise RecipientGone(message, code=code)
        raise PermanentError(message, code=code)

    # --- connecting ------------------------------------------------------------------------------
    def on_connect(self, connection, webhook_url: str) -> None:
        try:
            self._call(
                connection,
                "setWebhook",
                {
                    "url": webhook_url,
                    "secret_token": connection.secret("secret_token"),
                    "allowed_updates": ["message", "callback_query"],
                },
            )
        except (TransientError, PermanentError) as exc:
            raise ConnectError(str(exc)) from None


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value  # not NaN


def _callback_data(value: str) -> str:
    data = value.encode()[:CALLBACK_DATA_BYTES]
    return data.decode("utf-8", errors="ignore")


register(TelegramProvider())
