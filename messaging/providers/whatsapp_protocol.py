"""WhatsApp Cloud API, the protocol: webhook payloads in, message bodies out, the Graph calls.

Inbound (`parse_webhook`): `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
"messages", "value": {"metadata": {"phone_number_id"}, "contacts": […], "messages": […] | "statuses":
[…]}}]}]}`. People are named by `wa_id`/`from` (their phone number, omitted for people who use a
WhatsApp username) and, since 2026, by the business-scoped user id (`user_id`/`from_user_id`, and
`parent_user_id`/`from_parent_user_id` for linked portfolios); statuses by `recipient_id` and
`recipient_user_id`, with the `biz_opaque_callback_data` the message was sent with. Only changes for the
connection's own phone number id are read.

Outbound (`reply_bodies`, `template_body`): text, interactive reply buttons (up to 3) or a list (up to
10 rows), a template outside the 24-hour window. A person is addressed by phone number (`to`) when
known, else by business-scoped id (`recipient`).
"""

from __future__ import annotations

from messaging.providers.meta_common import (
    GRAPH_API_VERSION,
    Event,
    Identity,
    Ignored,
    InboundMessage,
    Location,
    MediaRef,
    StatusUpdate,
    clip,
    graph_download,
    graph_request,
    graph_url,
    template_parameter,
    timestamp_at,
    with_citations,
)

TEXT_LIMIT = 4096
BUTTON_BODY_LIMIT = 1024
LIST_BODY_LIMIT = 4096
MAX_BUTTONS = 3
MAX_ROWS = 10
BUTTON_TITLE_LIMIT = 20
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ID_LIMIT = 200
MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
STATUSES = ("sent", "delivered", "read", "failed")
# A string sent with a message that Meta echoes in each of its statuses (up to 512 characters).
CALLBACK_DATA, CALLBACK_DATA_LIMIT = "biz_opaque_callback_data", 512


# --- inbound -------------------------------------------------------------------------------------------
def parse_webhook(payload, *, phone_number_id: str) -> list[Event]:
    """Every event in one webhook body, for this phone number id. Malformed parts are `Ignored`."""
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return [Ignored("not_whatsapp")]
    events: list[Event] = []
    for entry in _list(payload.get("entry")):
        for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
            if not isinstance(change, dict) or change.get("field") != "messages":
                events.append(Ignored(f"field:{change.get('field') if isinstance(change, dict) else '?'}"))
                continue
            value = change.get("value") if isinstance(change.get("value"), dict) else {}
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            if str(metadata.get("phone_number_id", "")) != str(phone_number_id):
                events.append(Ignored("other_phone_number"))
                continue
            contacts = [c for c in _list(value.get("contacts")) if isinstance(c, dict)]
            for message in _list(value.get("messages")):
                events.append(_message(message, contacts) if isinstance(message, dict) else Ignored("malformed"))
            for status in _list(value.get("statuses")):
                events.append(_status(status, contacts) if isinstance(status, dict) else Ignored("malformed"))
            if not value.get("messages") and not value.get("statuses"):
                events.append(Ignored("no_messages"))
    return events or [Ignored("empty")]


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _contact_for(contacts: list[dict], *, phone: str, user_id: str) -> dict:
    for contact in contacts:
        if (user_id and _str(contact.get("user_id")) == user_id) or (phone and _str(contact.get("wa_id")) == phone):
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def _identity(phone: str, user_id: str, parent: str, contact: dict) -> Identity:
    profile = contact.get("profile") if isinstance(contact.get("profile"), dict) else {}
    return Identity(
        user_id=user_id or _str(contact.get("user_id")),
        phone=phone or _str(contact.get("wa_id")),
        parent_user_id=parent or _str(contact.get("parent_user_id")),
        name=clip(_str(profile.get("name")), 100),
        username=clip(_str(profile.get("username")), 100),
    )


