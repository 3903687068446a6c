"""A local Postmark: the two calls of its HTTP API that alert e-mails use, over real HTTP.

- `POST /email` (JSON: From, To, Subject, TextBody/HtmlBody, Headers, Metadata, MessageStream; header
  `X-Postmark-Server-Token`) answers 200 `{"To", "SubmittedAt", "MessageID", "ErrorCode": 0, "Message": "OK"}`;
  a bad token is a 401 (ErrorCode 10); a malformed address or no body a 422 with ErrorCode 300; an address
  marked inactive (`inactive`, as after a hard bounce) a 422 with ErrorCode 406; past `rate_limit` messages in
  one second a 429; `fail = True` a 503 to every call (Postmark is down).
- `GET /messages/outbound?count=…&offset=…` (outbound message search; `count` ≤ 500 and `offset` required,
  filters `recipient`, `fromemail`, `tag`, `subject`, `status`, and one `metadata_<key>=<value>`) answers
  `{"TotalCount", "Messages": [...]}`, newest first, each with MessageID, To, Recipients, From, Subject, Status,
  ReceivedAt, MessageStream, Tag and Metadata.

Run alone with `manage.py provider_server postmark --port N` (`GET /_control/calls` lists what it was sent);
tests and bench/crisis/broadcast.py start it in a thread."""

from __future__ import annotations

import json
import re
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from messaging.fakes.base import FakeServer

ADDRESS = re.compile(r"^(?:[^<>]*<)?([^@<>\s,]+@[^@<>\s,]+\.[^@<>\s,]+)>?$")


def _error(status: int, code: int, message: str):
    return status, {}, {"ErrorCode": code, "Message": message}


