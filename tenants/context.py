"""The current tenant scope, held in a context variable (safe under ASGI, threads and Celery).

The scope is one agency (public pages, the API, sockets and tasks) or a set of agency ids (Django admin,
where a staff member with several memberships works across them). With no scope, tenant-owned queries
raise: scoping fails closed.
"""

from __future__ import annotations

import contextlib
import logging
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
# Why the code running now may read and write every agency's rows (see `cross_agency`), or None.
_cross_agency: ContextVar[str | None] = ContextVar("cross_agency", default=None)

cross_agency_log = logging.getLogger("civicdesk.cross_agency")


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
    """Set the agency (and leave any cross-agency block: see `agency_context`); returns a token for `reset_scope`."""
    return (_scope.set(agency), _cross_agency.set(None))


def reset_scope(token) -> None:
    scope_token, cross_token = token
    _cross_agency.reset(cross_token)
    _scope.reset(scope_token)


@contextlib.contextmanager
def agency_context(agency: Agency | None) -> Iterator[Agency | None]:
    """Work as `agency` (None: as no agency). Inside, the database shows this agency's rows only, even within a
    `cross_agency` block (per-agency work in a job over all agencies); nest `cross_agency` to step out again."""
    token = set_current_agency(agency)
    try:
        yield agency
    finally:
        reset_scope(token)


def in_agency_scope(agency: Agency, chunks: Iterable):
    """`chunks` (a streaming response's body) produced in `agency`'s scope: the server iterates a streamed body
    after the view has returned and the middleware has left the request's scope, where row-level security
    shows no rows. Each step runs in the scope, which is left again before the chunk goes out."""
    iterator = iter(chunks)
    while True:
        with agency_context(agency):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


@contextlib.contextmanager
def agencies_context(agency_ids: Iterable[int]) -> Iterator[None]:
    token = (_scope.set(AgencySetScope(frozenset(agency_ids))), _cross_agency.set(None))
    try:
        yield
    finally:
        reset_scope(token)


def cross_agency_reason() -> str | None:
    return _cross_agency.get()


@contextlib.contextmanager
def cross_agency(*, reason: str) -> Iterator[None]:
    """THE way past the database's row-level security: inside this block, statements see and change every
    agency's rows (PostgreSQL is told `civicdesk.cross_agency = on` per transaction, tenants.rls).

    Only for work that is about no single agency — platform superusers' pages, beat jobs over all agencies,
    the portal's front door and directory, a person's roles in every agency, audit verification,
    retention, the demo seed. Each use names its reason (it shows in review, like `# unscoped:`) and is
    logged on `civicdesk.cross_agency`. The ORM's fail-closed scope is unchanged: tenant-owned managers
    still need an agency or `.unscoped()`.
    """
    if not (reason or "").strip():
        raise ValueError("cross_agency() needs a reason.")
    cross_agency_log.debug("cross-agency: %s", reason)
    token = _cross_agency.set(reason)
    try:
        yield
    finally:
        _cross_agency.reset(token)
