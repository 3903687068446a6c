"""The stack's processes, started and stopped one way: `manage.py runstack` (`make run`) and the benchmarks'
stacks (bench/messaging/stack.py) build the same web, Celery worker and beat commands, hand the children the
same environment, stop on the same signals and end their children the same way."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable

from django.conf import settings


def child_env(*, site_url: str) -> dict[str, str]:
    """The children's environment: this process's embedded PostgreSQL and Redis (their URLs, so the children
    reuse them instead of starting their own) and the site's address for links in e-mails."""
    return {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "DATABASE_OWNER_URL": settings.DATABASE_OWNER_URL,
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        "SITE_URL": site_url,
    }


def web_commands(*, host: str, port: int, workers: int) -> dict[str, list[str]]:
    """One uvicorn process per worker, each on its own SO_REUSEPORT socket: the kernel spreads connections
    evenly (portal/serve.py)."""
    return {
        f"web-{index + 1}": [sys.executable, "-m", "portal.serve", "--host", host, "--port", str(port)]
        for index in range(max(1, workers))
    }


def worker_command(*, concurrency: int | str, hostname: str, queues: Iterable[str] = ()) -> list[str]:
    """A Celery worker; `queues`: only those (`-Q`), else every queue in `CELERY_TASK_QUEUES`."""
    command = [
        *(sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "INFO"),
        *("--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "--hostname", hostname),
    ]
    return [*command, "-Q", ",".join(queues)] if queues else command


def worker_queues() -> list[str]:
    """The queues of the stack's main worker: all but the bulk queue, which a niced worker of its own takes."""
    return [queue.name for queue in settings.CELERY_TASK_QUEUES if queue.name != settings.CELERY_BULK_QUEUE]


def bulk_worker_command(*, hostname: str) -> list[str]:
    """The bulk worker (alert fan-outs and senders): `CELERY_BULK_CONCURRENCY` processes that lower their own
    CPU priority to `CELERY_BULK_NICE` (portal.celery)."""
    return worker_command(
        concurrency=settings.CELERY_BULK_CONCURRENCY, hostname=hostname, queues=[settings.CELERY_BULK_QUEUE]
    )


def beat_command(*, schedule: str, loglevel: str = "INFO") -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel", loglevel, "--schedule", schedule]


def stop_requested() -> Callable[[], bool]:
    """Catch SIGINT (Ctrl-C) and SIGTERM from now on; the returned function says whether one came."""
    caught: list[int] = []

    def stop(signum, frame):
        caught.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    return lambda: bool(caught)


def terminate(children: Iterable[subprocess.Popen], *, groups: bool = False, grace: float = 15) -> None:
    """SIGTERM every child still running, then SIGKILL whatever has not ended within `grace` seconds. With
    `groups`, each child's whole process group (children started with `start_new_session`, such as a Celery
    worker with its pool processes)."""
    children = [child for child in children if child.poll() is None]

    def send(child: subprocess.Popen, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            if groups:
                os.killpg(child.pid, signum)
            else:
                child.send_signal(signum)

    for child in children:
        send(child, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            send(child, signal.SIGKILL)
            child.wait()
