"""One HTTP client per process for the providers' APIs (Telegram, Graph, Twilio).

`httpx.post(...)` builds a new client for every call: a new TLS context with the CA bundle parsed again
(about 20-40 ms of CPU, most of a delivery's cost in bench/messaging/turn_profile.py) and a new TCP
connection. The kept client reuses both. It is created lazily in each process (a forked Celery child
never uses its parent's sockets) and is thread-safe; every call still passes its own timeout, auth and
headers, so nothing of one connection's call leaks into another's.
"""

from __future__ import annotations

import os
import threading

import httpx

_clients: dict[int, httpx.Client] = {}
_lock = threading.Lock()
LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16, keepalive_expiry=30.0)


def provider_client() -> httpx.Client:
    """This process's client (the same one on every call in this process)."""
    pid = os.getpid()
    client = _clients.get(pid)
    if client is None:
        with _lock:
            client = _clients.get(pid)
            if client is None:
                _clients.clear()  # a parent's client, inherited by fork: not ours to use (or close)
                client = _clients[pid] = httpx.Client(limits=LIMITS)
    return client
