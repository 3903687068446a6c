"""The shared HTTP plumbing of the fake provider servers."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


class FakeServer:
    """A threaded HTTP server calling `self.handle(method, path, headers, body)` -> (status, headers, body)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.lock = threading.Lock()
        self.calls: list[dict] = []  # every API call received: {"method", "path", "body"}
        self.failures: list[tuple[int, dict, dict]] = []  # answers to give before the real ones
        # The next `stall_sends` messages the provider takes are answered only after `release()`: the caller
        # (a worker killed meanwhile) never learns that the provider has them. `stalled` is set while one waits.
        self.stall_sends = 0
        self.stalled = threading.Event()
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    path, _sep, query = self.path.partition("?")
                    path = unquote(path) + (f"?{query}" if query else "")
                    status, headers, payload = server.handle(method, path, self.headers, body)
                except Exception as exc:  # noqa: BLE001 - a fake server answers 500 like a real one would
                    status, headers, payload = 500, {}, {"ok": False, "description": str(exc)}
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread: threading.Thread | None = None

    def start(self) -> FakeServer:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status: int, payload: dict, headers: dict | None = None, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([(status, headers or {}, payload)] * times)

    def stall_next(self, times: int = 1) -> None:
        with self.lock:
            self.stall_sends += times
            self.released.clear()

    def release(self) -> None:
        self.released.set()

    def stall_after_taking(self) -> None:
        """Called by a handler once it has taken a message: holds its answer back if asked to (`stall_next`)."""
        with self.lock:
            if self.stall_sends <= 0:
                return
            self.stall_sends -= 1
        self.stalled.set()
        self.released.wait(120)

    def control_stall(self, times: int = 1, **_ignored) -> dict:
        """The next `times` messages are taken and their answers held back until `release`."""
        self.stall_next(int(times))
        return {"stall": self.stall_sends}

    def control_release(self, **_ignored) -> dict:
        self.release()
        return {"released": True}

    def _failure(self):
        with self.lock:
            return self.failures.pop(0) if self.failures else None

    def record(self, call: dict) -> None:
        with self.lock:
            self.calls.append(call)

    def handle(self, method: str, path: str, headers, body: bytes):
        raise NotImplementedError

    # the control API (`manage.py provider_server`): GET /_control/calls, POST /_control/<action>
    def control(self, method: str, path: str, body: bytes):
        parts = urlsplit(path)
        if method == "GET" and parts.path == "/_control/calls":
            since = int((parse_qs(parts.query).get("since") or ["0"])[0])
            with self.lock:
                return 200, {}, {"calls": self.calls[since:], "total": len(self.calls)}
        action = parts.path.removeprefix("/_control/")
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return 400, {}, {"error": "JSON body expected"}
        handler = getattr(self, f"control_{action}", None)
        if handler is None:
            return 404, {}, {"error": f"unknown control action {action!r}"}
        return 200, {}, handler(**data)
