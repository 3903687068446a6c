"""Chat: the citizens' page and sockets, the agents' inbox socket."""

PUBLIC = {
    "a/<agency_slug>/chat/": "the citizens' chat page",
}

SOCKETS = {
    "ws/a/<agency_slug>/chat/": {"query": "token"},
    "ws/a/<agency_slug>/inbox/": {
        "frames": ["open", "leave", "claim", "reply", "note", "handback", "close", "typing"],
    },
}
