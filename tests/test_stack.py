"""Smoke test of `make run`'s stack: the real ASGI server, Celery worker and beat, started by
`manage.py runstack` against a fresh database on the same PostgreSQL; Ctrl-C leaves no process behind."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
import pytest
from django.conf import settings

from portal import embedded
from tests.conftest import free_port

pytestmark = pytest.mark.stack


@pytest.fixture
def smoke_database_url():
    name = f"civicdesk_smoke_{os.getpid()}"
    admin_url = settings.DATABASE_OWNER_URL
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(admin_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))  # the stack runs as the owner and the app role (below)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_runstack_serves_http_and_websocket_and_stops_cleanly(smoke_database_url, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": embedded.app_url(smoke_database_url),
        "DATABASE_OWNER_URL": smoke_database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_CONCURRENCY": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    log = open(tmp_path / "stack.log", "w+")  # noqa: SIM115 - the child writes to it for the whole test
    stack = subprocess.Popen(
        [sys.executable, "manage.py", "runstack", "--port", str(port)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # migrate and seed a fresh database first: 50 s at load 9, >120 s niced at 15
        while True:
            try:
                status, _ = get(f"{base}/health/")
                if status == 200:
                    break
            except OSError:
                pass
            assert stack.poll() is None, (tmp_path / "stack.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "stack.log").read_text()
            time.sleep(0.5)

        status, body = get(f"{base}/")
        assert status == 200 and b"Springfield Public Works" in body
        status, body = get(f"{base}/a/springfield/")
        assert status == 200 and b"Springfield Public Works" in body
        status, body = get(f"{base}/api/v1/agencies/")
        slugs = {item["slug"] for item in json.loads(body)["results"]}
        assert status == 200 and {"springfield", "revenue"} <= slugs
        assert get(f"{base}/a/no-such-agency/")[0] == 404

        import asyncio

        import websockets

        async def handshake():
            async with websockets.connect(f"ws://127.0.0.1:{port}/ws/health/") as ws:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
                await ws.send(json.dumps({"type": "ping", "echo": 7}))
                pong = json.loads(await asyncio.wait_for(ws.recv(), 10))
                return hello, pong

        hello, pong = asyncio.run(handshake())
        assert hello["type"] == "hello" and pong == {"type": "pong", "echo": 7}

        # Two web processes (WEB_WORKERS defaults to 2), each on its own socket: long-lived sockets are
        # spread over both instead of piling onto whichever process accepted first.
        web = [child for child in psutil.Process(stack.pid).children() if "portal.serve" in " ".join(child.cmdline())]
        assert len(web) == 2

        async def hold_many(count: int):
            sockets = [await websockets.connect(f"ws://127.0.0.1:{port}/ws/health/") for _ in range(count)]
            for ws in sockets:
                await asyncio.wait_for(ws.recv(), 10)
            held = [
                sum(1 for c in process.net_connections() if c.status == "ESTABLISHED" and c.laddr.port == port)
                for process in web
            ]
            for ws in sockets:
                await ws.close()
            return held

        held = asyncio.run(hold_many(40))
        assert sum(held) == 40 and min(held) >= 8, held

        # A second stack on the same port refuses to start (SO_REUSEPORT would otherwise share the port).
        second = subprocess.run(
            [sys.executable, "manage.py", "runstack", "--port", str(port), "--no-seed"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode != 0 and "already listening" in second.stderr

        # the banner lists the demo logins
        log.flush()
        banner = (tmp_path / "stack.log").read_text()
        assert "springfield-supervisor" in banner and "Demo logins" in banner

        family = [stack.pid] + [child.pid for child in psutil.Process(stack.pid).children(recursive=True)]
        assert len(family) >= 5  # runstack, web, worker (+ pool), bulk worker (+ pool), beat
        # The bulk worker (alert fan-outs and senders) runs at low CPU priority; the main worker does not.
        children = psutil.Process(stack.pid).children()
        bulk = [c for c in children if "-Q bulk" in " ".join(c.cmdline())]
        main = [c for c in children if " worker " in f" {' '.join(c.cmdline())} " and c not in bulk]
        own, wanted = os.getpriority(os.PRIO_PROCESS, 0), max(os.getpriority(os.PRIO_PROCESS, 0), 10)
        assert len(bulk) == 1
        deadline = time.monotonic() + 120  # the worker lowers it once its app is loaded
        while bulk[0].nice() != wanted and time.monotonic() < deadline:
            time.sleep(0.5)
        assert bulk[0].nice() == wanted  # CELERY_BULK_NICE's default
        assert len(main) == 1 and main[0].nice() == own
    finally:
        os.killpg(stack.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        try:
            stack.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            raise
    time.sleep(0.5)
    survivors = [pid for pid in family if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert survivors == [], (tmp_path / "stack.log").read_text()
