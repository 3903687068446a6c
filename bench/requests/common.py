"""Shared plumbing for the service-request benchmarks.

Every benchmark runs against its own database (`civicdesk_bench` on the embedded PostgreSQL, or
BENCH_DATABASE_URL) so the development data is untouched, with DEBUG off, and serves HTTP the way
production does: uvicorn workers running the real ASGI application. The load generator is a small
asyncio HTTP/1.1 keep-alive client, so the client costs little CPU next to the server.

Stop `make run` before benchmarking: its Celery worker would consume the benchmark's tasks.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BENCH_DB = "civicdesk_bench"
DATA = Path(os.environ.get("BENCH_DATA_DIR", ROOT.parent.parent / "shared" / "data" / "311"))
if not DATA.exists():
    DATA = Path("/work/shared/data/311")


def bench_env() -> dict[str, str]:
    """Environment for the benchmark: its own database, the embedded Redis, DEBUG off."""
    sys.path.insert(0, str(ROOT))
    from portal import embedded

    database_url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("REDIS_URL")
    services = embedded.ensure_services(need_database=database_url is None, need_redis=redis_url is None)
    redis_url = redis_url or services.redis_url
    owner_url = os.environ.get("BENCH_DATABASE_OWNER_URL", database_url)
    if database_url is None:
        parts = urlsplit(services.database_url)
        database_url = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
        owner_url = urlunsplit(urlsplit(services.database_owner_url)._replace(path=f"/{BENCH_DB}"))
        _create_database(services.database_owner_url)
    if os.environ.get("BENCH_RLS") == "off":
        database_url = owner_url  # as before row-level security: the owner, exempt from the policies
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_OWNER_URL": owner_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "bench.requests.settings",
        "PYTHONUNBUFFERED": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _create_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    bench_url = urlunsplit(urlsplit(admin_url)._replace(path=f"/{BENCH_DB}"))
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DATABASE_URL",
                "DATABASE_OWNER_URL",
                "REDIS_URL",
                "DEBUG",
                "DJANGO_SETTINGS_MODULE",
                "EMAIL_BACKEND",
                "LOG_LEVEL",
            )
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _postmaster_pid() -> int | None:
    pidfile = ROOT / "var" / "pgdata" / "postmaster.pid"
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_processes() -> list:
    """The PostgreSQL server's processes on this machine (psutil), found by its data directory."""
    import psutil
    from django.db import connections

    with connections["owner"].cursor() as cursor:  # the app's role may not read server settings
        cursor.execute("SELECT current_setting('data_directory')")
        data_directory = cursor.fetchone()[0]
    for process in psutil.process_iter(["cmdline"]):
        if data_directory in " ".join(process.info["cmdline"] or []):
            return [process, *process.children(recursive=True)]
    return []


def processes_cpu(processes) -> float:
    """CPU seconds (user + system) used so far by these processes (those that ended count 0)."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            pass
    return total


def tree_cpu(pid: int) -> float:
    """`processes_cpu` of a process and all its children."""
    import psutil

    try:
        root = psutil.Process(pid)
        return processes_cpu([root, *root.children(recursive=True)])
    except psutil.Error:
        return 0.0


@dataclass
class Stack:
    procs: list[subprocess.Popen]  # the web processes first, then the Celery worker if any
    port: int
    web_count: int = 1

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by the web server, the Celery worker and PostgreSQL,
        each with its children: the machine is shared, so CPU per request is the stable measure."""
        result = {"web": sum(tree_cpu(proc.pid) for proc in self.procs[: self.web_count])}
        if len(self.procs) > self.web_count:
            result["celery"] = tree_cpu(self.procs[self.web_count].pid)
        result["postgres"] = tree_cpu(_postmaster_pid()) if _postmaster_pid() else 0.0
        return result

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def start_stack(env: dict[str, str], *, web_workers: int, celery_concurrency: int = 0, celery_nice: int = 0) -> Stack:
    """The web processes with the real ASGI app (+ the bare comparison view), and optionally a Celery worker
    (at a lower CPU priority when `celery_nice` > 0: background work yields to web requests)."""
    port = free_port()
    web_count = 1 if os.environ.get("BENCH_SERVER") == "uvicorn" else max(1, web_workers)
    if os.environ.get("BENCH_SERVER") == "uvicorn":
        # uvicorn's own workers sharing one socket (how `make run` served before session 3), for comparison.
        procs = [
            subprocess.Popen(
                [PYTHON, "-m", "uvicorn", "portal.asgi:application", "--host", "127.0.0.1", "--port", str(port),
                 "--workers", str(web_workers), "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
                env=env, cwd=ROOT,
            )
        ]  # fmt: skip
    else:
        # As `make run` serves (portal/serve.py): one uvicorn process per worker, each on its own socket.
        procs = [
            subprocess.Popen(
                [PYTHON, "-m", "portal.serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT
            )
            for _ in range(max(1, web_workers))
        ]
    if celery_concurrency:
        procs.append(
            subprocess.Popen(
                [*(["nice", "-n", str(celery_nice)] if celery_nice else []), PYTHON, "-m", "celery", "-A", "portal", "worker", "--loglevel", "WARNING", "--concurrency",
                 str(celery_concurrency), "--without-gossip", "--without-mingle", "--hostname", f"bench-{port}@%h"],
                env=env, cwd=ROOT,
            )
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if conn.recv(64).startswith(b"HTTP/1.1 200"):
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            Stack(procs, port, web_count).stop()
            raise RuntimeError("the server did not start")
        time.sleep(0.3)
    return Stack(procs, port, web_count)


# --- a small keep-alive HTTP/1.1 load generator ----------------------------------------------------


def http_request(method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Result:
    status: int
    seconds: float
    body: bytes


async def _worker(port: int, queue: asyncio.Queue, results: list[Result]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            try:
                index, raw = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            writer.write(raw)
            await writer.drain()
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length, close, chunked = 0, False, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value == "close":
                    close = True
                elif name == "transfer-encoding" and value == "chunked":
                    chunked = True
            if chunked:
                parts = []
                while True:
                    size = int((await reader.readline()).strip() or b"0", 16)
                    if size == 0:
                        await reader.readline()
                        break
                    parts.append(await reader.readexactly(size))
                    await reader.readline()
                body = b"".join(parts)
            else:
                body = await reader.readexactly(length) if length else b""
            results[index] = Result(status, time.perf_counter() - start, body)
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def _run(port: int, requests: list[bytes], concurrency: int) -> tuple[list[Result], float]:
    queue: asyncio.Queue = asyncio.Queue()
    for item in enumerate(requests):
        queue.put_nowait(item)
    results: list[Result] = [None] * len(requests)  # type: ignore[list-item]
    start = time.perf_counter()
    await asyncio.gather(*(_worker(port, queue, results) for _ in range(concurrency)))
    return results, time.perf_counter() - start


def run_load(port: int, requests: list[bytes], concurrency: int) -> tuple[list[Result], float]:
    """Send every request over `concurrency` keep-alive connections; (results in order, seconds)."""
    return asyncio.run(_run(port, requests, concurrency))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]
