"""Process tuning is applied by the entry points, not by importing a module (core.process)."""

import os
import subprocess
import sys

PROBE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
{imports}
from threadpoolctl import threadpool_info
blas = sorted({{info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"}})
print(sys.getswitchinterval(), blas)
"""


def _probe(imports: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(imports=imports)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_importing_leaf_modules_changes_nothing_process_wide():
    switch, blas = _probe("import chat.asyncdb, knowledge.vector_cache").split(" ", 1)
    assert float(switch) == 0.005  # Python's default
    if (os.cpu_count() or 1) > 1 and not os.environ.get("OPENBLAS_NUM_THREADS"):
        assert blas != "[1]"  # OpenBLAS's own default: a thread per core


def test_the_web_entry_point_tunes_its_process():
    switch, blas = _probe("import portal.asgi").split(" ", 1)
    assert float(switch) == 0.001
    assert blas == "[1]"


def test_a_celery_worker_child_tunes_its_process():
    switch, blas = _probe(
        "from celery.signals import worker_process_init\nworker_process_init.send(sender=None)"
    ).split(" ", 1)
    assert float(switch) == 0.005  # workers serve no sockets
    assert blas == "[1]"
