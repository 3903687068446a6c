"""The route walker's tables (tests/test_isolation_routes.py), one module per area.

Each area module may define:
- FILL: route parameter (or names filled together) → (B's real values, a value that names nothing).
  Two areas may fill the same parameter (e.g. "token"): their values are walked together, and they must
  agree on the made-up value.
- PUBLIC: routes under an agency that anyone may use (B's objects under B's slug are then not secret), with why.
- GLOBAL: routes outside any agency, with why they show nothing of one agency to another.
- NO_POSITIVE_CONTROL: routes whose fill B's own staff cannot tell from a made-up one either, with why.
- SOCKETS: socket route → the frames that name an object, and the query parameters.
- ADMIN_WITHOUT_AGENCY: models in the admin that no agency owns, and why that is safe.
A new route goes into its area's module (a new area: a new module, listed in AREAS).
"""

from __future__ import annotations

from tests.route_tables import (
    analytics,
    chat,
    crisis,
    feedback,
    frontdoor,
    geocoding,
    knowledge,
    messaging,
    portal,
    privacy,
    registrations,
    requests,
)

AREAS = (portal, knowledge, chat, requests, geocoding, registrations, feedback, privacy, messaging, crisis)
AREAS += (frontdoor, analytics)


def _joined(first, second):
    return lambda world, route: [*first(world, route), *second(world, route)]


def _merge_fill() -> dict:
    merged: dict = {}
    for area in AREAS:
        for key, spec in getattr(area, "FILL", {}).items():
            if key not in merged or merged[key] is None:
                merged[key] = spec
                continue
            (values, phantom), (more, other_phantom) = merged[key], spec
            assert phantom == other_phantom, f"{area.__name__} fills {key!r} with another made-up value"
            merged[key] = (_joined(values, more), phantom)
    return merged


def _merge(name: str) -> dict:
    merged: dict = {}
    for area in AREAS:
        for key, value in getattr(area, name, {}).items():
            assert key not in merged, f"{name}[{key!r}] is in two areas' tables ({area.__name__})"
            merged[key] = value
    return merged


FILL = _merge_fill()
PUBLIC = _merge("PUBLIC")
GLOBAL = _merge("GLOBAL")
NO_POSITIVE_CONTROL = _merge("NO_POSITIVE_CONTROL")
SOCKETS = _merge("SOCKETS")
ADMIN_WITHOUT_AGENCY = _merge("ADMIN_WITHOUT_AGENCY")
