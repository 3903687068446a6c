"""A fake Twilio: the Messages API (POST /2010-04-01/Accounts/<sid>/Messages.json, HTTP basic auth,
form fields To, From, Body, MediaUrl, StatusCallback), MMS media (GET /media/<id>, basic auth), and
people texting the agency: form-encoded webhooks signed with `X-Twilio-Signature` as Twilio signs
them. With `status_callbacks`, each accepted message is followed by signed "sent" and "delivered"
callbacks to its StatusCallback URL (form-encoded, as Twilio posts them); `undeliver` (control API: POST
/_control/undeliver {"number", "code", "status"}) makes messages to a number be accepted and then reported
"undelivered" (or "failed") with a delivery error (30003 unreachable, 30005 unknown number, 30006 landline,
30007 filtered, …; code 0: delivered again). Like Twilio on a long code, a person's STOP (or UNSUBSCRIBE, END,
QUIT, STOPALL, REVOKE, OPTOUT, CANCEL) is answered by the server itself (a call "AutoReply") and every
later message to them is refused with error 21610, until they send START, YES or UNSTOP; the webhook is
posted either way. Errors are answered in Twilio's shape ({"code", "message", "more_info", "status"}); `refuse`
(control API: POST /_control/refuse {"number", "code"}) makes messages to a number meet one of Twilio's
documented errors (21211 not a valid number, 21614 not a mobile, 21408 region not allowed, 20429 too many
requests with Retry-After, …), and `refuse_all` ({"code"}; 0 ends it) every message (20003 credentials, 20005
account not active)."""

from __future__ import annotations

import base64
import contextlib
import itertools
import threading
import time
import uuid
from email.utils import formatdate
from urllib.parse import parse_qsl

import httpx

from messaging.fakes.base import FakeServer
from messaging.fakes.telegram import sample_photo
from messaging.keywords import STOP, twilio_keyword
from messaging.twilio_api import twilio_signature

