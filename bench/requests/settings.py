"""Benchmark settings: the real settings, plus a bare JSON view to compare against.

BENCH_DB_MODE chooses how web processes hold database connections (see RESULTS.md):
`settings` (what portal/settings.py says: a psycopg pool), `close` (a new connection per request)
or `persistent` (CONN_MAX_AGE=60 without a pool, the foundation's original setting).
"""

import os

from portal import redis_url
from portal.settings import *  # noqa: F403
from portal.settings import DATABASES

ROOT_URLCONF = "bench.requests.urls"
# Its own broker database: a `make run` worker must never consume the benchmark's tasks (or the
# other way round); they name agency ids of different databases.
CELERY_BROKER_URL = redis_url.database_url(REDIS_URL, "bench_broker")  # noqa: F405

# BENCH_RLS=off: as before row-level security (connected as the owner, no per-transaction set_config).
CIVICDESK_SCOPE_HOOK = os.environ.get("BENCH_RLS", "on") != "off"

_mode = os.environ.get("BENCH_DB_MODE", "settings")
if _mode in ("close", "persistent"):
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if _mode == "close" else 60
