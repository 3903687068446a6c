"""Reading settings from the environment, and the few facts every settings module needs first.

Used by portal/settings.py and portal/feature_settings.py; it must not import Django's settings.
"""

import os
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def env_int_or_off(name: str, default: int) -> int | None:
    """An integer setting that can be turned off: `default` when unset, None when set but empty."""
    value = os.environ.get(name)
    if value is None:
        return default
    return int(value) if value.strip() else None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    return default if value is None else [item.strip() for item in value.split(",") if item.strip()]


def require(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production")
    return value


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
TESTING = "pytest" in sys.modules or env("CIVICDESK_TESTING") == "1"
