"""A fake Twilio: the Messages API (POST /2010-04-01/Accounts/<sid>/Messages.json, HTTP basic auth,
form fields To, From, Body, MediaUrl, StatusCallback), MMS media (GET /media/<id>, basic auth), and
people texting the agency: form-encoded webhooks signed with `X-Twilio-Signature` as Twilio signs
them. With `status_callbacks`, each accepted message is followed by signed "sent" and "delivered"
callbacks to its StatusCallback URL. Like Twilio on a long code, a person's STOP (or UNSUBSCRIBE, END,
QUIT, STOPALL, REVOKE, OPTOUT, CANCEL) is answered by the server itself (a call "AutoReply") and every
later message to them is refused with error 21610, until they send START, YES or UNSTOP; the webhook is
posted either way."""

from __future__ import annotations

import base64
import itertools
import threading
import time
import uuid
from urllib.parse import parse_qsl

import httpx

from messaging.fakes.base import FakeServer
from messaging.fakes.telegram import sample_photo
from messaging.keywords import STOP, twilio_keyword
from messaging.twilio_api import twilio_signature


class FakeTwilio(FakeServer):
    def __init__(
        self,
        account_sid: str = "AC_local",
        auth_token: str = "local-auth-token",  # noqa: S107 - a fake server's
        *,
        webhook: str = "",
        number: str = "+15550001111",
        status_callbacks: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.account_sid, self.auth_token, self.webhook, self.number = account_sid, auth_token, webhook, number
        self.status_callbacks = status_callbacks
        self.media: dict[str, tuple[bytes, str]] = {}
        self.media_failures = 0
        self.sequence = itertools.count(1)
        self.unsubscribed: set[str] = set()  # numbers that texted STOP (Twilio's own block list)

    # --- the REST API ----------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        if path.startswith("/_control/"):
            return self.control(method, path, body)
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, {}, {"code": 20003, "message": "Authenticate", "status": 401}
        if method == "GET" and path.startswith("/media/"):
            return self._media(path.removeprefix("/media/"))
        if method != "POST" or path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {}, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        fields = parse_qsl(body.decode(), keep_blank_values=True)
        params = dict(fields)
        params["MediaUrl"] = [value for key, value in fields if key == "MediaUrl"]
        self.record({"method": "Messages", "body": params, "at": time.time()})
        failure = self._failure()
        if failure is not None:
            return failure
        if not params.get("To"):
            return 400, {}, {"code": 21604, "message": "A 'To' phone number is required.", "status": 400}
        if not params.get("Body") and not params["MediaUrl"]:
            return 400, {}, {"code": 21602, "message": "Message body is required.", "status": 400}
        if params["To"] in self.unsubscribed:
            return 400, {}, {"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}
        sid = "SM" + uuid.uuid4().hex
        if self.status_callbacks and params.get("StatusCallback"):
            threading.Thread(target=self._report, args=(params["StatusCallback"], sid, params), daemon=True).start()
        return (
            201,
            {},
            {
                "sid": sid,
                "status": "queued",
                "to": params["To"],
                "from": params.get("From"),
                "body": params.get("Body"),
            },
        )

    def _media(self, media_id: str):
        with self.lock:
            if self.media_failures > 0:
                self.media_failures -= 1
                return 503, {}, {"code": 20500, "message": "Service unavailable", "status": 503}
        if media_id not in self.media:
            return 404, {}, {"code": 20404, "message": "Not found", "status": 404}
        data, content_type = self.media[media_id]
        return 200, {"Content-Type": content_type}, data

    def _report(self, url: str, sid: str, params: dict) -> None:
        for status in ("sent", "delivered"):
            time.sleep(0.05)
            self.post(
                {
                    "AccountSid": self.account_sid,
                    "MessageSid": sid,
                    "SmsSid": sid,
                    "MessageStatus": status,
                    "SmsStatus": status,
                    "To": params.get("To", ""),
                    "From": params.get("From", ""),
                    "ApiVersion": "2010-04-01",
                },
                url=url,
            )

    def sent(self, to: str | None = None) -> list[dict]:
        with self.lock:
            bodies = [call["body"] for call in self.calls if call["method"] == "Messages"]
        return [body for body in bodies if to is None or body.get("To") == to]

    # --- playing a person ------------------------------------------------------------------------
    def text(self, sender: str, body: str, *, photos: int = 0) -> dict:
        """The form Twilio posts for an inbound SMS (MMS with `photos` images). Twilio's own keywords
        are answered here first, as Twilio does before it posts the webhook."""
        self._keyword(sender, body)
        sid = f"SM{uuid.uuid4().hex}"
        params = {
            "ToCountry": "US",
            "SmsMessageSid": sid,
            "NumMedia": str(photos),
            "SmsSid": sid,
            "SmsStatus": "received",
            "Body": body,
            "To": self.number,
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": sender,
            "ApiVersion": "2010-04-01",
        }
        for index in range(photos):
            media_id = f"ME{uuid.uuid4().hex}"
            self.media[media_id] = (sample_photo(), "image/jpeg")
            params[f"MediaUrl{index}"] = f"{self.url}/media/{media_id}"
            params[f"MediaContentType{index}"] = "image/jpeg"
        return params

    def _keyword(self, sender: str, body: str) -> None:
        word = twilio_keyword(body)
        if not word:
            return
        with self.lock:
            if word == STOP:
                self.unsubscribed.add(sender)
                reply = "[the provider's own reply] You are unsubscribed from this number. Reply START to resubscribe."
            elif sender not in self.unsubscribed:
                return  # a "yes" answering a question: nothing to undo
            else:
                self.unsubscribed.discard(sender)
                reply = "[the provider's own reply] You are subscribed to this number again. Reply STOP to unsubscribe."
        self.record(
            {"method": "AutoReply", "body": {"To": sender, "From": self.number, "Body": reply}, "at": time.time()}
        )

    def sign(self, url: str, params: dict) -> str:
        return twilio_signature(self.auth_token, url, params.items())

    def post(self, params: dict, *, url: str | None = None, signature: str | None = None, headers=None):
        """POST a webhook as Twilio does: form-encoded, signed over the URL and the sorted parameters."""
        url = url or self.webhook
        signed = {"X-Twilio-Signature": self.sign(url, params) if signature is None else signature}
        return httpx.post(url, data=params, headers={**signed, **(headers or {})}, timeout=30.0)

    # --- control API (manage.py provider_server twilio) ------------------------------------------
    def control_say(self, sender: str = "+15557654321", text: str = "", photos: int = 0, **_ignored) -> dict:
        if not self.webhook:
            return {"error": "start the server with --webhook <the app's /hooks/<agency>/sms/ URL>"}
        params = self.text(sender, text, photos=int(photos))
        response = self.post(params)
        return {"status": response.status_code, "sid": params["MessageSid"]}
