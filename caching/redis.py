"""Django's Redis cache backend, reusing one redis-py client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` object for every cache operation;
redis-py sets up some 170 response callbacks in each one. On a page served from the
page cache that was about 40 % of the request's CPU time. A client only wraps its
connection pool (which stays per process and is safe across threads and forks), so one per
pool serves every operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

if TYPE_CHECKING:
    from redis import Redis


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}

    def get_client(
        self, key: str | bytes | memoryview | None = None, *, write: bool = False
    ) -> Redis:
        # Both are private to Django's client, so absent from django-stubs.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def counters_incr(keys: list[tuple[str, int]], *, alias: str = "default") -> list[int]:
    """Adds one to each (key, lifetime in seconds) counter of the cache `alias`; their new
    values. On Redis one round trip (INCR and EXPIRE NX in a pipeline); elsewhere (tests,
    development) the cache API. `caches[alias]` is the backend itself: the module-level
    `django.core.cache.cache` is a proxy, never an instance of the backend class."""
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)  # noqa: SLF001 - Django's Redis client
        pipeline = client.pipeline(transaction=False)
        for key, lifetime in keys:
            pipeline.incr(backend.make_and_validate_key(key))
            pipeline.expire(backend.make_and_validate_key(key), lifetime, nx=True)
        return [int(value) for value in pipeline.execute()[::2]]
    values = []
    for key, lifetime in keys:
        backend.add(key, 0, lifetime)
        values.append(int(backend.incr(key)))
    return values
