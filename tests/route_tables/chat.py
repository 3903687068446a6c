"""Chat: the citizens' page and sockets, the agents' inbox socket, completing a citizen's draft."""

from tests.isolation_world import ghost_uuid
from tests.route_tables.common import values_of

FILL = {
    "conversation_id": (values_of("conversation"), ghost_uuid()),
    "form": (lambda world, route: ["report_problem", "register_service"], "no-such-form"),
}

PUBLIC = {
    "a/<agency_slug>/chat/": "the citizens' chat page",
    "api/v1/a/<agency_slug>/chat/photo/": "a citizen's photo into their own conversation (its token, sent in the "
    "body, is the only credential: a token of another agency or none is 404)",
}

SOCKETS = {
    "ws/a/<agency_slug>/chat/": {"query": "token"},
    "ws/a/<agency_slug>/inbox/": {
        "frames": ["open", "leave", "claim", "reply", "note", "handback", "close", "typing"],
    },
}
