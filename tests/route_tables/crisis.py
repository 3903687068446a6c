"""Crisis mode: public alerts, CAP in and out, subscriptions and the SMS gateway's webhooks (inbound, status)."""

from tests.route_tables.common import GHOST_INT, GHOST_TOKEN, values_of

FILL = {
    "alert_id": (values_of("alert_id"), GHOST_INT),
    "identifier": (values_of("alert_identifier"), "beta-20260101000000-deadbeef"),
    "token": (values_of("subscription_token"), GHOST_TOKEN),
    "delivery_id": (values_of("crisis_delivery"), GHOST_INT),
}

PUBLIC = {
    "a/<agency_slug>/alerts.cap": "the agency's public CAP 1.2 feed of its alerts",
    "a/<agency_slug>/alerts/": "public alerts and the subscription form",
    "a/<agency_slug>/alerts/<identifier>/": "a public alert (sent on the web)",
    "a/<agency_slug>/alerts/<identifier>.xml": "a public alert as CAP 1.2",
    "a/<agency_slug>/alerts/confirm/<token>/": "the subscriber's signed link; only the code sent to them confirms",
    "a/<agency_slug>/alerts/unsubscribe/<token>/": "the subscriber's signed unsubscribe link",
    "a/<agency_slug>/alerts/sms/inbound/": "the SMS gateway's webhook, refused without its signature",
    "a/<agency_slug>/alerts/sms/status/<delivery_id>/": "the SMS gateway's delivery receipt: refused without its "
    "signature; another agency's delivery is a 404",
    "api/v1/a/<agency_slug>/cap/": "CAP push: refused (401) without one of the agency's source keys",
}

NO_POSITIVE_CONTROL = {
    "a/<agency_slug>/alerts/sms/status/<delivery_id>/": "only the SMS gateway's signature reaches a delivery (staff get "
    "the same 403/404 for every id); the signed real-vs-other-agency control is in tests/crisis/test_alerts.py",
}
