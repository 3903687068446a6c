"""Knowledge base: documents, versions, the public ask page and API."""

from tests.route_tables.common import GHOST_INT, values_of

FILL = {
    "document_id": (values_of("document"), GHOST_INT),
    "version_id": (values_of("version"), GHOST_INT),
    "chunk_id": (values_of("chunk"), GHOST_INT),
}

PUBLIC = {
    "a/<agency_slug>/ask/": "ask the agency's public knowledge base",
    "a/<agency_slug>/ask/passage/<chunk_id>/": "the whole public passage an answer cites (live, public, this agency's)",
    "api/v1/a/<agency_slug>/ask/": "ask the agency's public knowledge base",
}
