"""Which agents are online, per agency: a Redis sorted set of console connections scored by expiry.

A console refreshes its entry with every heartbeat; a crashed server's entries simply expire.
"""

import time
from functools import cache

import redis
from django.conf import settings

PRESENCE_TTL_SECONDS = 75


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_timeout=2)  # the cache's database


def _key(agency_id: int) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "civicdesk")
    return f"{prefix}:chat:presence:{agency_id}"


def agent_seen(*, agency_id: int, user_id: int, connection: str) -> None:
    _client().zadd(_key(agency_id), {f"{user_id}:{connection}": time.time() + PRESENCE_TTL_SECONDS})


def agent_gone(*, agency_id: int, user_id: int, connection: str) -> None:
    _client().zrem(_key(agency_id), f"{user_id}:{connection}")


def agents_online(*, agency_id: int) -> int:
    """How many distinct agents have a live console in this agency."""
    try:
        client = _client()
        key = _key(agency_id)
        client.zremrangebyscore(key, "-inf", time.time())
        members = client.zrange(key, 0, -1)
    except redis.RedisError:
        return 0
    return len({member.split(b":", 1)[0] for member in members})
