"""Django's RedisCache, keeping its redis-py client objects instead of building one per call.

Django's RedisCacheClient.get_client makes a new `redis.Redis` on every cache call; its
constructor fills ~170 response callbacks each time. On a page-cache hit (two cache calls:
the school of the host, then the page) that was a quarter of the request's CPU (measured
with cProfile, docs/architecture.md "Page cache"). A `redis.Redis` is thread-safe and holds
no connection of its own (its pool does, and the pool reconnects after a fork), so one per
pool serves every call.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_reused_clients", {})
        client = clients.get(index)
        if client is None:
            client = clients[index] = super().get_client(key, write=write)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
