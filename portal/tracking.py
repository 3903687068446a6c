"""One status lookup by reference number for everything a citizen filed.

Apps register a provider: `register_status_provider(kind, fn)` where
`fn(*, agency, reference) -> StatusView | None`. The web page `/a/<slug>/track/`, the API
`GET /api/v1/a/<slug>/status/<reference>/` and the chat skill "check status" all call
`status_lookup`. A provider must never return personal data: only what the public may see.
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
