"""Calls without a usable key are limited per client address: a flood of wrong keys, or
of open-list reads, from one address answers 429 (French, Retry-After) while another
address, and keyed clients, are not affected. Open lists may sit in shared caches; keyed
answers never."""

import pytest
import redis

from tests.api.test_keys import _fresh_window
from tests.redis_monitor import redis_commands

pytestmark = pytest.mark.django_db

KEYED = "/api/v1/structures"
OPEN = "/api/v1/lieux"
FLOODER = {"REMOTE_ADDR": "203.0.113.5"}
NEIGHBOUR = {"REMOTE_ADDR": "198.51.100.7"}
WRONG = {"HTTP_AUTHORIZATION": "Bearer nope:nope"}
REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def limits(settings):
    settings.API_REFUSED_RATE_PER_ADDRESS = 3
    settings.API_OPEN_RATE_PER_ADDRESS = 4
    _fresh_window()
    return settings


def _statuses(client, url, n, **extra):
    return [client.get(url, **extra).status_code for _ in range(n)]


def test_a_flood_of_wrong_keys_from_one_address_answers_429(client, limits, make_key):
    assert _statuses(client, KEYED, 5, **FLOODER, **WRONG) == [401, 401, 401, 429, 429]
    response = client.get(KEYED, **FLOODER)  # no key at all counts the same
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "private, no-store"
    (error,) = response.json()["errors"]
    assert error["status"] == "429"
    assert "une adresse est limitée à 3 appels par minute" in error["detail"]
    # Another address is not affected; a usable key from the flooding address neither
    # (it counts against its own client's rate only).
    assert client.get(KEYED, **NEIGHBOUR, **WRONG).status_code == 401
    _, headers = make_key(scopes=["structures"])
    assert _statuses(client, KEYED, 5, **FLOODER, **headers) == [200] * 5


def test_a_flood_of_open_list_reads_answers_429(client, limits):
    assert _statuses(client, OPEN, 6, **FLOODER) == [200] * 4 + [429, 429]
    assert client.get(OPEN, **NEIGHBOUR).status_code == 200


def test_behind_the_proxy_each_forwarded_address_counts_apart(client, limits):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    one = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    # A client cannot choose its address by sending the header itself: the proxy appends
    # the real one, which is the one counted.
    other = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.5, 198.51.100.7"}
    assert _statuses(client, KEYED, 4, **one, **WRONG) == [401, 401, 401, 429]
    assert client.get(KEYED, **other, **WRONG).status_code == 401


@pytest.fixture
def redis_cache(settings):
    try:
        redis.Redis.from_url(REDIS).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": "api-address-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_address_count_is_one_redis_round_trip(client, limits, redis_cache):
    with redis_commands(REDIS, "refused:203.0.113.5") as commands:
        assert _statuses(client, KEYED, 4, **FLOODER, **WRONG) == [401, 401, 401, 429]
    assert [command[0] for command in commands] == ["INCRBY", "EXPIRE"] * 4
    keys = redis.Redis.from_url(REDIS).keys("*refused:203.0.113.5*")
    assert len(keys) == 1
    assert 0 < redis.Redis.from_url(REDIS).ttl(keys[0]) <= 65


def test_open_lists_are_public_for_shared_caches_keyed_answers_never(client, make_key, settings):
    settings.FRONT_CACHE_S_MAXAGE = 7
    response = client.get(OPEN)
    assert response.status_code == 200
    control = response["Cache-Control"]
    assert control.startswith("public,") and "s-maxage=7" in control
    # Sent with a key (even to an open list), or keyed: private.
    _, headers = make_key(scopes=["structures"])
    assert "public" not in client.get(OPEN, **headers).get("Cache-Control", "")
    assert client.get(KEYED, **headers)["Cache-Control"] == "private, no-store"
    bad = client.get(OPEN + "?page[size]=0")
    assert bad.status_code == 400 and "public" not in bad.get("Cache-Control", "")
    settings.FRONT_CACHE_S_MAXAGE = 0  # front cache headers off: none here either
    assert "public" not in client.get(OPEN).get("Cache-Control", "")


def test_response_descriptions_are_french(client):
    document = client.get("/api/v1/openapi.json").json()
    descriptions = {
        status: response["description"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
    }
    assert {"200", "400", "401", "403", "429"} <= set(descriptions)
    assert "OK" not in descriptions.values()
    assert descriptions["429"].startswith("Trop d'appels")
