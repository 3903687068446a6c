"""The front door: routing across agencies, the service directory and officials."""

from tests.route_tables.common import GHOST_INT, values_of

FILL = {
    "service_id": (values_of("frontdoor_service"), GHOST_INT),
    "official_id": (values_of("frontdoor_official"), GHOST_INT),
    "record_id": (values_of("frontdoor_routed"), GHOST_INT),
}

GLOBAL = {
    "ask/": "the front door: routes a question to an agency and shows its public answer",
    "services/": "the front door's directory: published services and public contacts only",
    "report/": "the front door: which agency takes a report at a place (public areas and categories)",
    "staff/frontdoor/gaps/": "platform superusers only: which agencies lack an area, services or contacts",
    "api/v1/route/": "the front door: routes a question by public documents and services",
    "api/v1/route/location/": "the front door: the agency responsible for a place (public areas and categories)",
    "api/v1/services/": "the front door's directory: published services only",
    "api/v1/officials/": "the front door's directory: public contacts only",
}

SOCKETS = {
    "ws/chat/": {"global": "the front door's chat: public answers of the agency a question routes to, no token"},
}
