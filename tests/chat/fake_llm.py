"""A small OpenAI-compatible server for tests (real HTTP): /v1/chat/completions with tool calls.

Tests script it: `server.route(substring, tool, arguments)` makes the "model" call `tool` when the
last user message contains `substring`; `server.fail = True` answers 500. Requests are recorded.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    def __init__(self):
        self.routes: list[tuple[str, str, dict]] = []
        self.requests: list[dict] = []
        self.fail = False
        handler = self._handler()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def route(self, substring: str, tool: str, arguments: dict | None = None) -> None:
        self.routes.append((substring.lower(), tool, arguments or {}))

    def _decide(self, body: dict) -> dict:
        user = next((m["content"] for m in reversed(body.get("messages", [])) if m.get("role") == "user"), "")
        offered = {tool["function"]["name"] for tool in body.get("tools", [])}
        for substring, tool, arguments in self.routes:
            if substring in str(user).lower() and tool in offered:
                return {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": tool, "arguments": json.dumps(arguments)},
                        }
                    ],
                }
        return {"role": "assistant", "content": "I am not sure."}

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append({"path": self.path, "body": body})
                if server.fail or not self.path.endswith("/chat/completions"):
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "boom"}}')
                    return
                message = server._decide(body)
                payload = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "test"),
                    "choices": [
                        {
                            "index": 0,
                            "message": message,
                            "finish_reason": "tool_calls" if message.get("tool_calls") else "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
