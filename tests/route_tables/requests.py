"""Service requests: report pages, followers, photos, the public map and Open311."""

from tests.isolation_world import ghost_uuid
from tests.route_tables.common import GHOST_INT, GHOST_REF, GHOST_TOKEN, values_of

FILL = {
    "fmt": (lambda w, r: ["json", "xml"], "json"),
    "request_id": (values_of("request_reference"), GHOST_REF),
    "notification_id": (values_of("notification"), GHOST_INT),
    "code": (values_of("category_code"), "beta-no-such-code"),
    "token": (values_of("unsubscribe_token", "request_token"), GHOST_TOKEN),
    ("uid", "ext"): (
        lambda w, r: [{"uid": u, "ext": e} for u, e in w.values["photo"]],
        {"uid": ghost_uuid(), "ext": "jpg"},
    ),
    "path": (lambda w, r: ["services/" + w.values["category_code"][0]], "no/such/endpoint"),
}

PUBLIC = {
    "a/<agency_slug>/report/": "report a problem: the category list",
    "a/<agency_slug>/report/sent/<reference>/": "confirmation page of a report just filed (reference only)",
    "a/<agency_slug>/report/<code>/": "report a problem: a category's form",
    "a/<agency_slug>/requests/map/": "public map of open reports",
    "a/<agency_slug>/requests/<reference>/follow/": "follow a public report by e-mail",
    "a/<agency_slug>/requests/photos/<uid>.<ext>": "photos of public reports",
    "a/<agency_slug>/requests/unsubscribe/<token>/": "the follower's signed unsubscribe link",
    "a/<agency_slug>/requests/sms/status/<notification_id>/": "Twilio's status callback for an outbox text: "
    "refused without its signature; another agency's text is a 404",
    "api/v1/a/<agency_slug>/requests/nearby/": "open reports nearby (duplicate check), public fields only",
    "api/v1/a/<agency_slug>/requests/open/": "open reports for the public map",
    "open311/v2/discovery.<fmt>": "Open311 discovery",
    "open311/v2/services.<fmt>": "Open311 service list",
    "open311/v2/services/<code>.<fmt>": "Open311 service definition",
    "open311/v2/requests.<fmt>": "Open311 requests: public fields; POST needs the agency's key",
    "open311/v2/requests/<request_id>.<fmt>": "Open311 request: public fields",
    "open311/v2/tokens/<token>.<fmt>": "Open311 token → request id",
    "open311/v2/<path>": "Open311 unknown endpoint (always 404)",
}

NO_POSITIVE_CONTROL = {
    "a/<agency_slug>/requests/sms/status/<notification_id>/": "only Twilio's signature reaches a text (staff get the "
    "same 403 for every id); the signed real-vs-other-agency control is in tests/messaging/test_outbox_receipts.py",
    "open311/v2/<path>": "answers 404 for every path by design",
    "a/<agency_slug>/report/sent/<reference>/": "shows the reference it is given (only a confirmation)",
}
