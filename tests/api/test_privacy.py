"""No name, phone, e-mail or birth year of a person ever leaves through the API: every
endpoint of the OpenAPI document, every page (one row a page), read with a key holding
every scope, scanned for the distinctive values of tests/api/data.py."""

import json
import re

import pytest

from api.urls import api
from tests.api.data import api_data, birth_years, distinctive_texts

pytestmark = pytest.mark.django_db


# NDJSON, not JSON:API pages: scanned the same way in tests/api/test_activity_stream.py.
STREAMS = {"/api/v1/activites/flux"}


def _list_paths() -> list[str]:
    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    return sorted(
        path
        for path, item in paths.items()
        if "get" in item and "{" not in path and path not in STREAMS
    )


def _numbers(value) -> set:
    """Every number of a document, and every number written in its texts."""
    if isinstance(value, dict):
        return set().union(*(_numbers(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_numbers(v) for v in value)) if value else set()
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, str):
        return {int(n) for n in re.findall(r"(?<![\d-])\d{4}(?![\d-])", value)}
    return set()


def _pages(client, path, headers):
    url = f"{path}?page[size]=1"
    while url:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.content)
        body = response.json()
        yield body
        url = body["links"].get("next")


def test_the_api_lists_every_endpoint_the_scan_reads():
    assert {"/api/v1/sessions", "/api/v1/lieux", "/api/v1/structures"} <= set(_list_paths())


def test_no_personal_data_leaves_through_any_endpoint(client, make_key):
    api_data()
    _, headers = make_key()
    texts = distinctive_texts()
    read = 0
    for path in _list_paths():
        for body in _pages(client, path, headers):
            dumped = json.dumps(body, ensure_ascii=False).lower()
            assert not [text for text in texts if text in dumped], path
            # Birth years: as numbers or in the attributes' texts (links and cursors are
            # base64 and dates, which are not birth years).
            assert not _numbers(body["data"]) & birth_years(), path
            read += len(body["data"])
    # The scan read every row: 6 sessions, 2 venues, 2 structures, 2 counsellors, a guide
    # and an atelier (and, once they exist, the keyed lists' rows).
    assert read >= 14
