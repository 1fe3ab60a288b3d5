"""/api/v1/activites/flux: the records of /activites in one NDJSON answer (same records,
same order), its scope and structure restriction, `depuis`, no personal data, one audit
line, a bounded number of queries, and its description in the OpenAPI document."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.scopes import Scope
from api.urls import api
from learners.choices import AttendanceStatus
from learners.models import AnonymousParticipants, AuditLog, Session
from tests.api.data import api_data, birth_years, distinctive_texts
from tests.api.test_privacy import _numbers
from tests.factories.learners import AttendanceFactory, SessionFactory, StructureFactory
from tests.factories.workshops import AtelierPageFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/activites/flux"
PAGES = "/api/v1/activites"


def _stream(client, headers, **params):
    response = client.get(URL, params, **headers)
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/x-ndjson"
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    assert body.endswith("\n")
    # NDJSON lines end at "\n" only (not at the other line breaks splitlines() knows).
    lines = [json.loads(line) for line in body.split("\n")[:-1]]
    return lines[:-1], lines[-1], body


def _all_pages(client, headers, size=2, **params):
    records, url, query = [], PAGES, {"page[size]": size, **params}
    while url:
        response = client.get(url, query, **headers)
        assert response.status_code == 200, response.content
        document = response.json()
        records += document["data"]
        url, query = document["links"].get("next"), {}
    return records


@pytest.fixture
def world():
    data = api_data()
    structure = data.structures[0]
    session = Session.objects.filter(structure=structure).first()
    AttendanceFactory(session=session, status=AttendanceStatus.ABSENT)
    AnonymousParticipants.objects.create(session=session, age_band="70_plus", gender="f", count=2)
    SessionFactory(structure=StructureFactory())  # nobody attended
    return data


def test_the_stream_is_every_page_of_the_list_in_order(client, make_key, world):
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    records, final, _ = _stream(client, headers)
    assert records == _all_pages(client, headers)
    assert len(records) == Session.objects.count() >= 7
    latest = max(Session.objects.values_list("updated_at", flat=True))
    assert final["meta"] == {
        "enregistrements": len(records),
        "derniere_modification": latest.astimezone(datetime.UTC).isoformat(),
    }
    assert final["links"]["next"].startswith("http://testserver/api/v1/activites/flux?")
    assert "filter%5Bmodification%5D%5Bdepuis%5D=" in final["links"]["next"]


def test_the_final_link_resumes_with_what_changed_since(client, make_key, world):
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    _, final, _ = _stream(client, headers)
    changed = Session.objects.order_by("id").first()
    Session.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
    response = client.get(final["links"]["next"], **headers)
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    # The last record read (same modification) again, then the session changed since.
    assert lines[-2]["id"] == str(changed.pk)
    assert lines[-1]["meta"]["enregistrements"] == len(lines) - 1 <= 2


def test_depuis_filters_as_the_list_does(client, make_key, world):
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    moment = timezone.now() + datetime.timedelta(seconds=1)
    recent = SessionFactory(structure=world.structures[1])
    Session.objects.filter(pk=recent.pk).update(updated_at=moment)
    since = moment.isoformat()
    records, final, _ = _stream(client, headers, **{"filter[modification][depuis]": since})
    assert [r["id"] for r in records] == [str(recent.pk)]
    assert records == _all_pages(client, headers, **{"filter[modification][depuis]": since})
    empty_since = (moment + datetime.timedelta(days=1)).isoformat()
    records, final, _ = _stream(client, headers, **{"filter[modification][depuis]": empty_since})
    assert records == [] and final["meta"]["enregistrements"] == 0


def test_a_structure_bound_key_streams_only_its_structure(client, make_key, world):
    structure = world.structures[1]
    _, headers = make_key(scopes=[Scope.ACTIVITIES], structure=structure)
    records, _, _ = _stream(client, headers)
    expected = Session.objects.filter(structure=structure).count()
    assert len(records) == expected > 0
    assert {r["attributes"]["structure_id"] for r in records} == {str(structure.pk)}
    assert records == _all_pages(client, headers)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"filter[modification][depuis]": "hier"}, "date_invalide"),
        ({"page[size]": "10"}, "parametre_inconnu"),
        ({"filter[statut]": "active"}, "parametre_inconnu"),
    ],
)
def test_bad_parameters_answer_400_in_french(client, make_key, world, params, code):
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    response = client.get(URL, params, **headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


def test_no_key_401_and_another_scope_403(client, make_key, world):
    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer faux:faux").status_code == 401
    _, headers = make_key(scopes=[Scope.STATISTICS])
    response = client.get(URL, **headers)
    assert response.status_code == 403
    assert "Activités" in response.json()["errors"][0]["detail"]


def test_one_call_is_one_audit_line(client, make_key, world):
    api_client, headers = make_key(scopes=[Scope.ACTIVITIES])
    before = AuditLog.objects.count()
    records, _, _ = _stream(client, headers)
    assert len(records) > 1
    assert AuditLog.objects.count() == before + 1
    line = AuditLog.objects.order_by("-id").first()
    assert line.username == f"api:{api_client.name}" and line.detail == f"GET {URL}"


def test_no_personal_data_leaves_through_the_stream(client, make_key, world):
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    records, final, body = _stream(client, headers)
    dumped = body.lower()
    assert not [text for text in distinctive_texts() if text in dumped]
    assert not _numbers(records) & birth_years()
    assert len(records) >= 6


def test_the_stream_costs_a_bounded_number_of_queries(client, make_key, world):
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    _stream(client, headers)  # the key's first use is noted once
    with CaptureQueriesContext(connection) as few:
        _stream(client, headers)
    for day in range(30):
        SessionFactory(
            structure=world.structures[0], start=timezone.now() - datetime.timedelta(day)
        )
    with CaptureQueriesContext(connection) as many:
        records, _, _ = _stream(client, headers)
    assert len(records) == Session.objects.count() >= 37
    assert len(many) == len(few)
    if connection.vendor == "postgresql":
        # Key check, rate count, audit line, then ONE statement (plus its savepoint).
        statements = [q["sql"] for q in many.captured_queries if "learners_session" in q["sql"]]
        assert len(statements) == 1


def test_the_openapi_document_describes_the_stream():
    operation = api.get_openapi_schema(path_prefix="/api/v1")["paths"][URL]["get"]
    content = operation["responses"]["200"]["content"]
    assert list(content) == ["application/x-ndjson"]
    refs = [item.get("$ref") for item in content["application/x-ndjson"]["schema"]["oneOf"]]
    assert "#/components/schemas/Activite" in refs
    assert {p["name"] for p in operation["parameters"]} == {"filter[modification][depuis]"}
    assert {"401", "403", "429", "400"} <= {str(code) for code in operation["responses"]}
    assert operation["security"]


def test_texts_with_backslashes_tabs_and_quotes_come_back_as_written(client, make_key, world):
    # PostgreSQL's COPY doubles backslashes and escapes tabs and newlines in its text
    # format: the stream must give back exactly the JSON of the list.
    hostile = 'Atelier « C:\\temp » \\\\ fin\t"guillemets"\nligne 2 \\n 🙂 \u2028'
    session = Session.objects.filter(structure=world.structures[0], atelier__isnull=False).first()
    if session is None:
        session = SessionFactory(structure=world.structures[0])
        session.atelier = AtelierPageFactory()
        session.save()
    session.atelier.title = hostile
    session.atelier.save()
    _, headers = make_key(scopes=[Scope.ACTIVITIES])
    records, final, _ = _stream(client, headers)
    assert records == _all_pages(client, headers, size=3)
    titles = [r["attributes"]["atelier"]["titre"] for r in records if r["attributes"]["atelier"]]
    assert hostile in titles
    assert final["meta"]["derniere_modification"] == records[-1]["attributes"]["modification"]
