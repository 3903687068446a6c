"""Bot turns in flight, so a reconnecting citizen's unanswered question is answered exactly once.

A turn sets a short-lived Redis marker while it runs. When a citizen reconnects and their last
message has no reply (the server restarted mid-turn, say), the consumer runs the turn again once no
marker remains; the one-reply-per-message constraint makes a race harmless.
"""

from django.conf import settings

from chat.presence import _client

TURN_TTL_SECONDS = 20


def _key(conversation_id, seq: int) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "civicdesk")
    return f"{prefix}:chat:turn:{conversation_id}:{seq}"


def turn_begin(conversation_id, seq: int) -> None:
    _client().set(_key(conversation_id, seq), "1", ex=TURN_TTL_SECONDS)


def turn_end(conversation_id, seq: int) -> None:
    _client().delete(_key(conversation_id, seq))


def turn_running_for(conversation_id, seq: int) -> float:
    """Seconds the marker of this turn still lives (0: no turn is running)."""
    ttl = _client().ttl(_key(conversation_id, seq))
    return float(ttl) if ttl and ttl > 0 else 0.0
