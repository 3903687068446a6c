"""Production settings refuse to start without their secrets and pass `check --deploy` cleanly."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7$" + "k2Lq9vZ0pR4tW8yB1nC5mD3fG6hJ" * 3,
    "ALLOWED_HOSTS": "civicdesk.example.gov",
    "FIELD_ENCRYPTION_KEY": "q3GkYJ3b0zH8t1m8m1a2b3c4d5e6f7g8h9i0j1k2l3M=",
}


def run_manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_without_warnings(db):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        extra_env={**PRODUCTION_ENV, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_missing_secret_key(db):
    env = {**PRODUCTION_ENV, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
    env.pop("SECRET_KEY")
    result = run_manage("check", extra_env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_missing_field_encryption_key(db):
    env = {**PRODUCTION_ENV, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
    env.pop("FIELD_ENCRYPTION_KEY")
    result = run_manage("check", extra_env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in result.stderr


def test_production_refuses_embedded_services(db):
    result = run_manage("check", extra_env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "DATABASE_URL and REDIS_URL must be set" in result.stderr
