"""Production settings refuse to start without their secrets and pass `check --deploy` cleanly."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal import redis_url

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7$" + "k2Lq9vZ0pR4tW8yB1nC5mD3fG6hJ" * 3,
    "ALLOWED_HOSTS": "civicdesk.example.gov",
    "FIELD_ENCRYPTION_KEY": "q3GkYJ3b0zH8t1m8m1a2b3c4d5e6f7g8h9i0j1k2l3M=",
}


def run_manage(*args: str, extra_env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
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


def _redis_settings(url: str) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['LOCATION']); "
        "print(settings.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]['address']); "
        "print(settings.CELERY_BROKER_URL)"
    )
    env = {"DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": url}
    return run_manage("shell", "--no-imports", "-c", code, extra_env=env)


def test_redis_url_with_a_database_number_is_the_first_of_three(db):
    """`redis://host:6379/2` used to become databases 21, 22 and 23 ("/2" + "/1")."""
    server = redis_url.database_url(settings.REDIS_URL, "cache").rsplit("/", 1)[0]
    result = _redis_settings(f"{server}/4")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"{server}/4", f"{server}/5", f"{server}/6"]
    result = _redis_settings(server)  # no number: 1, 2, 3 as before
    assert result.stdout.split() == [f"{server}/1", f"{server}/2", f"{server}/3"]


def test_redis_url_that_cannot_work_is_refused_in_one_line(db):
    server = redis_url.database_url(settings.REDIS_URL, "cache").rsplit("/", 1)[0]
    result = _redis_settings(f"{server}/14")
    assert result.returncode != 0
    assert "REDIS_URL starts at database 14, so the broker would need database 16" in result.stderr


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    [
        ("redis://cache.internal:6379", "cache", "redis://cache.internal:6379/1"),
        ("redis://cache.internal:6379/", "channels", "redis://cache.internal:6379/2"),
        ("redis://:s3cret@cache.internal:6379/0", "broker", "redis://:s3cret@cache.internal:6379/2"),
        (
            "rediss://user:pw@cache.internal:6380/7?ssl_cert_reqs=none",
            "cache",
            "rediss://user:pw@cache.internal:6380/7?ssl_cert_reqs=none",
        ),
        ("redis://cache.internal:6379?db=3", "channels", "redis://cache.internal:6379/4"),
        ("unix:///run/redis/redis.sock", "broker", "unix:///run/redis/redis.sock?db=3"),
        ("unix:///run/redis/redis.sock?db=8", "test_broker", "unix:///run/redis/redis.sock?db=12"),
        ("redis://cache.internal:6379/13", "broker", "redis://cache.internal:6379/15"),
    ],
)
def test_redis_database_urls(url, role, expected):
    assert redis_url.database_url(url, role) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://cache.internal:6379", "must start with redis://, rediss:// or unix://"),
        ("redis://cache.internal:6379/two", "must be a number"),
        ("redis://cache.internal:6379/2?db=3", "names its database twice"),
        ("redis://cache.internal:6379/14", "Use a database number from 0 to 13"),
    ],
)
def test_impossible_redis_urls_are_refused(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        redis_url.database_url(url, "broker")
