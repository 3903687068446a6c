"""Messaging apps: the providers' webhooks."""

from tests.route_tables.common import values_of

FILL = {
    "kind": (values_of("channel_kind"), "fax"),
}

PUBLIC = {
    "hooks/<agency_slug>/<kind>/": "messaging webhooks: providers call them anonymously; only a body carrying the "
    "connection's secret or signature is stored (tests/messaging); another agency's kind is a 404",
}
