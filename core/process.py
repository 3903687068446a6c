"""Process-wide tuning, applied once when a process starts (never as a side effect of importing a module).

Called by the entry points: the ASGI application (`portal.asgi`: uvicorn, `portal.serve`), the Celery
worker (`portal.celery`, in the main process and in every pool child), `manage.py`, and the test suite.

- BLAS on one thread: dense search in memory (`knowledge.vector_cache`) multiplies a few thousand
  vectors, ~0.1 ms on one core; OpenBLAS would otherwise wake a thread per core for it and spin them,
  which cost more CPU than the product on a 2-core server (measured: 29 vs 15 ms of process CPU per
  chat turn).
- A 1 ms GIL switch interval (`CHAT_SWITCH_INTERVAL_MS`) where sockets are served: the event loop
  thread (every socket and the channel layer) shares the GIL with the bot-turn threads (`chat.asyncdb`).
  At Python's default 5 ms it waits up to 5 ms to get the GIL back after each I/O call while a turn runs
  Python code, which throttled the channel layer's receive loop under load (bench/chat/RESULTS.md).
"""

from __future__ import annotations

import os
import sys

_limits = None


def switch_interval_seconds() -> float:
    return float(os.environ.get("CHAT_SWITCH_INTERVAL_MS", "1")) / 1000


def tune(*, serves_sockets: bool) -> None:
    """Apply the process settings (idempotent). `serves_sockets`: this process runs the event loop of
    WebSocket consumers (web processes, the test suite's live server)."""
    global _limits
    if _limits is None:
        import numpy  # noqa: F401 - threadpoolctl limits the BLAS libraries loaded so far: load numpy's first
        from threadpoolctl import threadpool_limits

        _limits = threadpool_limits(limits=1, user_api="blas")
    if serves_sockets:
        sys.setswitchinterval(switch_interval_seconds())


def lower_priority(nice: int) -> int:
    """Run this process (and what it forks or starts from now on) at least at `nice` (never raises the
    priority: a worker started under `nice -n 15` stays at 15). Returns the niceness now in force.

    Linux keeps the niceness per thread: call it before the process starts threads or forks children."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.setpriority(os.PRIO_PROCESS, 0, min(nice, 19))
    return os.getpriority(os.PRIO_PROCESS, 0)
