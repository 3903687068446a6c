"""Real Celery workers for the tests that SIGKILL one mid-send (`workers` fixture in tests/messaging/conftest.py)."""

import os
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connections

LEASE_SECONDS = 3


def _test_database_url(url: str) -> str:
    """`url` (DATABASE_URL's form) pointing at the test database this test writes to."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + connections["default"].settings_dict["NAME"]))


class Worker:
    """`celery -A portal worker` in its own process group, on the tests' broker, database and Redis."""

    def __init__(self, tmp_path, name: str, *, lease_seconds: int = LEASE_SECONDS):
        env = {
            **os.environ,
            "CIVICDESK_TESTING": "1",  # the tests' broker
            "DATABASE_URL": _test_database_url(settings.DATABASE_URL),
            "DATABASE_OWNER_URL": _test_database_url(settings.DATABASE_OWNER_URL),
            "REDIS_URL": settings.REDIS_URL,
            "MESSAGING_LEASE_SECONDS": str(lease_seconds),
            "MESSAGING_RATE_LIMITS": "0",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
        env.pop("PYTEST_CURRENT_TEST", None)
        self.log_path = tmp_path / f"{name}.log"
        command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "prefork", "--concurrency", "1"]
        command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-Q", "celery,messaging-deliver", "--hostname", f"{name}-{os.getpid()}@%h"]
        self.log = open(self.log_path, "w+")  # noqa: SIM115 - the child writes to it
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 120
        while "ready." not in self.log_path.read_text():
            assert self.process.poll() is None and time.monotonic() < deadline, self.log_path.read_text()
            time.sleep(0.3)

    def kill(self) -> None:
        """SIGKILL to the worker and its pool child: nothing after it runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
