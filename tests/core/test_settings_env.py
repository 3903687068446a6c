"""Settings read from the environment: an empty DATABASE_PREPARE_THRESHOLD turns psycopg's preparation off, as the
README says for a transaction-mode PgBouncer older than 1.21 (it used to be read as unset: 5)."""

import os
import subprocess
import sys

PROBE = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
from django.conf import settings
print(repr(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]))
"""


def _threshold(value: str | None) -> str:
    environ = {key: val for key, val in os.environ.items() if key != "DATABASE_PREPARE_THRESHOLD"}
    if value is not None:
        environ["DATABASE_PREPARE_THRESHOLD"] = value
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False, env=environ
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_prepare_threshold_is_five_by_default_off_when_empty_and_as_given():
    assert _threshold(None) == "5"
    assert _threshold("") == "None"
    assert _threshold("12") == "12"