def _message(message: dict, contacts: list[dict]) -> Event:
    external_id = _str(message.get("id"))
    kind = _str(message.get("type")) or "unknown"
    phone, user_id = _str(message.get("from")), _str(message.get("from_user_id"))
    if not external_id or not (phone or user_id or contacts):
        return Ignored("malformed", external_id)
    if message.get("group_id"):
        return Ignored("group", external_id)
    contact = _contact_for(contacts, phone=phone, user_id=user_id)
    identity = _identity(phone, user_id, _str(message.get("from_parent_user_id")), contact)
    if not identity.key:
        return Ignored("malformed", external_id)
    inbound = InboundMessage(
        external_id=external_id, identity=identity, sent_at=timestamp_at(message.get("timestamp")), kind=kind
    )
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        inbound.text = _str(body.get("body"))
    elif kind == "interactive":
        reply_kind = _str(body.get("type"))
        reply = body.get(reply_kind) if isinstance(body.get(reply_kind), dict) else None
        if reply_kind not in ("button_reply", "list_reply") or reply is None:
            return Ignored(f"interactive:{reply_kind or '?'}", external_id)
        inbound.text, inbound.action = _str(reply.get("title")), _str(reply.get("id"))
    elif kind == "button":  # a quick-reply button of a template we sent
        inbound.text, inbound.action = _str(body.get("text")), _str(body.get("payload"))
    elif kind in ("image", "document", "video", "audio") and _str(body.get("id")):
        inbound.media = [
            MediaRef(
                kind=kind,
                media_id=_str(body.get("id")),
                url=_str(body.get("url")),
                mime_type=_str(body.get("mime_type")),
                caption=_str(body.get("caption")),
            )
        ]
        inbound.text = _str(body.get("caption"))
    elif kind == "location":
        try:
            latitude, longitude = float(body["latitude"]), float(body["longitude"])
        except (KeyError, TypeError, ValueError):
            return Ignored("location:malformed", external_id)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return Ignored("location:malformed", external_id)
        inbound.location = Location(latitude, longitude, _str(body.get("name")), _str(body.get("address")))
    else:
        # stickers, reactions, contacts, orders, system notices, unsupported, request_welcome, …
        return Ignored(kind, external_id)
    if not (inbound.text or inbound.action or inbound.media or inbound.location):
        return Ignored(f"{kind}:empty", external_id)
    return inbound


def _status(status: dict, contacts: list[dict]) -> Event:
    external_id, state = _str(status.get("id")), _str(status.get("status"))
    if not external_id or state not in STATUSES:
        return Ignored(f"status:{state or '?'}", external_id)
    phone, user_id = _str(status.get("recipient_id")), _str(status.get("recipient_user_id"))
    contact = _contact_for(contacts, phone=phone, user_id=user_id)
    update = StatusUpdate(
        external_id=external_id,
        status=state,
        at=timestamp_at(status.get("timestamp")),
        identity=_identity(phone, user_id, _str(status.get("parent_recipient_user_id")), contact),
        reference=_str(status.get(CALLBACK_DATA))[:CALLBACK_DATA_LIMIT],
    )
    errors = [e for e in _list(status.get("errors")) if isinstance(e, dict)]
    if errors:
        error = errors[0]
        update.error_code = error.get("code") if isinstance(error.get("code"), int) else None
        details = error.get("error_data", {}).get("details") if isinstance(error.get("error_data"), dict) else ""
        update.error_title = clip(" — ".join(filter(None, [_str(error.get("title")), _str(details)])), 300)
    return update


# --- outbound ------------------------------------------------------------------------------------------
def recipient_fields(*, phone: str = "", user_id: str = "") -> dict:
    """Address a person by phone number when we have it, else by business-scoped user id."""
    if phone:
        return {"to": phone}
    if user_id:
        return {"recipient": user_id}
    raise ValueError("A WhatsApp recipient needs a phone number or a business-scoped user id.")


def _envelope(recipient: dict, kind: str, content: dict) -> dict:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", **recipient, "type": kind, kind: content}