# Twilio's documented answers for the errors the fake can play: HTTP status and message.
ERRORS = {
    20003: (401, "Authenticate"),
    20005: (401, "Account not active"),
    20404: (404, "The requested resource was not found"),
    20429: (429, "Too Many Requests"),
    20500: (500, "Internal Server Error"),
    20503: (503, "Service Unavailable"),
    21211: (400, "The 'To' number is not a valid phone number."),
    21408: (400, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
    21606: (400, "The 'From' phone number provided is not a valid message-capable Twilio phone number."),
    21608: (400, "The number is unverified. Trial accounts may only send messages to verified numbers."),
    21610: (400, "Attempt to send to unsubscribed recipient"),
    21611: (400, "This 'From' number has exceeded the maximum number of queued messages"),
    21612: (400, "The 'To' phone number is not currently reachable via SMS"),
    21614: (400, "'To' number is not a valid mobile number"),
}


def twilio_error(code: int, message: str = "", status: int = 0, retry_after: int | None = None):
    """(status, headers, body) of a Twilio error answer."""
    known_status, known_message = ERRORS.get(code, (400, "Bad Request"))
    status = status or known_status
    body = {
        "code": code,
        "message": message or known_message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return status, headers, body


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
        self.messages: list[dict] = []  # every message it took, as its list resource returns them
        self.unsubscribed: set[str] = set()  # numbers that texted STOP (Twilio's own block list)
        self.refused: dict[str, tuple[int, int | None]] = {}  # number -> (Twilio error code, Retry-After)
        self.refused_all: tuple[int, int | None] | None = None
        # number -> (final status, Twilio error code, how many more messages; None: all)
        self.undelivered: dict[str, tuple[str, int, int | None]] = {}

    # --- the REST API ----------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        if path.startswith("/_control/"):
            return self.control(method, path, body)
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != expected:
            return twilio_error(20003)
        if method == "GET" and path.startswith("/media/"):
            return self._media(path.removeprefix("/media/"))
        if method == "GET" and path.split("?")[0] == f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return self._list(path.partition("?")[2])
        if method != "POST" or path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return twilio_error(20404)
        fields = parse_qsl(body.decode(), keep_blank_values=True)
        params = dict(fields)
        params["MediaUrl"] = [value for key, value in fields if key == "MediaUrl"]
        self.record({"method": "Messages", "body": params, "at": time.time()})
        failure = self._failure()
        if failure is not None:
            return failure
        with self.lock:
            refused = self.refused_all or self.refused.get(params.get("To", ""))
        if refused is not None:
            return twilio_error(refused[0], retry_after=refused[1])
        if not params.get("To"):
            return twilio_error(21604, "A 'To' phone number is required.")
        if not params.get("Body") and not params["MediaUrl"]:
            return twilio_error(21602, "Message body is required.")
        if params["To"] in self.unsubscribed:
            return twilio_error(21610)
        sid = "SM" + uuid.uuid4().hex
        with self.lock:
            self.messages.append(
                {
                    "sid": sid,
                    "to": params["To"],
                    "from": params.get("From"),
                    "body": params.get("Body"),
                    "status": "queued",
                    "date_created": formatdate(usegmt=True),
                    "date_sent": None,
                }
            )
        self.stall_after_taking()
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

    def _list(self, query: str):
        """GET …/Messages.json: the messages it took, newest first, filtered by `To` and `From` (Twilio's list
        resource; `PageSize` honoured, one page); `fail_next` answers it too."""
        failure = self._failure()
        if failure is not None:
            return failure
        params = dict(parse_qsl(query, keep_blank_values=True))
        with self.lock:
            found = [
                message
                for message in reversed(self.messages)
                if message["to"] == params.get("To", message["to"])
                and message["from"] == params.get("From", message["from"])
            ]
        size = int(params.get("PageSize") or 50)
        return 200, {}, {"messages": found[:size], "page": 0, "page_size": size, "next_page_uri": None}

    def _media(self, media_id: str):
        with self.lock:
            if self.media_failures > 0:
                self.media_failures -= 1
                return twilio_error(20503)
        if media_id not in self.media:
            return twilio_error(20404)
        data, content_type = self.media[media_id]
        return 200, {"Content-Type": content_type}, data

    def _report(self, url: str, sid: str, params: dict) -> None:
        number = params.get("To", "")
        with self.lock:
            final, code, left = self.undelivered.get(number, ("delivered", 0, None))
            if left is not None:  # the last of a number's failures: its next messages are delivered
                if left <= 1:
                    self.undelivered.pop(number, None)
                else:
                    self.undelivered[number] = (final, code, left - 1)
        for status in ("sent", final):
            time.sleep(0.05)
            form = {
                "AccountSid": self.account_sid,
                "MessageSid": sid,
                "SmsSid": sid,
                "MessageStatus": status,
                "SmsStatus": status,
                "To": params.get("To", ""),
                "From": params.get("From", ""),
                "ApiVersion": "2010-04-01",
            }
            if status in ("undelivered", "failed"):
                form["ErrorCode"] = str(code)
            self.record({"method": "StatusCallback", "body": form, "at": time.time()})
            with contextlib.suppress(httpx.HTTPError):  # as Twilio: a callback the app did not take is not retried
                self.post(form, url=url)

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
    def control_refuse(self, number: str = "", code: int = 21211, retry_after: int | None = None, **_ignored) -> dict:
        """Messages to `number` meet Twilio's error `code` from now on (code 0: taken again)."""
        with self.lock:
            if int(code):
                self.refused[number] = (int(code), retry_after)
            else:
                self.refused.pop(number, None)
        return {"refused": {key: value[0] for key, value in self.refused.items()}}

    def control_refuse_all(self, code: int = 20003, retry_after: int | None = None, **_ignored) -> dict:
        """Every message meets Twilio's error `code` (an account problem; code 0: ends it)."""
        with self.lock:
            self.refused_all = (int(code), retry_after) if int(code) else None
        return {"refused_all": self.refused_all[0] if self.refused_all else 0}

    def control_undeliver(
        self, number: str = "", code: int = 30003, status: str = "undelivered", times: int | None = None, **_ignored
    ) -> dict:
        """Messages to `number` are accepted, then reported `status` (undelivered or failed) with delivery error
        `code` (code 0: delivered again); with `times`, only that many of them (the next ones are delivered)."""
        if status not in ("undelivered", "failed"):
            return {"error": "status is undelivered or failed"}
        with self.lock:
            if int(code):
                self.undelivered[number] = (status, int(code), int(times) if times else None)
            else:
                self.undelivered.pop(number, None)
            return {"undelivered": {key: value[1] for key, value in self.undelivered.items()}}

    def control_say(self, sender: str = "+15557654321", text: str = "", photos: int = 0, **_ignored) -> dict:
        if not self.webhook:
            return {"error": "start the server with --webhook <the app's /hooks/<agency>/sms/ URL>"}
        params = self.text(sender, text, photos=int(photos))
        response = self.post(params)
        return {"status": response.status_code, "sid": params["MessageSid"]}
