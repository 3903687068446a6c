"""Queue a task only if none is waiting: one queued run serves all the work committed before it starts.

The caller names a flag (a cache key per connection, say). `queue_unless_waiting` sets it and queues the
task; while it is set, further calls queue nothing, because the waiting run will find their work. The task
clears the flag when it starts (`waiting_flag_clear`), so work committed after that queues the next run.
A run that never starts (a killed worker, a lost message) leaves the flag to expire after `timeout`
seconds, and its work to the beat sweep. Without Redis the flag cannot be set and every call queues its
own run; without a broker nothing is queued and the sweep finds the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache

logger = logging.getLogger(__name__)


def queue_unless_waiting(flag: str | None, *, timeout: int, send: Callable[[], object], what: str) -> bool:
    """Call `send` (which queues the task) unless `flag` says a run is waiting (no flag: always call it).
    True if the task was queued."""
    try:
        if flag is not None and not cache.add(flag, 1, timeout=timeout):
            return False  # a run is queued and has not started: it will find this work
    except Exception:  # noqa: BLE001 - without Redis, queue a run every time
        logger.debug("No flag %s; queueing %s anyway", flag, what)
    try:
        send()
    except Exception:  # noqa: BLE001 - the broker is away: the work is stored, the sweep runs it
        logger.warning("Could not queue %s; the sweep will", what)
        return False
    return True


def waiting_flag_clear(flag: str) -> None:
    """The run starts (before it looks for work): work committed from now on queues a new run."""
    try:
        cache.delete(flag)
    except Exception:  # noqa: BLE001 - without Redis the flag is never set
        logger.debug("Could not clear the flag %s", flag)
