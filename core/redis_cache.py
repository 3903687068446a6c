"""The Redis cache backend with one connection pool per process.

Django's `RedisCache` keeps its pool on the cache object, and cache objects are per thread or
async context. Under ASGI every HTTP request runs its sync code in a fresh thread, so each request
built a new pool and opened a new TCP connection to Redis (plus redis-py's per-connection setup):
measured at a fifth of an Open311 POST's CPU. Here the pools are shared by every thread of the
process, keyed by server URL and options (a forked process starts its own: the pid is in the key).
Django also wraps the pool in a new `redis.Redis` on every cache call (about 0.3 ms of CPU each: a chat
turn makes one); a client over a shared pool is itself safe to share, so each pool keeps one.
"""

import os
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict = {}
_clients: dict = {}
_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (os.getpid(), self._servers[index], self._pool_class, repr(sorted(self._pool_options.items(), key=str)))
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return pool

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))
        if client is None:
            with _lock:
                client = _clients.get(id(pool))
                if client is None:
                    client = _clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
