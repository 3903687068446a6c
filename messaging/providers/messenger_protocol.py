"""Facebook Messenger (Messenger Platform Send API and page webhooks), the protocol.

Inbound (`parse_webhook`): `{"object": "page", "entry": [{"id": PAGE_ID, "messaging": [{"sender":
{"id": PSID}, "recipient": {"id": PAGE_ID}, "timestamp": ms, "message": {"mid", "text", "quick_reply":
{"payload"}, "attachments": [{"type": "image"|"location", "payload": {…}}], "is_echo"}} | "delivery":
{"mids", "watermark"} | "read": {"watermark"} | "postback": {"title", "payload", "mid"}]}]}`. An echo of
the page's own message (`message_echoes`, sender the page, recipient the person) that carries the `metadata` it
was sent with is read as that message's `sent` status with the metadata as its reference (`messaging.in_doubt`
settles a line whose worker died mid-send by it); other echoes, reactions, edits and anything else are ignored.
A person is their page-scoped id (PSID).

Outbound (`reply_bodies`): `{"recipient": {"id"}, "messaging_type": "RESPONSE", "message": {"text",
"quick_replies": [{"content_type": "text", "title", "payload"}], "metadata"}}` (`metadata`: up to 1,000
characters Meta gives back only in the message's echo); outside the 24-hour window only a message tag
(`"messaging_type": "MESSAGE_TAG", "tag": "ACCOUNT_UPDATE"` …) may be used.
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
    timestamp_at,
    with_citations,
)

TEXT_LIMIT = 2000
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE_LIMIT = 20
PAYLOAD_LIMIT = 1000
METADATA_LIMIT = 1000  # message.metadata: a string Meta echoes in the page's `message_echoes` webhook
# The message tags Meta allows outside the window (HUMAN_AGENT: a person's reply within 7 days).
MESSAGE_TAGS = ("ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "HUMAN_AGENT")


def parse_webhook(payload, *, page_id: str) -> list[Event]:
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return [Ignored("not_page")]
    events: list[Event] = []
    for entry in payload.get("entry") if isinstance(payload.get("entry"), list) else []:
        if not isinstance(entry, dict):
            events.append(Ignored("malformed"))
            continue
        if str(entry.get("id", "")) != str(page_id):
            events.append(Ignored("other_page"))
            continue
        messaging = entry.get("messaging") if isinstance(entry.get("messaging"), list) else []
        if not messaging:
            events.append(Ignored("standby" if entry.get("standby") else "no_messaging"))
        for item in messaging:
            events.extend(_item(item, page_id) if isinstance(item, dict) else [Ignored("malformed")])
    return events or [Ignored("empty")]


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def _item(item: dict, page_id: str) -> list[Event]:
    sender = _str((item.get("sender") or {}).get("id")) if isinstance(item.get("sender"), dict) else ""
    at = timestamp_at(item.get("timestamp"))
    message = item.get("message") if isinstance(item.get("message"), dict) else None
    if message is not None:
        mid = _str(message.get("mid"))
        if message.get("is_echo") or sender == str(page_id):
            return [_echo(item, message, mid, at)]
        return [_message(message, sender, at)]
    if isinstance(item.get("postback"), dict):
        postback = item["postback"]
        mid = _str(postback.get("mid")) or f"postback:{sender}:{_str(item.get('timestamp'))}"
        if not sender or not (postback.get("payload") or postback.get("title")):
            return [Ignored("postback:malformed", mid)]
        return [
            InboundMessage(
                external_id=mid,
                identity=Identity(user_id=sender),
                text=_str(postback.get("title")),
                action=_str(postback.get("payload")),
                sent_at=at,
                kind="postback",
            )
        ]
    if isinstance(item.get("delivery"), dict):
        delivery = item["delivery"]
        mids = (
            [_str(mid) for mid in delivery.get("mids", []) if _str(mid)]
            if isinstance(delivery.get("mids"), list)
            else []
        )
        watermark = timestamp_at(delivery.get("watermark"))
        if not mids:
            return [Ignored("delivery:watermark")]  # older deliveries: a watermark only, nothing to pin
        return [
            StatusUpdate(mid, "delivered", at=at, identity=Identity(user_id=sender), watermark=watermark)
            for mid in mids
        ]
    if isinstance(item.get("read"), dict):
        watermark = timestamp_at(item["read"].get("watermark"))
        if watermark is None or not sender:
            return [Ignored("read:malformed")]
        return [StatusUpdate("", "read", at=at, identity=Identity(user_id=sender), watermark=watermark)]
    kinds = [key for key in ("reaction", "message_edit", "referral", "optin", "account_linking") if key in item]
    return [Ignored(kinds[0] if kinds else "unknown")]


def _echo(item: dict, message: dict, mid: str, at) -> Event:
    """The page's own message as Meta echoes it: with the metadata we sent it with, that message's `sent` status
    (its reference settles a line whose worker died mid-send); else nothing to act on."""
    recipient = _str(item["recipient"].get("id")) if isinstance(item.get("recipient"), dict) else ""
    metadata = _str(message.get("metadata"))[:METADATA_LIMIT]
    if not (mid and recipient and metadata):
        return Ignored("echo", mid)
    return StatusUpdate(mid, "sent", at=at, identity=Identity(user_id=recipient), reference=metadata)


def _message(message: dict, sender: str, at) -> Event:
    mid = _str(message.get("mid"))
    if not mid or not sender:
        return Ignored("malformed", mid)
    inbound = InboundMessage(external_id=mid, identity=Identity(user_id=sender), sent_at=at)
    inbound.text = _str(message.get("text"))
    quick_reply = message.get("quick_reply")
    if isinstance(quick_reply, dict):
        inbound.action = _str(quick_reply.get("payload"))
        inbound.kind = "quick_reply"
    for attachment in message.get("attachments") if isinstance(message.get("attachments"), list) else []:
        if not isinstance(attachment, dict):
            continue
        kind = _str(attachment.get("type"))
        payload = attachment.get("payload") if isinstance(attachment.get("payload"), dict) else {}
        if kind == "location":
            coordinates = payload.get("coordinates") if isinstance(payload.get("coordinates"), dict) else {}
            try:
                latitude, longitude = float(coordinates["lat"]), float(coordinates["long"])
            except (KeyError, TypeError, ValueError):
                continue
            if -90 <= latitude <= 90 and -180 <= longitude <= 180:
                inbound.location = Location(latitude, longitude, _str(attachment.get("title")))
                inbound.kind = "location"
        elif kind in ("image", "video", "audio", "file") and _str(payload.get("url")):
            if payload.get("sticker_id"):
                continue  # a sticker is an image with a sticker id: not a photo of anything
            inbound.media.append(MediaRef(kind="document" if kind == "file" else kind, url=_str(payload.get("url"))))
            inbound.kind = kind
    if not (inbound.text or inbound.action or inbound.media or inbound.location):
        return Ignored("sticker" if message.get("sticker_id") else "message:empty", mid)
    return inbound


# --- outbound ------------------------------------------------------------------------------------------
def reply_bodies(psid: str, text: str, *, actions=(), citations=(), site_url: str, tag: str = "") -> list[dict]:
    """One message: the text with its sources (title plus link) and up to 13 quick replies. `tag`: a
    message tag, for a message outside the 24-hour window."""
    options = [
        a for a in actions or () if isinstance(a, dict) and a.get("type", "reply") == "reply" and a.get("value")
    ][:MAX_QUICK_REPLIES]
    message: dict = {"text": with_citations(text, list(citations), site_url=site_url, limit=TEXT_LIMIT)}
    if options:
        message["quick_replies"] = [
            {
                "content_type": "text",
                "title": clip(str(o.get("label") or o["value"]), QUICK_REPLY_TITLE_LIMIT),
                "payload": clip(str(o["value"]), PAYLOAD_LIMIT),
            }
            for o in options
        ]
    body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": message}
    if tag:
        body["messaging_type"], body["tag"] = "MESSAGE_TAG", tag
    return [body]


class MessengerClient:
    def __init__(self, *, api_base: str, page_id: str, page_token: str, version: str = GRAPH_API_VERSION):
        self.api_base, self.version = api_base, version or GRAPH_API_VERSION
        self.page_id, self.page_token = page_id, page_token

    def send(self, body: dict) -> str:
        """POST {api_base}/{version}/me/messages with the page token; the new message's mid."""
        answer = graph_request(
            "POST", graph_url(self.api_base, self.version, "me", "messages"), token=self.page_token, json=body
        )
        return _str(answer.get("message_id"))

    def media(self, url: str) -> tuple[bytes, str]:
        """Messenger gives attachment URLs directly (on Meta's CDN; no token needed)."""
        return graph_download(url, token="")
