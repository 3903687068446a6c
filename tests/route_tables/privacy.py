"""Citizens' data rights: export and erasure requests, confirmed by a signed link and a code."""

from tests.route_tables.common import GHOST_TOKEN, values_of

FILL = {
    "token": (values_of("privacy_token"), GHOST_TOKEN),
}

PUBLIC = {
    "a/<agency_slug>/privacy/": "ask to export or erase one's own data: a code goes to the address, same answer for any",
    "a/<agency_slug>/privacy/verify/<token>/": "the citizen's signed request link; only the code sent to them acts on it",
}
