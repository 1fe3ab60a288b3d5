"""The cursor, the page size and the incremental-sync filter, read as a warehouse would."""

import datetime

import pytest
from django.utils import timezone

from api.errors import ApiError
from api.pagination import Cursor, cursor_decode, cursor_encode, since_parse
from learners.models import Structure
from tests.factories.learners import StructureFactory

pytestmark = pytest.mark.django_db

PLUS_14 = datetime.timezone(datetime.timedelta(hours=14))


def test_cursor_round_trip_is_opaque_and_exact():
    moment = datetime.datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=datetime.UTC)
    token = cursor_encode(Cursor(moment, 42))
    assert "2026" not in token and "=" not in token
    assert cursor_decode(token) == Cursor(moment, 42)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "!!!",
        "bm90IGpzb24",  # not JSON
        "WyJ4IiwxXQ",  # ["x",1]
        "WyIyMDI2LTAxLTAxIiwxXQ",  # a date without offset
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwiMSJd",  # the id as text
        "WyIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwtMV0",  # a negative id
        # Year 1 at UTC+14 is before year 1 in UTC: refused here, not by the database.
        cursor_encode(Cursor(datetime.datetime(1, 1, 1, tzinfo=PLUS_14), 1)),
    ],
)
def test_unreadable_cursors_are_refused_in_french(token):
    with pytest.raises(ApiError) as refused:
        cursor_decode(token)
    assert refused.value.status == 400
    assert refused.value.parameter == "page[after]"
    assert "Curseur illisible" in refused.value.detail


def test_since_reads_iso_8601_dates_and_paris_time():
    assert since_parse("2026-09-01T08:30:00Z") == datetime.datetime(
        2026, 9, 1, 8, 30, tzinfo=datetime.UTC
    )
    # No offset: Paris time (UTC+2 in September); a date alone: midnight.
    assert since_parse("2026-09-01T08:30") == datetime.datetime(
        2026, 9, 1, 6, 30, tzinfo=datetime.UTC
    )
    assert since_parse("2026-09-01") == datetime.datetime(2026, 8, 31, 22, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "value", ["hier", "2026-13-01", "2026-02-30T00:00Z", "0001-01-01T00:00+14:00"]
)
def test_unreadable_dates_are_refused_in_french(value):
    with pytest.raises(ApiError) as refused:
        since_parse(value)
    assert refused.value.status == 400
    assert refused.value.parameter == "filter[modification][depuis]"
    assert "ISO 8601" in refused.value.detail


def _ids(response):
    return [item["id"] for item in response.json()["data"]]


def test_following_next_reads_every_row_once_even_with_equal_dates(client, make_key):
    _, headers = make_key(scopes=["structures"])
    StructureFactory.create_batch(7)
    same = timezone.now() - datetime.timedelta(days=3)
    Structure.objects.update(created_at=same)  # ties broken by id
    seen, url = [], "/api/v1/structures?page[size]=3"
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200
        body = response.json()
        seen += _ids(response)
        assert body["meta"]["items_per_page"] == 3
        url = body["links"].get("next")
        assert (url is not None) == body["meta"]["has_next_page"]
    assert sorted(seen, key=int) == [
        str(pk) for pk in Structure.objects.order_by("pk").values_list("pk", flat=True)
    ]
    assert len(seen) == len(set(seen)) == 7


def test_incremental_sync_returns_only_what_changed_since(client, make_key):
    _, headers = make_key(scopes=["structures"])
    old, new = StructureFactory(), StructureFactory()
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Structure.objects.filter(pk=old.pk).update(created_at=month_ago, updated_at=month_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = client.get("/api/v1/structures", {"filter[modification][depuis]": since}, **headers)
    assert _ids(response) == [str(new.pk)]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("page[size]=0", "page[size]", "au moins 1"),
        ("page[size]=1001", "page[size]", "au plus 1\u202f000"),
        ("page[size]=99999999999999999999999", "page[size]", "au plus 1\u202f000"),
        ("page[size]=cent", "page[size]", "nombre entier"),
        ("page[after]=xyz", "page[after]", "Curseur illisible"),
        ("filter[modification][depuis]=demain", "filter[modification][depuis]", "ISO 8601"),
        ("filter[creation][depuis]=2026-01-01", "filter[creation][depuis]", "Paramètre inconnu"),
        ("page[number]=2", "page[number]", "Paramètre inconnu"),
    ],
)
def test_bad_parameters_answer_400_json_api_in_french(client, make_key, query, parameter, message):
    _, headers = make_key(scopes=["structures"])
    response = client.get(f"/api/v1/structures?{query}", **headers)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["status"] == "400"
    assert error["title"] == "Paramètre invalide"
    assert error["source"] == {"parameter": parameter}
    assert message in error["detail"]