class FakePostmark(FakeServer):
    def __init__(self, server_token: str = "local-postmark-token", *, keep_calls: bool = True, **kwargs):  # noqa: S107
        """`keep_calls=False` (a 100,000-message benchmark): `calls` and the bodies are not kept, only the
        messages' search fields."""
        super().__init__(**kwargs)
        # Answers go out as headers then body on a kept-alive connection: without TCP_NODELAY, Nagle's algorithm
        # and the client's delayed ACK hold every answer ~40 ms (80 messages/s from 4 senders in the bench).
        self.server.RequestHandlerClass.disable_nagle_algorithm = True
        quiet = self.server.handle_error

        def handle_error(request, client_address):  # a SIGKILLed sender's kept-alive connection: not an error here
            if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                quiet(request, client_address)

        self.server.handle_error = handle_error
        self.server_token, self.keep_calls = server_token, keep_calls
        self.messages: list[dict] = []  # every accepted message, oldest first
        self.by_metadata: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.recipients: Counter = Counter()  # accepted messages per address
        self.inactive: set[str] = set()
        self.fail = False
        self.rate_limit: int | None = None
        self.over_limit = 0
        self._second, self._in_second = 0, 0

    def configure(self, settings) -> None:
        """Point a Django settings object (pytest-django's `settings`) at this server."""
        settings.CRISIS_EMAIL_PROVIDER = "postmark"
        settings.POSTMARK_BASE_URL = self.url
        settings.POSTMARK_SERVER_TOKEN = self.server_token

    def handle(self, method, path, headers, body):
        if path.startswith("/_control/"):
            return self.control(method, path, body)
        parts = urlsplit(path)
        if headers.get("X-Postmark-Server-Token") != self.server_token:
            return _error(401, 10, "Bad or missing Server API token.")
        if self.fail:
            return _error(503, 100, "Postmark is down for maintenance.")
        if method == "POST" and parts.path == "/email":
            return self._send(body)
        if method == "GET" and parts.path == "/messages/outbound":
            return self._search({k: v[0] for k, v in parse_qs(parts.query).items()})
        return _error(404, 404, "Not found.")

    # --- POST /email -----------------------------------------------------------------------------------------
    def _send(self, body: bytes):
        try:
            data = json.loads(body or b"")
        except ValueError:
            return _error(422, 402, "Received invalid JSON input.")
        if not isinstance(data, dict):
            return _error(422, 403, "Incompatible JSON input.")
        if self.keep_calls:
            self.record({"method": "email", "body": data, "at": time.time()})
        if not self._rate_ok():
            return _error(429, 429, "Rate limit exceeded.")
        recipients = []
        for field in ("To", "Cc", "Bcc"):
            for part in filter(None, (p.strip() for p in str(data.get(field) or "").split(","))):
                match = ADDRESS.match(part)
                if match is None:
                    return _error(422, 300, f"Error parsing '{field}': Illegal email address '{part}'.")
                recipients.append(match.group(1).lower())
        if not recipients:
            return _error(422, 300, "Zero recipients specified")
        if not data.get("From"):
            return _error(422, 300, "Invalid 'From' address: ''.")
        if not data.get("TextBody") and not data.get("HtmlBody"):
            return _error(422, 300, "Provide either email TextBody or HtmlBody or both.")
        metadata = data.get("Metadata") or {}
        if not isinstance(metadata, dict) or any(isinstance(v, (dict, list)) for v in metadata.values()):
            return _error(422, 300, "Metadata must be an object of name/value pairs.")
        inactive = [r for r in recipients if r in self.inactive]
        if inactive:
            return _error(
                422,
                406,
                "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: "
                f"{', '.join(inactive)}. Inactive recipients are ones that have generated a hard bounce, a spam "
                "complaint, or a manual suppression.",
            )
        message = {
            "MessageID": str(uuid.uuid4()),
            "To": [{"Email": r, "Name": None} for r in recipients],
            "Cc": [],
            "Bcc": [],
            "Recipients": recipients,
            "ReceivedAt": datetime.now(UTC).isoformat(),
            "From": data["From"],
            "Subject": data.get("Subject") or "",
            "Tag": data.get("Tag") or "",
            "MessageStream": data.get("MessageStream") or "outbound",
            "Status": "Sent",
            "Attachments": [],
            "TrackOpens": bool(data.get("TrackOpens")),
            "TrackLinks": data.get("TrackLinks") or "None",
            "Metadata": {str(k): str(v) for k, v in metadata.items()},
            "Sandboxed": False,
            # not in Postmark's search answer: kept for tests and the bench
            "headers": {h.get("Name"): h.get("Value") for h in data.get("Headers") or [] if isinstance(h, dict)},
            "TextBody": (data.get("TextBody") or "") if self.keep_calls else "",
        }
        with self.lock:
            self.messages.append(message)
            for key, value in message["Metadata"].items():
                self.by_metadata[(key, value)].append(message)
            self.recipients.update(recipients)
        return (
            200,
            {},
            {
                "To": data["To"],
                "SubmittedAt": message["ReceivedAt"],
                "MessageID": message["MessageID"],
                "ErrorCode": 0,
                "Message": "OK",
            },
        )

    def _rate_ok(self) -> bool:
        if not self.rate_limit:
            return True
        with self.lock:
            second = int(time.time())
            if second != self._second:
                self._second, self._in_second = second, 0
            self._in_second += 1
            over = self._in_second > self.rate_limit
            self.over_limit += over
        return not over

    # --- GET /messages/outbound ------------------------------------------------------------------------------
    def _search(self, query: dict[str, str]):
        try:
            count, offset = int(query["count"]), int(query["offset"])
        except (KeyError, ValueError):
            return _error(422, 300, "The 'count' and 'offset' parameters are required.")
        if not 0 < count <= 500 or offset < 0 or count + offset > 10_000:
            return _error(422, 300, "count must be 1-500 and count + offset at most 10,000.")
        metadata = [(k.removeprefix("metadata_"), v) for k, v in query.items() if k.startswith("metadata_")]
        with self.lock:
            found = list(self.by_metadata.get(metadata[0], [])) if metadata else list(self.messages)
        checks = {
            "recipient": lambda m, v: v.lower() in m["Recipients"],
            "fromemail": lambda m, v: v.lower() in m["From"].lower(),
            "tag": lambda m, v: m["Tag"] == v,
            "subject": lambda m, v: m["Subject"] == v,
            "status": lambda m, v: m["Status"].lower() == v.lower(),
        }
        for name, check in checks.items():
            if query.get(name):
                found = [m for m in found if check(m, query[name])]
        found.reverse()
        self.record({"method": "search", "query": query, "found": len(found), "at": time.time()})
        public = [{k: v for k, v in m.items() if k not in ("headers", "TextBody")} for m in found]
        return 200, {}, {"TotalCount": len(found), "Messages": public[offset : offset + count]}

    # --- the control API -------------------------------------------------------------------------------------
    def control_inactive(self, addresses: list[str], **_ignored) -> dict:
        """Mark addresses inactive (as after a hard bounce): messages to them get 422 / ErrorCode 406."""
        self.inactive.update(a.lower() for a in addresses)
        return {"inactive": sorted(self.inactive)}

    def control_summary(self, **_ignored) -> dict:
        """Accepted messages per address and per outbox id (for checking "exactly one" by hand)."""
        with self.lock:
            outbox = Counter(m["Metadata"].get("outbox") for m in self.messages)
            return {
                "accepted": len(self.messages),
                "recipients": dict(self.recipients),
                "duplicate_outbox_ids": {k: n for k, n in outbox.items() if k and n > 1},
            }
