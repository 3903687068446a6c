"""Writes of the service-request app. Import from here: `from requests_app.services import …`."""

from requests_app.services.delivery import notifications_deliver, notifications_deliver_run
from requests_app.services.filing import (
    DuplicatesFound,
    FilingResult,
    OnDuplicate,
    Reporter,
    reference_next,
    service_request_create,
)
from requests_app.services.keys import api_key_authenticate, api_key_issue, api_key_revoke
from requests_app.services.routing import (
    ROUTE_BATCH,
    route_department,
    route_pending_claim,
    route_soon,
    service_request_route,
    service_requests_route,
    sla_mark_breaches,
)
from requests_app.services.workflow import (
    TRANSITIONS,
    allowed_transitions,
    follower_add,
    follower_unsubscribe,
    service_request_assign,
    service_request_merge,
    service_request_note,
    service_request_transition,
)

__all__ = [
    "ROUTE_BATCH",
    "TRANSITIONS",
    "DuplicatesFound",
    "FilingResult",
    "OnDuplicate",
    "Reporter",
    "allowed_transitions",
    "api_key_authenticate",
    "api_key_issue",
    "api_key_revoke",
    "follower_add",
    "follower_unsubscribe",
    "notifications_deliver",
    "notifications_deliver_run",
    "reference_next",
    "route_department",
    "route_pending_claim",
    "route_soon",
    "service_request_assign",
    "service_request_create",
    "service_request_merge",
    "service_request_note",
    "service_request_route",
    "service_request_transition",
    "service_requests_route",
    "sla_mark_breaches",
]
