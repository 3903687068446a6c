"""Benchmark settings: the real settings, plus a bare JSON view to compare against.

BENCH_DB_MODE chooses how web processes hold database connections (see RESULTS.md):
`settings` (what portal/settings.py says: a psycopg pool), `close` (a new connection per request)
or `persistent` (CONN_MAX_AGE=60 without a pool, the foundation's original setting).
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES

ROOT_URLCONF = "bench.requests.urls"

_mode = os.environ.get("BENCH_DB_MODE", "settings")
if _mode in ("close", "persistent"):
    DATABASES["default"].get("OPTIONS", {}).pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if _mode == "close" else 60
