"""The Redis cache backend (caching/redis.py) against the real Redis server."""

import uuid

import pytest
import redis

from caching.redis import RedisCache, counters_incr
from tests.redis_monitor import redis_commands

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def redis_cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis injoignable sur 127.0.0.1:6379")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("version", 7)
    redis_cache.set("page", (7, "<html>"))
    assert redis_cache.get_many(["version", "page", "absent"]) == {
        "version": 7,
        "page": (7, "<html>"),
    }
    assert redis_cache.incr("version") == 8
    assert redis_cache.add("version", 1) is False
    redis_cache.delete("page")
    assert redis_cache.get("page") is None
    assert redis_cache._cache.get_client() is client


def test_counters_are_one_pipeline_on_the_default_cache(settings):
    """`caches["default"]` is the backend (the module-level `cache` is a proxy, never an
    instance of RedisCache): the INCR + EXPIRE NX pipeline runs, not the cache API's
    SET NX / EXISTS / INCRBY."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis injoignable sur 127.0.0.1:6379")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with redis_commands(REDIS_URL, prefix) as commands:
        assert counters_incr([("a", 60), ("b", 3600)]) == [1, 1]
        assert counters_incr([("a", 60), ("b", 3600)]) == [2, 2]
    # redis-py's INCR is INCRBY 1; the fallback would add SET NX and EXISTS.
    assert [command[0] for command in commands] == ["INCRBY", "EXPIRE"] * 4
    assert all(command[-1] == "NX" for command in commands[1::2])