def reply_bodies(
    recipient: dict, text: str, *, actions=(), citations=(), site_url: str, choose_label: str = "Choose"
) -> list[dict]:
    """The request bodies for one reply: its text (with the sources as a title plus link) and its quick
    replies as interactive reply buttons (up to 3) or a list (4 to 10). Options past 10 are dropped
    (the text says what else to type); a text too long for an interactive body goes first on its own."""
    options = [
        a for a in actions or () if isinstance(a, dict) and a.get("type", "reply") == "reply" and a.get("value")
    ][:MAX_ROWS]
    if not options:
        return [
            _envelope(
                recipient,
                "text",
                {
                    "body": with_citations(text, list(citations), site_url=site_url, limit=TEXT_LIMIT),
                    "preview_url": False,
                },
            )
        ]
    body_limit = BUTTON_BODY_LIMIT if len(options) <= MAX_BUTTONS else LIST_BODY_LIMIT
    full = with_citations(text, list(citations), site_url=site_url, limit=TEXT_LIMIT)
    bodies = []
    if len(full) > body_limit:
        bodies.append(_envelope(recipient, "text", {"body": full, "preview_url": False}))
        full = clip(choose_label, body_limit)
    if len(options) <= MAX_BUTTONS:
        interactive = {
            "type": "button",
            "body": {"text": full or choose_label},
            "action": {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {
                            "id": clip(str(o["value"]), ID_LIMIT),
                            "title": clip(str(o.get("label") or o["value"]), BUTTON_TITLE_LIMIT),
                        },
                    }
                    for o in options
                ]
            },
        }
    else:
        rows = []
        for option in options:
            label = str(option.get("label") or option["value"])
            row = {"id": clip(str(option["value"]), ID_LIMIT), "title": clip(label, ROW_TITLE_LIMIT)}
            if len(label) > ROW_TITLE_LIMIT:  # the whole label, where the title cannot hold it
                row["description"] = clip(label, ROW_DESCRIPTION_LIMIT)
            rows.append(row)
        interactive = {
            "type": "list",
            "body": {"text": full or choose_label},
            "action": {"button": clip(choose_label, BUTTON_TITLE_LIMIT), "sections": [{"title": "", "rows": rows}]},
        }
        interactive["action"]["sections"][0]["title"] = clip(choose_label, ROW_TITLE_LIMIT)
    bodies.append(_envelope(recipient, "interactive", interactive))
    return bodies


def template_body(recipient: dict, *, name: str, language: str, text: str) -> dict:
    """An approved template with one body variable holding `text` (what the message would have said)."""
    return _envelope(
        recipient,
        "template",
        {
            "name": name,
            "language": {"code": language or "en"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": template_parameter(text)}]}],
        },
    )


class WhatsAppClient:
    """The Graph calls of one connection: send a message, resolve and download a media id."""

    def __init__(self, *, api_base: str, phone_number_id: str, access_token: str, version: str = GRAPH_API_VERSION):
        self.api_base, self.version = api_base, version or GRAPH_API_VERSION
        self.phone_number_id, self.access_token = phone_number_id, access_token

    def send(self, body: dict) -> str:
        """POST {api_base}/{version}/{phone_number_id}/messages; the new message's wamid."""
        answer = graph_request(
            "POST",
            graph_url(self.api_base, self.version, self.phone_number_id, "messages"),
            token=self.access_token,
            json=body,
        )
        messages = answer.get("messages") if isinstance(answer.get("messages"), list) else []
        return _str(messages[0].get("id")) if messages and isinstance(messages[0], dict) else ""

    def media(self, media_id: str) -> tuple[bytes, str]:
        """GET {api_base}/{version}/{media_id} gives a short-lived URL, which is downloaded with the
        same bearer token."""
        info = graph_request("GET", graph_url(self.api_base, self.version, media_id), token=self.access_token)
        url = _str(info.get("url"))
        if not url:
            from messaging.providers.meta_common import SendError

            raise SendError("The media has no URL", transient=False)
        data, content_type = graph_download(url, token=self.access_token)
        return data, _str(info.get("mime_type")) or content_type
