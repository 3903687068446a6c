"""Public feedback: the form, the published notes and the citizens' API."""

from tests.route_tables.common import GHOST_INT, values_of

FILL = {
    "feedback_id": (values_of("feedback"), GHOST_INT),
}

PUBLIC = {
    "a/<agency_slug>/feedback/": "the public feedback form and the agency's published 'you said, we did' notes",
    "api/v1/a/<agency_slug>/feedback/": "citizens send feedback (no account); the answer is its own topic only",
}
