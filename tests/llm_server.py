"""A local OpenAI-compatible server for tests, over real HTTP (not a mock of the client).

Endpoints: `POST /v1/chat/completions` (plain JSON, `stream=true` as server-sent events, tool calls)
and `POST /v1/embeddings`. Behaviour is deterministic and scriptable:

- `server.queue_reply("text")` / `server.queue_tool_call("name", {"arg": 1})` decide the next chat
  completions (first in, first out). With nothing queued, a request whose last user message holds
  `<source id="n">` blocks is answered with the first sentence of source 1 and a `[1]` citation;
  anything else is answered with "Echo: <last user message>".
- `server.fail_next(count, path="/v1/embeddings", status=500)` makes the next requests fail.
- Embeddings are a hashed bag of words (`server.embedding_dim`, default 64), unit length.
- Every request is recorded in `server.requests` as (path, json body, headers).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import zlib
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LLMTestServer:
    def __init__(self, model: str = "test-model", embedding_dim: int = 64, stream_delay: float = 0.0):
        self.embedding_delay = 0.0  # seconds per embeddings request (to watch progress in tests)
        self.model = model
        self.embedding_dim = embedding_dim
        self.stream_delay = stream_delay
        self.requests: list[tuple[str, dict, dict]] = []
        self.replies: deque = deque()
        self.failures: dict[str, deque] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- control ----------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    url = base_url

    def start(self) -> LLMTestServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def configure(self, settings, *, embeddings: bool = False) -> None:
        """Point Django settings (pytest-django's `settings` fixture) at this server."""
        settings.LLM_BASE_URL = self.base_url
        settings.LLM_API_KEY = "test-key"
        settings.LLM_MODEL = self.model
        if embeddings:
            settings.KNOWLEDGE_EMBEDDER = "openai"
            settings.EMBEDDINGS_BASE_URL = self.base_url
            settings.EMBEDDINGS_API_KEY = "test-key"
            settings.EMBEDDINGS_MODEL = "test-embedding"

    def queue_reply(self, text: str) -> None:
        self.replies.append(("text", text))

    def queue_tool_call(self, name: str, arguments: dict) -> None:
        self.replies.append(("tool", (name, arguments)))

    def fail_next(self, count: int, path: str = "/v1/embeddings", status: int = 500) -> None:
        with self._lock:
            self.failures.setdefault(path, deque()).extend([status] * count)

    def calls(self, path: str) -> list[dict]:
        return [body for p, body, _headers in self.requests if p == path]

    # --- behaviour --------------------------------------------------------------------------------
    def _take_failure(self, path: str) -> int | None:
        with self._lock:
            queue = self.failures.get(path)
            return queue.popleft() if queue else None

    def embed(self, text: str) -> list[float]:
        vec = [0.0] * self.embedding_dim
        for word in re.findall(r"\w+", text.lower()):
            h = zlib.crc32(word.encode())
            vec[h % self.embedding_dim] += -1.0 if (h >> 31) & 1 else 1.0
        norm = math.sqrt(sum(x * x for x in vec)) or 1.0
        return [x / norm for x in vec]

    def next_reply(self, body: dict) -> tuple[str, object]:
        if self.replies:
            return self.replies.popleft()
        messages = body.get("messages") or []
        last_user = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
        if isinstance(last_user, list):
            last_user = " ".join(part.get("text", "") for part in last_user if isinstance(part, dict))
        match = re.search(r'<source id="1"[^>]*>\s*(.*?)</source>', last_user, re.S)
        if match:
            lines = [line for line in match.group(1).strip().splitlines() if line.strip()]
            body_text = " ".join(lines[1:] or lines)
            first = re.split(r"(?<=[.!?])\s", body_text.strip(), maxsplit=1)[0]
            return "text", f"{first} [1]"
        return "text", f"Echo: {last_user}"


def _handler_for(server: LLMTestServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # keep test output clean
            pass

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._json(400, {"error": {"message": "invalid JSON", "type": "invalid_request_error"}})
                return
            path = self.path.split("?")[0]
            server.requests.append((path, body, dict(self.headers)))
            if not (self.headers.get("Authorization") or "").startswith("Bearer "):
                self._json(401, {"error": {"message": "missing API key", "type": "invalid_request_error"}})
                return
            status = server._take_failure(path)
            if status is not None:
                self._json(status, {"error": {"message": f"injected failure {status}", "type": "server_error"}})
                return
            if path == "/v1/embeddings":
                if server.embedding_delay:
                    time.sleep(server.embedding_delay)
                self._embeddings(body)
            elif path == "/v1/chat/completions":
                self._chat(body)
            else:
                self._json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

        def _embeddings(self, body: dict) -> None:
            inputs = body.get("input")
            if isinstance(inputs, str):
                inputs = [inputs]
            if not isinstance(inputs, list) or not inputs:
                self._json(400, {"error": {"message": "input required", "type": "invalid_request_error"}})
                return
            data = [
                {"object": "embedding", "index": i, "embedding": server.embed(str(t))} for i, t in enumerate(inputs)
            ]
            tokens = sum(len(str(t).split()) for t in inputs)
            self._json(
                200,
                {
                    "object": "list",
                    "data": data,
                    "model": body.get("model", "test-embedding"),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
            )

        def _chat(self, body: dict) -> None:
            kind, value = server.next_reply(body)
            created = int(time.time())
            ident = f"chatcmpl-{created}-{len(server.requests)}"
            model = body.get("model", server.model)
            if kind == "tool":
                name, arguments = value
                tool_call = {
                    "id": f"call_{len(server.requests)}",
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(arguments)},
                }
                message = {"role": "assistant", "content": None, "tool_calls": [tool_call]}
                finish = "tool_calls"
            else:
                message = {"role": "assistant", "content": value}
                finish = "stop"
            if not body.get("stream"):
                self._json(
                    200,
                    {
                        "id": ident,
                        "object": "chat.completion",
                        "created": created,
                        "model": model,
                        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                    },
                )
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()

            def event(delta: dict, finish_reason=None) -> None:
                chunk = {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                if server.stream_delay:
                    time.sleep(server.stream_delay)

            event({"role": "assistant", "content": ""})
            if kind == "tool":
                call = message["tool_calls"][0]
                event(
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": call["id"],
                                "type": "function",
                                "function": {"name": call["function"]["name"], "arguments": ""},
                            }
                        ]
                    }
                )
                arguments = call["function"]["arguments"]
                for i in range(0, len(arguments), 8):
                    event({"tool_calls": [{"index": 0, "function": {"arguments": arguments[i : i + 8]}}]})
            else:
                for piece in re.findall(r"\S+\s*|\s+", value):
                    event({"content": piece})
            event({}, finish)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler
