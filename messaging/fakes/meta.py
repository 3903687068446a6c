"""A fake Graph API speaking WhatsApp Cloud API's and Messenger's send APIs (one server can hold both).

As the provider it:
- takes `POST /{version}/{phone_number_id}/messages` (WhatsApp) and `POST /{version}/me/messages`
  (Messenger) with the bearer token, checks the body against Meta's limits (`meta_payloads`), records
  it (`calls`), answers as Meta does, and then posts the delivery statuses to the app's webhook,
  signed with the app secret (`sent`, `delivered`);
- enforces the 24-hour window for the people it speaks for: a WhatsApp free-form message outside it
  is accepted and then reported `failed` with error 131047, a Messenger one refused with 10/2018278;
- echoes the `biz_opaque_callback_data` a WhatsApp message was sent with in each of its statuses, as Meta does;
  with `echoes`, posts each Messenger message's echo (`message_echoes`, with the `metadata` it was sent with);
- holds back its answer to a message it took when asked (`stall_next`, the control API's `stall`/`release`), and
  posts the message's statuses (and echo) only after the answer;
- plays a failure after acceptance: `POST /_control/fail_after {"to", "code", "title", "times"}` makes WhatsApp
  messages to that person be accepted, then reported `sent` and `failed` with that error (131026, 131000, …);
- serves media: `GET /{version}/{media_id}` answers a URL, which serves the bytes to the bearer token
  (WhatsApp); Messenger attachments are plain CDN URLs (`/cdn/<id>`).
As the person's phone (the control API, `manage.py provider_server whatsapp|messenger`):
`POST /_control/say {"text"}`, `/_control/press {"value", "title"}`, `/_control/photo {"caption"}`,
`/_control/location {"latitude", "longitude"}`, each with the person: `"phone"` and/or `"user_id"`
(WhatsApp; a person with a username has only the business-scoped `user_id`) or `"psid"` (Messenger),
and `"account"` when the server holds several. `GET /_control/calls?since=N` lists what the app sent;
`POST /_control/report {"message_id", "statuses"}` posts a message's statuses (or echo) again, e.g. after a stall.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx

from messaging.fakes.base import FakeServer
from messaging.fakes.meta_control import MetaControl
from messaging.fakes.meta_payloads import (
    GraphError,
    messenger_body_check,
    messenger_delivery,
    messenger_echo,
    messenger_message,
    png_bytes,
    whatsapp_body_check,
    whatsapp_message,
    whatsapp_status,
    whatsapp_status_fields,
)
from messaging.providers.meta_common import SIGNATURE_HEADER, WINDOW, signature_header


@dataclass
class Account:
    """A WhatsApp phone number or a Messenger page served here, and the app's webhook for it."""

    product: str  # whatsapp | messenger
    account_id: str  # phone_number_id | page_id
    token: str
    app_secret: str
    hook_url: str = ""
    last_inbound: dict = field(default_factory=dict)  # person → time of their last message


SENT_DELIVERED, ECHOED = ("sent", "delivered"), ("echo", "delivered")


