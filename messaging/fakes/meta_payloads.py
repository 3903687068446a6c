"""Meta's webhook payloads as WhatsApp Cloud API and Messenger send them (built by the local Graph
server and the tests), and the checks Meta applies to what we send (the server refuses the same)."""

from __future__ import annotations

import base64
import struct
import time
import uuid
import zlib

WA_TEXT_LIMIT, WA_BUTTON_TITLE, WA_ROW_TITLE, FB_TEXT_LIMIT, FB_QR_TITLE = 4096, 20, 24, 2000, 20


def png_bytes(width: int = 4, height: int = 4, rgb=(200, 40, 40)) -> bytes:
    """A small valid PNG (a "photo" the fake phone can send)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


# --- webhook payloads as Meta sends them -------------------------------------------------------------------
def whatsapp_payload(
    phone_number_id: str, *, messages=(), statuses=(), contacts=(), display_phone="15550001111"
) -> dict:
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display_phone, "phone_number_id": str(phone_number_id)},
    }
    if contacts:
        value["contacts"] = list(contacts)
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def whatsapp_message(
    phone_number_id: str,
    *,
    phone: str = "",
    user_id: str = "",
    name: str = "Citizen",
    kind: str = "text",
    content: dict | None = None,
    wamid: str = "",
    at: float | None = None,
) -> dict:
    """One inbound message webhook. `phone` and/or `user_id` (the business-scoped id): a person with a
    username has only the latter."""
    contact: dict = {"profile": {"name": name}}
    message: dict = {"id": wamid or "wamid." + base64.b64encode(uuid.uuid4().bytes).decode().rstrip("=")}
    if phone:
        contact["wa_id"] = phone
        message["from"] = phone
    if user_id:
        contact["user_id"] = user_id
        message["from_user_id"] = user_id
    message.update({"timestamp": str(int(at if at is not None else time.time())), "type": kind, kind: content or {}})
    return whatsapp_payload(phone_number_id, messages=[message], contacts=[contact])


def whatsapp_status(
    phone_number_id: str,
    wamid: str,
    status: str,
    *,
    phone: str = "",
    user_id: str = "",
    error: dict | None = None,
    callback_data: str = "",
) -> dict:
    """A status webhook for one message; `callback_data`: the `biz_opaque_callback_data` it was sent with, which
    Meta echoes in each of its statuses."""
    item: dict = {"id": wamid, "status": status, "timestamp": str(int(time.time()))}
    if callback_data:
        item["biz_opaque_callback_data"] = callback_data
    contacts = []
    if phone:
        item["recipient_id"] = phone
    if user_id:
        item["recipient_user_id"] = user_id
    if error:
        item["errors"] = [error]
    else:
        item["pricing"] = {
            "billable": False,
            "pricing_model": "PMP",
            "category": "service",
            "type": "free_customer_service",
        }
        contacts = [{k: v for k, v in (("wa_id", phone), ("user_id", user_id)) if v}]
    return whatsapp_payload(phone_number_id, statuses=[item], contacts=contacts)


def whatsapp_status_fields(body: dict) -> dict:
    """`whatsapp_status`'s keywords for a message sent with `body`: who it went to, and the `biz_opaque_callback_data`
    it was sent with, which Meta echoes in each of its statuses."""
    return {
        "phone": body.get("to", ""),
        "user_id": body.get("recipient", ""),
        "callback_data": body.get("biz_opaque_callback_data", ""),
    }


def messenger_payload(page_id: str, *items: dict) -> dict:
    return {
        "object": "page",
        "entry": [{"id": str(page_id), "time": int(time.time() * 1000), "messaging": list(items)}],
    }


def messenger_echo(page_id: str, psid: str, mid: str, body: dict) -> dict:
    """The page's `message_echoes` webhook for a message it sent with `body`: from the page to the person, with the
    `metadata` it was sent with."""
    sent = body.get("message") if isinstance(body.get("message"), dict) else {}
    message = {"is_echo": True, "app_id": 1517776481860111, "mid": mid, "text": sent.get("text", "")}
    if sent.get("metadata"):
        message["metadata"] = sent["metadata"]
    item = {"sender": {"id": str(page_id)}, "recipient": {"id": psid}, "timestamp": int(time.time() * 1000)}
    return messenger_payload(page_id, {**item, "message": message})


def messenger_delivery(page_id: str, psid: str, mid: str) -> dict:
    now = int(time.time() * 1000)
    item = {"sender": {"id": psid}, "recipient": {"id": str(page_id)}, "timestamp": now}
    return messenger_payload(page_id, {**item, "delivery": {"mids": [mid], "watermark": now}})


def messenger_message(page_id: str, psid: str, message: dict, *, at: float | None = None) -> dict:
    message = {"mid": "m_" + uuid.uuid4().hex, **message}
    item = {"sender": {"id": psid}, "recipient": {"id": str(page_id)}, "timestamp": int((at or time.time()) * 1000)}
    return messenger_payload(page_id, {**item, "message": message})


# --- what Meta would refuse ------------------------------------------------------------------------------
class GraphError(Exception):
    """A Graph API error answer: `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`."""

    def __init__(self, status: int, code: int, message: str, subcode: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.subcode = status, code, message, subcode

    def body(self) -> dict:
        error = {
            "message": self.message,
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": uuid.uuid4().hex[:11],
        }
        if self.subcode:
            error["error_subcode"] = self.subcode
        return {"error": error}


def _invalid(message: str) -> GraphError:
    return GraphError(400, 100, f"(#100) {message}")


def whatsapp_body_check(body: dict) -> None:
    if body.get("messaging_product") != "whatsapp":
        raise _invalid("The parameter messaging_product is required.")
    callback_data = body.get("biz_opaque_callback_data", "")
    if not isinstance(callback_data, str) or len(callback_data) > 512:
        raise _invalid("Param biz_opaque_callback_data must be a string of up to 512 characters.")
    if not (body.get("to") or body.get("recipient")):
        raise _invalid("The parameter to is required.")
    kind = body.get("type", "text")
    content = body.get(kind)
    if not isinstance(content, dict):
        raise _invalid(f"Param {kind} must be an object.")
    if kind == "text":
        if not content.get("body") or len(content["body"]) > WA_TEXT_LIMIT:
            raise _invalid("Param text['body'] must be 1 to 4096 characters.")
    elif kind == "interactive":
        text = (content.get("body") or {}).get("text", "")
        action = content.get("action") or {}
        if content.get("type") == "button":
            buttons = action.get("buttons") or []
            if not 1 <= len(buttons) <= 3 or not text or len(text) > 1024:
                raise _invalid("Interactive buttons need a body of up to 1024 characters and 1 to 3 buttons.")
            titles = [b["reply"]["title"] for b in buttons]
            if any(not t or len(t) > WA_BUTTON_TITLE for t in titles) or len(set(titles)) != len(titles):
                raise _invalid("Button titles must be unique and 1 to 20 characters.")
        elif content.get("type") == "list":
            rows = [r for s in action.get("sections") or [] for r in s.get("rows") or []]
            if not 1 <= len(rows) <= 10 or not action.get("button") or len(action["button"]) > 20 or not text:
                raise _invalid("A list needs a body, a button of up to 20 characters and 1 to 10 rows.")
            if any(
                not r.get("title") or len(r["title"]) > WA_ROW_TITLE or len(r.get("description", "")) > 72 for r in rows
            ):
                raise _invalid("Row titles must be 1 to 24 characters, descriptions up to 72.")
        else:
            raise _invalid("Unsupported interactive type.")
    elif kind == "template":
        if not content.get("name") or not (content.get("language") or {}).get("code"):
            raise _invalid("A template needs a name and a language code.")
        for component in content.get("components") or []:
            for parameter in component.get("parameters") or []:
                text = parameter.get("text", "")
                if "\n" in text or "\t" in text or "     " in text:
                    raise GraphError(400, 132018, "There was an issue with the parameters in your template.")
    elif kind not in ("image", "document"):
        raise _invalid(f"Unsupported message type {kind}.")


def messenger_body_check(body: dict) -> None:
    if not isinstance(body.get("recipient"), dict) or not body["recipient"].get("id"):
        raise _invalid("param recipient must be non-empty.")
    message = body.get("message")
    if not isinstance(message, dict) or not (message.get("text") or message.get("attachment")):
        raise _invalid("param message must be non-empty.")
    if len(message.get("text", "")) > FB_TEXT_LIMIT:
        raise _invalid("Length of param message[text] must be less than or equal to 2000")
    replies = message.get("quick_replies") or []
    if len(replies) > 13 or any(
        not r.get("title") or len(r["title"]) > FB_QR_TITLE or not r.get("payload") for r in replies
    ):
        raise _invalid("Quick replies: at most 13, titles of 1 to 20 characters, each with a payload.")
    if body.get("messaging_type") == "MESSAGE_TAG" and not body.get("tag"):
        raise _invalid("A MESSAGE_TAG message needs a tag.")
    if not isinstance(message.get("metadata", ""), str) or len(message.get("metadata", "")) > 1000:
        raise _invalid("Length of param message[metadata] must be less than or equal to 1000")


def graph_failure(status: int, code: int, message: str = "Failure", subcode: int | None = None) -> tuple:
    """A `fail_next` answer in Graph's error shape."""
    return status, GraphError(status, code, message, subcode).body()
