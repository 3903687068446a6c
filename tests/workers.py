"""Running code as a Celery worker or beat runs it: no agency in scope and no cross-agency reason (the
autouse fixture in tests/conftest.py gives every test one, so that its own assertions see every agency)."""

import contextlib

from tenants.context import _cross_agency, agency_context


@contextlib.contextmanager
def as_a_beat_worker():
    token = _cross_agency.set(None)
    try:
        with agency_context(None):
            yield
    finally:
        _cross_agency.reset(token)
