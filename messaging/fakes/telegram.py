"""A fake Telegram Bot API: POST /bot<token>/<method> (setWebhook, sendMessage, sendPhoto, getFile,
answerCallbackQuery, getMe) and GET /file/bot<token>/<path>; plays people by posting updates to the
webhook registered with setWebhook, with its secret token header, as Telegram does."""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs

import httpx

from messaging.fakes.base import FakeServer


def sample_photo(size=(64, 48)) -> bytes:
    """A real JPEG, as a phone would send."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (90, 90, 90)).save(out, "JPEG")
    return out.getvalue()


def request_params(content_type: str, body: bytes) -> dict:
    """Bot API parameters as Telegram takes them: JSON, URL-encoded or multipart form (whose object
    values, such as reply_markup, are JSON text)."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" or (not kind and body.strip().startswith(b"{")):
        params = json.loads(body or b"{}")
        if not isinstance(params, dict):
            raise ValueError("not an object")
        return params
    if kind == "application/x-www-form-urlencoded":
        fields = {key: values[-1] for key, values in parse_qs(body.decode()).items()}
    elif kind == "multipart/form-data":
        message = BytesParser(policy=policy.HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        fields = {
            part.get_param("name", header="content-disposition"): part.get_content() for part in message.iter_parts()
        }
        fields = {key: value.decode() if isinstance(value, bytes) else value for key, value in fields.items()}
    else:
        fields = {}
    for key, value in list(fields.items()):
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                fields[key] = json.loads(value)
    return fields


class FakeTelegram(FakeServer):
    def __init__(self, token: str = "123456:TEST-token", **kwargs):  # noqa: S107 - a fake server
        super().__init__(**kwargs)
        self.tokens = {token}
        self.webhook: dict = {}
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id -> (bytes, file_path)
        self.file_failures = 0  # the next N file downloads answer 503
        # Chats that refuse the bot's messages as Telegram does (`refusal`): blocked or deleted people, chats it
        # does not know, groups that became supergroups (old id -> new id); and a flood limit / an outage for the
        # next sends (`control_flood`, `control_down`).
        self.blocked: set[str] = set()
        self.deactivated: set[str] = set()
        self.unknown_chats: set[str] = set()
        self.migrated: dict[str, int] = {}
        self.flood: list[int] = []  # retry_after of the next refused sends
        self.down: list[int] = []  # HTTP status of the next refused sends (5xx)
        self.update_ids = itertools.count(int(time.time()) % 100000 * 1000)
        self.message_ids = itertools.count(1)

    # --- the Bot API -----------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        if path.startswith("/_control/"):
            return self.control(method, path, body)
        if path.startswith("/file/bot"):
            return self._file(path)
        if not path.startswith("/bot") or path.count("/") != 2:
            return 404, {}, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, api_method = path[4:].split("/", 1)
        if token not in self.tokens:
            return 401, {}, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        try:
            params = request_params(headers.get("Content-Type", ""), body)
        except ValueError:
            return 400, {}, {"ok": False, "error_code": 400, "description": "Bad Request: can't parse JSON"}
        self.record({"method": api_method, "token": token, "body": params, "at": time.time()})
        failure = self._failure()
        if failure is not None:
            return failure
        if api_method == "setWebhook":
            if not str(params.get("url", "")).startswith(("http://", "https://")):
                return 400, {}, {"ok": False, "error_code": 400, "description": "Bad Request: bad webhook URL"}
            self.webhook = {"url": params["url"], "secret_token": params.get("secret_token", "")}
            return 200, {}, {"ok": True, "result": True, "description": "Webhook was set"}
        if api_method == "getMe":
            return (
                200,
                {},
                {
                    "ok": True,
                    "result": {"id": 123456, "is_bot": True, "first_name": "CivicDesk", "username": "civicdesk_bot"},
                },
            )
        if api_method in ("sendMessage", "sendPhoto"):
            refused = self.refusal(str(params.get("chat_id", "")))
            if refused is not None:
                return refused
            if "chat_id" not in params or (api_method == "sendMessage" and not params.get("text")):
                return 400, {}, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
            message = self._message(params)
            self.stall_after_taking()
            return 200, {}, {"ok": True, "result": message}
        if api_method == "answerCallbackQuery":
            return 200, {}, {"ok": True, "result": True}
        if api_method == "getFile":
            file_id = params.get("file_id")
            if file_id not in self.files:
                return 400, {}, {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
            data, file_path = self.files[file_id]
            return (
                200,
                {},
                {
                    "ok": True,
                    "result": {
                        "file_id": file_id,
                        "file_unique_id": file_id[-8:],
                        "file_size": len(data),
                        "file_path": file_path,
                    },
                },
            )
        return 404, {}, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def refusal(self, chat_id: str):
        """Telegram's answer to a message for `chat_id` that it refuses, or None (the Bot API's documented errors:
        `{"ok": false, "error_code", "description", "parameters"}`)."""
        with self.lock:
            if self.down:
                status = self.down.pop(0)
                return status, {}, {"ok": False, "error_code": status, "description": "Internal Server Error"}
            if self.flood:
                wait = self.flood.pop(0)
                return (
                    429,
                    {},
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {wait}",
                        "parameters": {"retry_after": wait},
                    },
                )
            if chat_id in self.blocked:
                return (
                    403,
                    {},
                    {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
                )
            if chat_id in self.deactivated:
                return 403, {}, {"ok": False, "error_code": 403, "description": "Forbidden: user is deactivated"}
            if chat_id in self.unknown_chats:
                return 400, {}, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
            if chat_id in self.migrated:
                return (
                    400,
                    {},
                    {
                        "ok": False,
                        "error_code": 400,
                        "description": "Bad Request: group chat was upgraded to a supergroup chat",
                        "parameters": {"migrate_to_chat_id": self.migrated[chat_id]},
                    },
                )
        return None

    def _message(self, params: dict) -> dict:
        message = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "from": {"id": 123456, "is_bot": True, "first_name": "CivicDesk"},
        }
        if "text" in params:
            message["text"] = params["text"]
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _file(self, path: str):
        token, _sep, file_path = path.removeprefix("/file/bot").partition("/")
        if token not in self.tokens:
            return 401, {}, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        with self.lock:
            if self.file_failures > 0:
                self.file_failures -= 1
                return 503, {}, {"ok": False, "error_code": 503, "description": "Service Unavailable"}
        for data, known in self.files.values():
            if known == file_path:
                return 200, {"Content-Type": "image/png" if known.endswith(".png") else "image/jpeg"}, data
        return 404, {}, {"ok": False, "error_code": 404, "description": "Not Found"}

    def sent(self, chat_id=None) -> list[dict]:
        """What the bot sent (sendMessage/sendPhoto bodies), to one chat or all."""
        with self.lock:
            calls = [call["body"] for call in self.calls if call["method"] in ("sendMessage", "sendPhoto")]
        return [body for body in calls if chat_id is None or str(body.get("chat_id")) == str(chat_id)]

    # --- playing a person ------------------------------------------------------------------------
    def person(self, chat_id: int, first_name: str = "Ana", language_code: str = "en") -> dict:
        return {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": language_code}

    def message_update(self, chat_id: int, *, text: str | None = None, **fields) -> dict:
        message = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": fields.pop("first_name", "Ana")},
            "from": self.person(chat_id, language_code=fields.pop("language_code", "en")),
            **fields,
        }
        if text is not None:
            message["text"] = text
        return {"update_id": next(self.update_ids), "message": message}

    def photo_update(self, chat_id: int, *, caption: str = "", data: bytes | None = None) -> dict:
        data = sample_photo() if data is None else data
        file_id = f"AgAC{next(self.update_ids)}"
        self.files[file_id] = (data, f"photos/file_{len(self.files)}.jpg")
        sizes = [
            {"file_id": file_id + "s", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 100},
            {"file_id": file_id, "file_unique_id": "l", "width": 800, "height": 600, "file_size": len(data)},
        ]
        self.files[file_id + "s"] = (data, f"photos/small_{len(self.files)}.jpg")
        extra = {"caption": caption} if caption else {}
        return self.message_update(chat_id, photo=sizes, **extra)

    def location_update(self, chat_id: int, latitude: float, longitude: float) -> dict:
        return self.message_update(chat_id, location={"latitude": latitude, "longitude": longitude})

    def button_update(self, chat_id: int, data: str) -> dict:
        """A press on a button of the last keyboard sent to the chat with this callback data."""
        shown = next(
            (body for body in reversed(self.sent(chat_id)) if "reply_markup" in body),
            {"text": "", "reply_markup": {"inline_keyboard": []}},
        )
        return {
            "update_id": next(self.update_ids),
            "callback_query": {
                "id": str(next(self.update_ids)),
                "from": self.person(chat_id),
                "chat_instance": str(chat_id),
                "data": data,
                "message": {
                    "message_id": next(self.message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": shown.get("text", ""),
                    "reply_markup": shown["reply_markup"],
                },
            },
        }

    def deliver(self, update: dict, *, secret: str | None = None, url: str | None = None) -> httpx.Response:
        """POST an update to the registered webhook as Telegram does (its secret token header)."""
        secret = self.webhook.get("secret_token", "") if secret is None else secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return httpx.post(url or self.webhook["url"], json=update, headers=headers, timeout=30.0)

    # --- control API (manage.py provider_server telegram) ----------------------------------------
    def control_say(self, chat_id: int, text: str, **_ignored) -> dict:
        return self._control_deliver(self.message_update(int(chat_id), text=text))

    def control_press(self, chat_id: int, data: str, **_ignored) -> dict:
        return self._control_deliver(self.button_update(int(chat_id), data))

    def control_photo(self, chat_id: int, caption: str = "", **_ignored) -> dict:
        return self._control_deliver(self.photo_update(int(chat_id), caption=caption))

    def control_location(self, chat_id: int, latitude: float, longitude: float, **_ignored) -> dict:
        return self._control_deliver(self.location_update(int(chat_id), float(latitude), float(longitude)))

    def control_block(self, chat_id: int, **_ignored) -> dict:
        """The person blocks the bot (403 "bot was blocked by the user" from now on); `unblock` undoes it."""
        with self.lock:
            self.blocked.add(str(chat_id))
        return {"blocked": sorted(self.blocked)}

    def control_unblock(self, chat_id: int, **_ignored) -> dict:
        with self.lock:
            self.blocked.discard(str(chat_id))
        return {"blocked": sorted(self.blocked)}

    def control_deactivate(self, chat_id: int, **_ignored) -> dict:
        """The person deletes their account (403 "user is deactivated")."""
        with self.lock:
            self.deactivated.add(str(chat_id))
        return {"deactivated": sorted(self.deactivated)}

    def control_forget(self, chat_id: int, **_ignored) -> dict:
        """Telegram no longer knows the chat (400 "chat not found")."""
        with self.lock:
            self.unknown_chats.add(str(chat_id))
        return {"unknown": sorted(self.unknown_chats)}

    def control_migrate(self, chat_id: int, to: int, **_ignored) -> dict:
        """The group became a supergroup with id `to` (400 with `migrate_to_chat_id`; the new id takes messages)."""
        with self.lock:
            self.migrated[str(chat_id)] = int(to)
        return {"migrated": self.migrated}

    def control_flood(self, retry_after: int = 5, times: int = 1, **_ignored) -> dict:
        """The next `times` sends meet flood control (429 with `retry_after`)."""
        with self.lock:
            self.flood.extend([int(retry_after)] * int(times))
        return {"flood": len(self.flood)}

    def control_down(self, status: int = 502, times: int = 1, **_ignored) -> dict:
        """The next `times` sends meet an outage (HTTP `status`, 5xx)."""
        with self.lock:
            self.down.extend([int(status)] * int(times))
        return {"down": len(self.down)}

    def _control_deliver(self, update: dict) -> dict:
        if not self.webhook:
            return {"error": "no webhook set (run channel_connect with --api-base pointing here)"}
        response = self.deliver(update)
        return {"status": response.status_code, "update_id": update["update_id"]}
