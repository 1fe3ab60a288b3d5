"""Keys as a warehouse meets them: wrong, expired, revoked, without the scope, flooding;
and every served call in the audit log."""

import datetime
import time

import pytest
import redis

from api.models import ApiClient
from api.services.clients import api_client_revoke
from api.services.usage import WINDOW
from learners.choices import AuditAction
from learners.models import AuditLog
from tests.factories.learners import StructureFactory
from tests.redis_monitor import redis_commands

REDIS = "redis://127.0.0.1:6379/9"

pytestmark = pytest.mark.django_db

URL = "/api/v1/structures"


def _error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["status"] == str(status)
    return error


def test_a_good_key_reads_and_its_secret_is_stored_hashed(client, make_key):
    api_client, headers = make_key(scopes=["structures"])
    secret = headers["HTTP_AUTHORIZATION"].rsplit(":", 1)[1]
    assert (
        secret
        not in ApiClient.objects.filter(pk=api_client.pk).values_list("secret_hash", flat=True)[0]
    )
    assert client.get(URL, **headers).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer inconnu:secret",
        "Bearer sans-deux-points",
        "Bearer " + "x" * 500 + ":y",
    ],
)
def test_missing_or_unknown_keys_answer_401_in_french(client, make_key, header):
    make_key(scopes=["structures"])
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    error = _error(client.get(URL, **headers), 401)
    assert error["title"] == "Clé d'API absente, inconnue, expirée ou révoquée"
    assert AuditLog.objects.filter(action=AuditAction.API_READ).count() == 0


def test_a_wrong_secret_answers_401(client, make_key):
    api_client, _ = make_key(scopes=["structures"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_client.client_id}:mauvais"}
    _error(client.get(URL, **headers), 401)


def test_an_expired_key_answers_401(client, make_key, yesterday):
    _, headers = make_key(scopes=["structures"], expires_at=yesterday)
    _error(client.get(URL, **headers), 401)


def test_a_revoked_key_answers_401_from_the_next_call(client, make_key):
    api_client, headers = make_key(scopes=["structures"])
    assert client.get(URL, **headers).status_code == 200
    api_client_revoke(client=api_client)
    _error(client.get(URL, **headers), 401)


def test_a_key_without_the_scope_answers_403(client, make_key):
    _, headers = make_key(scopes=["activites", "statistiques"])
    error = _error(client.get(URL, **headers), 403)
    assert "« Structures et conseillers »" in error["detail"]


def test_every_served_call_is_audited_under_the_clients_name(client, make_key):
    structure = StructureFactory()
    _, headers = make_key(
        name="Entrepôt du département", scopes=["structures"], structure=structure
    )
    client.get(URL + "?page[size]=5", **headers)
    client.get("/api/v1/conseillers", **headers)
    lines = list(AuditLog.objects.filter(action=AuditAction.API_READ).order_by("id"))
    assert [(line.username, line.action, line.structure_id) for line in lines] == [
        ("api:Entrepôt du département", AuditAction.API_READ, structure.pk)
    ] * 2
    assert lines[0].detail == "GET /api/v1/structures?page[size]=5"
    assert lines[0].get_action_display() == "Lecture par l'API"


def test_last_use_is_written_once_in_five_minutes_not_on_every_call(
    client, make_key, django_assert_max_num_queries
):
    api_client, headers = make_key(scopes=["structures"])
    client.get(URL, **headers)
    api_client.refresh_from_db()
    first = api_client.last_used_at
    assert first is not None
    client.get(URL, **headers)
    api_client.refresh_from_db()
    assert api_client.last_used_at == first
    ApiClient.objects.filter(pk=api_client.pk).update(
        last_used_at=first - datetime.timedelta(minutes=6)
    )
    client.get(URL, **headers)
    api_client.refresh_from_db()
    assert api_client.last_used_at > first - datetime.timedelta(minutes=1)


def test_a_call_costs_a_bounded_number_of_queries(client, make_key, django_assert_max_num_queries):
    _, headers = make_key(scopes=["structures"])
    StructureFactory.create_batch(20)
    client.get(URL, **headers)  # first call writes last_used_at
    # The key, the audit line, the page.
    with django_assert_max_num_queries(3):
        assert len(client.get(URL, **headers).json()["data"]) == 20


def _fresh_window(margin: float = 15) -> None:
    """The rate counts in one-minute windows of the wall clock: a flood crossing a minute
    boundary would start counting again. Waits for the next minute when fewer than
    `margin` seconds of this one are left."""
    left = WINDOW - time.time() % WINDOW
    if left < margin:
        time.sleep(left + 0.05)


def _flood(client, headers, rate):
    _fresh_window()
    statuses = [client.get(URL, **headers).status_code for _ in range(rate + 2)]
    assert statuses == [200] * rate + [429, 429]
    response = client.get(URL, **headers)
    error = _error(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "limitée à 3 appels par minute" in error["detail"]
    return response


def test_a_flood_answers_429_with_retry_after(client, make_key):
    _, headers = make_key(scopes=["structures"], requests_per_minute=3)
    _flood(client, headers, 3)
    # Refused calls are not served, so not audited.
    assert AuditLog.objects.filter(action=AuditAction.API_READ).count() == 3


def test_each_client_has_its_own_count(client, make_key):
    _, flooding = make_key(name="A", scopes=["structures"], requests_per_minute=1)
    _, other = make_key(name="B", scopes=["structures"], requests_per_minute=1)
    _fresh_window()
    client.get(URL, **flooding)
    assert client.get(URL, **flooding).status_code == 429
    assert client.get(URL, **other).status_code == 200


@pytest.fixture
def redis_cache(settings):
    url = "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "api-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_the_rate_is_counted_in_redis_shared_by_every_process(client, make_key, redis_cache):
    api_client, headers = make_key(scopes=["structures"], requests_per_minute=3)
    with redis_commands(REDIS, f"api-rate:{api_client.client_id}:") as commands:
        _flood(client, headers, 3)
    # One round trip per call: the INCR + EXPIRE NX pipeline (6 calls).
    assert [command[0] for command in commands] == ["INCRBY", "EXPIRE"] * 6
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/9").keys(
        f"*api-rate:{api_client.client_id}:*"
    )
    assert len(keys) == 1
    assert 0 < redis.Redis.from_url("redis://127.0.0.1:6379/9").ttl(keys[0]) <= 65


def test_keyed_answers_and_key_refusals_are_never_shared_caches(client, make_key):
    _, headers = make_key(scopes=["structures"], requests_per_minute=1)
    _fresh_window()
    assert client.get(URL, **headers)["Cache-Control"] == "private, no-store"
    assert client.get(URL, **headers).status_code == 429
    assert client.get(URL, **headers)["Cache-Control"] == "private, no-store"
    _, without_scope = make_key(name="B", scopes=["activites"])
    refused = client.get(URL, **without_scope)
    assert (refused.status_code, refused["Cache-Control"]) == (403, "private, no-store")
    wrong = client.get(URL, HTTP_AUTHORIZATION="Bearer nope:nope")
    assert (wrong.status_code, wrong["Cache-Control"]) == (401, "private, no-store")
