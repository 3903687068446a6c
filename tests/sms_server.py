"""A local SMS gateway speaking Twilio's Messages API over real HTTP (the outside service we cannot
reach here): POST /2010-04-01/Accounts/<sid>/Messages.json with form fields To, From, Body and HTTP
basic auth; answers 201 with a message resource, or 401 for wrong credentials. `fail = True` makes
it answer 503 (the gateway is down); `rate_limit = N` answers 429 (Twilio's 20429) to a message past N in one
second, as a real account's throughput limit does (counted in `over_limit`). `errors[number] = (status, code,
message, headers)` answers a text to that number with Twilio's error body ({code, message, more_info, status}),
e.g. 21614 "not a mobile number" or a 429 with Retry-After; `account_error` does so for every text (a suspended
account, wrong credentials)."""

import base64
import json
import threading
import time
import uuid
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class SMSGateway:
    def __init__(self, sid: str = "AC_test", token: str = "secret-token"):  # noqa: S107 - a test server
        self.sid, self.token = sid, token
        self.messages: list[dict] = []
        self.fail = False
        # True: texts it takes stay `queued` (no date_sent yet), as a broadcast's do in Twilio's queue for a number.
        self.queued = False
        self.reject: set[str] = set()  # numbers answered with Twilio's 21211 "invalid 'To' number"
        self.errors: dict[str, tuple[int, int, str, dict]] = {}
        self.account_error: tuple[int, int, str, dict] | None = None
        self.attempts = 0  # every POST that reached the gateway, answered or refused
        self.rate_limit: int | None = None
        self.over_limit = 0
        self._second, self._in_second = 0, 0
        lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                """The message list, filtered like Twilio's: To, From, DateSent> (ISO time), PageSize."""
                expected = "Basic " + base64.b64encode(f"{gateway.sid}:{gateway.token}".encode()).decode()
                parts = urlsplit(self.path)
                if parts.path != f"/2010-04-01/Accounts/{gateway.sid}/Messages.json":
                    return self._answer(404, {"code": 20404, "message": "Not found"})
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"code": 20003, "message": "Authenticate"})
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                since = query.get("DateSent>", "")
                found = [
                    {
                        "sid": m["sid"],
                        "to": m["To"],
                        "from": m.get("From", ""),
                        "body": m["Body"],
                        "date_created": m["date_created"],
                        "date_sent": m["date_sent"],
                        "status": "queued" if m["date_sent"] is None else "sent",
                    }
                    for m in reversed(gateway.messages)  # newest first, as Twilio lists them
                    if (not query.get("To") or m["To"] == query["To"])
                    and (not query.get("From") or m.get("From") == query["From"])
                    and (not since or (m["date_sent"] is not None and m["date_sent"] >= since))
                ]
                self._answer(200, {"messages": found[: int(query.get("PageSize") or 50)], "next_page_uri": None})

            def do_POST(self):
                expected = "Basic " + base64.b64encode(f"{gateway.sid}:{gateway.token}".encode()).decode()
                if self.path != f"/2010-04-01/Accounts/{gateway.sid}/Messages.json":
                    return self._answer(404, {"code": 20404, "message": "Not found"})
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"code": 20003, "message": "Authenticate"})
                gateway.attempts += 1
                if gateway.account_error is not None:
                    return self._error(*gateway.account_error)
                if gateway.fail:
                    return self._answer(503, {"code": 20500, "message": "Service unavailable"})
                length = int(self.headers.get("Content-Length", 0))
                fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if not fields.get("To") or not fields.get("Body"):
                    return self._answer(400, {"code": 21604, "message": "A 'To' phone number is required."})
                if gateway.rate_limit:
                    with lock:
                        second = int(time.time())
                        if second != gateway._second:
                            gateway._second, gateway._in_second = second, 0
                        gateway._in_second += 1
                        over = gateway._in_second > gateway.rate_limit
                        gateway.over_limit += over
                    if over:
                        return self._answer(429, {"code": 20429, "message": "Too Many Requests"})
                if fields["To"] in gateway.errors:
                    return self._error(*gateway.errors[fields["To"]])
                if fields["To"] in gateway.reject:
                    return self._answer(400, {"code": 21211, "message": "The 'To' number is not a valid phone number."})
                if self.headers.get("Idempotency-Key"):
                    fields["idempotency_key"] = self.headers["Idempotency-Key"]
                fields["sid"] = "SM" + uuid.uuid4().hex
                fields["date_created"] = formatdate(usegmt=True)  # RFC 2822, as Twilio writes its dates
                fields["date_sent"] = None if gateway.queued else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                gateway.messages.append(fields)
                self._answer(201, {"status": "queued", **fields})

            def _error(self, status: int, code: int, message: str, headers: dict | None = None):
                self._answer(status, {"code": code, "message": message}, headers)

            def _answer(self, status: int, payload: dict, headers: dict | None = None):
                if status >= 400:  # Twilio's error shape (https://www.twilio.com/docs/usage/twilios-response)
                    code = payload.get("code", status)
                    payload = {**payload, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status}
                body = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def configure(self, settings) -> None:
        settings.SMS_BASE_URL = self.url
        settings.SMS_ACCOUNT_SID = self.sid
        settings.SMS_AUTH_TOKEN = self.token
        settings.SMS_FROM = "+15550100"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
