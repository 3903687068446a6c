"""One status lookup by reference number for everything a citizen filed.

Apps register a provider: `register_status_provider(kind, fn)` where
`fn(*, agency, reference) -> StatusView | None`. The web page `/a/<slug>/track/`, the API
`GET /api/v1/a/<slug>/status/<reference>/` and the chat skill "check status" all call
`status_lookup`. A provider must never return personal data: only what the public may see.

For a citizen who lost the reference, apps also register a filed-by provider:
`register_filed_provider(kind, fn)` where `fn(*, agency, email="", conversation="", limit)` returns
`[(filed_at, reference), …]`: what was filed with that e-mail address, or from that chat conversation, in that
agency only (`portal.lost_reference` reads them).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class StatusEvent:
    at: datetime
    status: str
    status_label: str
    note: str = ""


@dataclass(frozen=True)
class StatusView:
    reference: str
    kind: str  # "service_request" | "registration"
    title: str  # e.g. the category or the form's title
    status: str
    status_label: str
    submitted_at: datetime
    updated_at: datetime
    expected_date: date | None = None
    history: list[StatusEvent] = field(default_factory=list)
    url: str = ""


StatusProvider = Callable[..., StatusView | None]
_providers: dict[str, StatusProvider] = {}


def register_status_provider(kind: str, provider: StatusProvider) -> None:
    _providers[kind] = provider


def status_providers() -> dict[str, StatusProvider]:
    return dict(_providers)


def status_lookup(*, agency, reference: str) -> StatusView | None:
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 40:
        return None
    for provider in _providers.values():
        view = provider(agency=agency, reference=reference)
        if view is not None:
            return view
    return None


FiledProvider = Callable[..., list[tuple[datetime, str]]]
_filed_providers: dict[str, FiledProvider] = {}


def register_filed_provider(kind: str, provider: FiledProvider) -> None:
    _filed_providers[kind] = provider


def filed_references(*, agency, email: str = "", conversation: str = "", limit: int = 20) -> list[str]:
    """The references of what was filed with `email` (compared without case) or from the chat `conversation`,
    in `agency`, newest first, at most `limit`."""
    if not email and not conversation:
        return []
    found: list[tuple[datetime, str]] = []
    for provider in _filed_providers.values():
        found.extend(provider(agency=agency, email=email, conversation=conversation, limit=limit))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [reference for _filed_at, reference in found[:limit]]
