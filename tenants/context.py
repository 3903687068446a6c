"""The current tenant scope, held in a context variable (safe under ASGI, threads and Celery).

The scope is one agency (public pages, the API, sockets and tasks) or a set of agency ids (Django admin,
where a staff member with several memberships works across them). With no scope, tenant-owned queries
raise: scoping fails closed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenants.models import Agency


class AgencyNotSet(RuntimeError):
    """A tenant-owned query ran with no agency in scope. Use `agency_context()` or `.unscoped()`."""


@dataclass(frozen=True)
class AgencySetScope:
    """Several agencies at once (admin). `agency_ids` may be empty: then nothing matches."""

    agency_ids: frozenset[int]


_scope: ContextVar[Agency | AgencySetScope | None] = ContextVar("tenant_scope", default=None)


def get_current_agency() -> Agency | None:
    scope = _scope.get()
    return None if isinstance(scope, AgencySetScope) else scope


def scoped_agency_ids() -> frozenset[int]:
    """The agency ids the current scope allows; raises when there is no scope."""
    scope = _scope.get()
    if scope is None:
        raise AgencyNotSet("No agency is set for this tenant-owned query; scope it or use .unscoped().")
    if isinstance(scope, AgencySetScope):
        return scope.agency_ids
    return frozenset({scope.pk})


def set_current_agency(agency: Agency | None):
    """Set the agency and return a token for `reset_scope`."""
    return _scope.set(agency)


def reset_scope(token) -> None:
    _scope.reset(token)


@contextlib.contextmanager
def agency_context(agency: Agency | None) -> Iterator[Agency | None]:
    token = _scope.set(agency)
    try:
        yield agency
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def agencies_context(agency_ids: Iterable[int]) -> Iterator[None]:
    token = _scope.set(AgencySetScope(frozenset(agency_ids)))
    try:
        yield
    finally:
        _scope.reset(token)