class FakeMeta(MetaControl, FakeServer):
    def __init__(self, *, auto_status: bool = True, status_delay: float = 0.05, echoes: bool = False, **kwargs):
        super().__init__(**kwargs)
        # Messenger: post each message's echo (`message_echoes`, with its metadata), as Meta does to an app subscribed
        # to that field.
        self.echoes = echoes
        self.accounts: dict[tuple[str, str], Account] = {}
        self.media: dict[str, tuple[bytes, str]] = {}
        self.hooks: list[dict] = []  # webhooks posted to the app: {"url", "status", "payload"}
        self.auto_status, self.status_delay = auto_status, status_delay
        self.changed = threading.Condition(self.lock)
        # person (wa_id or user id) -> (WhatsApp error code, title, how many more messages; None: all): messages to
        # them are accepted, then reported `failed` with that error (`control_fail_after`).
        self.failing: dict[str, tuple[int, str, int | None]] = {}

    # --- set-up ----------------------------------------------------------------------------------
    def add_account(self, product: str, account_id: str, *, token: str, app_secret: str, hook_url: str = "") -> Account:
        account = Account(product, str(account_id), token, app_secret, hook_url)
        self.accounts[(product, str(account_id))] = account
        return account

    def account(self, product: str, account_id: str = "") -> Account:
        if account_id:
            return self.accounts[(product, str(account_id))]
        [account] = [a for (kind, _id), a in self.accounts.items() if kind == product]
        return account

    def add_media(self, data: bytes, mime_type: str = "image/png") -> str:
        media_id = str(uuid.uuid4().int)[:16]
        self.media[media_id] = (data, mime_type)
        return media_id

    def sent(self, product: str | None = None) -> list[dict]:
        with self.lock:
            return [c for c in self.calls if c.get("method") == "messages" and product in (None, c["product"])]

    def wait_for(self, count: int, timeout: float = 10.0, *, product: str | None = None) -> list[dict]:
        """Wait until at least `count` messages were sent (of `product`); returns them."""
        deadline = time.monotonic() + timeout
        while True:
            sent = self.sent(product)
            if len(sent) >= count or time.monotonic() >= deadline:
                return sent
            with self.changed:
                self.changed.wait(min(0.1, max(0.01, deadline - time.monotonic())))

    def record(self, call: dict) -> None:
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()

    # --- as the person's phone -------------------------------------------------------------------
    def post_webhook(self, account: Account, payload: dict, *, secret: str | None = None) -> httpx.Response:
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        signature = signature_header(account.app_secret if secret is None else secret, raw)
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        response = httpx.post(account.hook_url, content=raw, headers=headers, timeout=30.0)
        with self.lock:
            self.hooks.append({"url": account.hook_url, "status": response.status_code, "payload": payload})
        return response

    def person_says(self, account: Account, person: dict, what: dict) -> tuple[httpx.Response, str]:
        """Post what a person sends. `person`: {"phone", "user_id", "name"} (WhatsApp) or {"psid"};
        `what`: {"text"} | {"button": (value, title)} | {"image": True} | {"location": (lat, long)}."""
        if account.product == "whatsapp":
            kind, content = self._whatsapp_content(what)
            payload = whatsapp_message(
                account.account_id,
                phone=person.get("phone", ""),
                user_id=person.get("user_id", ""),
                name=person.get("name", "Citizen"),
                kind=kind,
                content=content,
            )
            external_id = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
            keys = [key for key in (person.get("phone"), person.get("user_id")) if key]
        else:
            payload = messenger_message(account.account_id, person["psid"], self._messenger_content(what))
            external_id = payload["entry"][0]["messaging"][0]["message"]["mid"]
            keys = [person["psid"]]
        for key in keys:
            account.last_inbound[key] = time.time()
        return self.post_webhook(account, payload), external_id

    def _whatsapp_content(self, what: dict) -> tuple[str, dict]:
        if "button" in what:
            value, title = what["button"]
            kind = "list_reply" if what.get("list") else "button_reply"
            return "interactive", {"type": kind, kind: {"id": value, "title": title}}
        if "image" in what:
            media_id = self.add_media(png_bytes(), "image/png")
            return "image", {"id": media_id, "mime_type": "image/png", "sha256": "", "caption": what.get("caption", "")}
        if "location" in what:
            lat, long = what["location"]
            place = {"latitude": lat, "longitude": long}
            return "location", {**place, "name": what.get("name", ""), "address": what.get("address", "")}
        return "text", {"body": what.get("text", "")}

    def _messenger_content(self, what: dict) -> dict:
        if "button" in what:
            value, title = what["button"]
            return {"text": title, "quick_reply": {"payload": value}}
        if "image" in what:
            media_id = self.add_media(png_bytes(), "image/png")
            return {"attachments": [{"type": "image", "payload": {"url": f"{self.url}/cdn/{media_id}"}}]}
        if "location" in what:
            lat, long = what["location"]
            coordinates = {"coordinates": {"lat": lat, "long": long}}
            return {"attachments": [{"type": "location", "title": what.get("name", "Pinned"), "payload": coordinates}]}
        return {"text": what.get("text", "")}

    # --- the Graph API ---------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        if path.startswith("/_control/"):
            return self.control(method, path, body)
        parts = urlsplit(path)
        segments = [p for p in parts.path.split("/") if p]
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        try:
            return self._graph(method, segments, query, headers, body)
        except GraphError as exc:
            return exc.status, {}, exc.body()

    def _graph(self, method, segments, query, headers, body):
        auth = headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else query.get("access_token", "")
        if method == "GET" and len(segments) == 2 and segments[0] == "cdn" and segments[1] in self.media:
            data, mime = self.media[segments[1]]
            return 200, {"Content-Type": mime}, data
        if method == "GET" and len(segments) == 2 and segments[0] == "download":
            self._account_by_token(token)
            if segments[1] not in self.media:
                raise GraphError(404, 100, "Media not found")
            data, mime = self.media[segments[1]]
            return 200, {"Content-Type": mime}, data
        if method == "GET" and len(segments) == 2:  # /{version}/{media_id}
            self._account_by_token(token)
            if segments[1] not in self.media:
                raise GraphError(400, 100, "Unsupported get request. Object with ID does not exist")
            data, mime = self.media[segments[1]]
            info = {
                "url": f"{self.url}/download/{segments[1]}",
                "mime_type": mime,
                "sha256": "",
                "file_size": len(data),
            }
            return 200, {}, {"messaging_product": "whatsapp", **info, "id": segments[1]}
        if method == "POST" and len(segments) == 3 and segments[2] == "messages":
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                raise GraphError(400, 100, "(#100) The request body is not JSON") from None
            if segments[1] == "me":
                return self._messenger_send(token, payload)
            return self._whatsapp_send(segments[1], token, payload)
        raise GraphError(404, 100, "Unknown path components")

    def _account_by_token(self, token: str) -> Account:
        for account in self.accounts.values():
            if token and account.token == token:
                return account
        raise GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")

    def _whatsapp_send(self, phone_number_id, token, body):
        account = self.accounts.get(("whatsapp", phone_number_id))
        if account is None:
            raise GraphError(400, 100, "Unsupported post request. Object with ID does not exist")
        if token != account.token:
            raise GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token")
        failure = self._failure()
        if failure is not None:
            return failure
        whatsapp_body_check(body)
        to = body.get("to") or body.get("recipient")
        wamid = "wamid." + uuid.uuid4().hex
        self.record(
            {
                "method": "messages",
                "product": "whatsapp",
                "account": phone_number_id,
                "id": wamid,
                "to": to,
                "body": body,
                "at": time.time(),
            }
        )
        self.stall_after_taking()  # asked to (`stall_next`): the answer waits; the statuses come after it
        last = account.last_inbound.get(to)
        closed = body["type"] != "template" and last is not None and time.time() - last >= WINDOW.total_seconds()
        failure = self._failing_take(to)
        if account.hook_url and (self.auto_status or closed or failure):
            self._later(self._whatsapp_statuses, account, wamid, body, closed, failure)
        contact = {"input": to, "wa_id": to} if body.get("to") else {"user_id": to}
        return 200, {}, {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]}

    def _failing_take(self, to: str) -> tuple[int, str] | None:
        with self.lock:
            found = self.failing.get(to)
            if found is None:
                return None
            code, title, left = found
            if left is not None:
                if left <= 1:
                    self.failing.pop(to, None)
                else:
                    self.failing[to] = (code, title, left - 1)
            return code, title

    def _whatsapp_statuses(
        self, account: Account, wamid: str, body: dict, closed: bool, failure: tuple[int, str] | None = None
    ) -> None:
        who = whatsapp_status_fields(body)
        if failure is not None and not closed:
            code, title = failure
            error = {"code": code, "title": title, "message": title, "error_data": {"details": title}}
            self.post_webhook(account, whatsapp_status(account.account_id, wamid, "sent", **who))
            self.post_webhook(account, whatsapp_status(account.account_id, wamid, "failed", error=error, **who))
            return
        if closed:
            error = {
                "code": 131047,
                "title": "Re-engagement message",
                "message": "Re-engagement message",
                "error_data": {
                    "details": "Message failed to send because more than 24 hours have passed since the customer "
                    "last replied to this number."
                },
            }
            self.post_webhook(account, whatsapp_status(account.account_id, wamid, "failed", error=error, **who))
            return
        for status in ("sent", "delivered"):
            self.post_webhook(account, whatsapp_status(account.account_id, wamid, status, **who))

    def report(self, message_id: str, *states: str) -> list[int]:
        """Post what Meta posts about a message it took to the app's webhook: WhatsApp's statuses `states` (sent and
        delivered by default), Messenger's echo and delivery (`echo`, `delivered`); the app's answers."""
        with self.lock:
            [call] = [c for c in self.calls if c.get("method") == "messages" and c.get("id") == message_id]
        account = self.account(call["product"], call["account"])
        if call["product"] == "whatsapp":
            fields = whatsapp_status_fields(call["body"])
            payloads = [whatsapp_status(account.account_id, message_id, s, **fields) for s in states or SENT_DELIVERED]
        else:
            made = {"echo": messenger_echo, "delivered": lambda *a: messenger_delivery(*a[:3])}
            payloads = [made[s](account.account_id, call["to"], message_id, call["body"]) for s in states or ECHOED]
        return [self.post_webhook(account, payload).status_code for payload in payloads]

    def _messenger_send(self, token, body):
        account = self._account_by_token(token)
        if account.product != "messenger":
            raise GraphError(400, 100, "(#100) Param recipient must be a page-scoped id")
        failure = self._failure()
        if failure is not None:
            return failure
        messenger_body_check(body)
        psid = body["recipient"]["id"]
        last = account.last_inbound.get(psid)
        tagged = body.get("messaging_type") == "MESSAGE_TAG"
        if not tagged and last is not None and time.time() - last >= WINDOW.total_seconds():
            raise GraphError(400, 10, "(#10) This message is sent outside of allowed window.", subcode=2018278)
        mid = "m_" + uuid.uuid4().hex
        self.record(
            {
                "method": "messages",
                "product": "messenger",
                "account": account.account_id,
                "id": mid,
                "to": psid,
                "body": body,
                "at": time.time(),
            }
        )
        self.stall_after_taking()  # asked to (`stall_next`): the answer waits; the echo and delivery come after it
        states = (("echo",) if self.echoes else ()) + (("delivered",) if self.auto_status else ())
        if account.hook_url and states:
            self._later(self.report, mid, *states)
        return 200, {}, {"recipient_id": psid, "message_id": mid}

    def _later(self, function, *args) -> None:
        def run():
            time.sleep(self.status_delay)
            with contextlib.suppress(httpx.HTTPError):  # the app is down: Meta would retry; the fake does not
                function(*args)

        threading.Thread(target=run, daemon=True).start()
