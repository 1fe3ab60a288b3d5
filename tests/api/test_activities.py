"""/api/v1/activites: content of a record, scopes, no personal data, cursor, query bound."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.scopes import Scope
from learners.choices import AttendanceStatus, Gender, SessionKind
from learners.models import AnonymousParticipants, Session
from learners.services.session_changes import session_cancel
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
    at,
    counsellor_user,
    socle_competences,
)
from tests.factories.workshops import theme

pytestmark = pytest.mark.django_db

URL = "/api/v1/activites"
# Distinctive personal data: none of it may appear anywhere in an answer.
FIRST, LAST = "Zéphyrine", "Quatremare"
PHONE, EMAIL, BIRTH_YEAR = "0611223344", "zephyrine.quatremare@example.org", 1931


def _get(client, headers, url=URL, **params):
    response = client.get(url, params, **headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world():
    """A structure with a venue in commune T…, one atelier with themes and competences,
    people present (one with distinctive personal data), one absent, anonymous people."""
    structure = StructureFactory(name="Maison France services du Bocage")
    venue = VenueFactory(structure=structure, commune=CommuneFactory(insee_code="85191"))
    day = timezone.localdate() - datetime.timedelta(days=3)
    session = SessionFactory(
        structure=structure,
        venue=venue,
        kind=SessionKind.WORKSHOP,
        start=at(day, 14),
        duration_minutes=90,
    )
    session.themes.set([theme("e-mail"), theme("securite-numerique")])
    session.competences.set(socle_competences()[:2])
    star = LearnerFactory(
        structure=structure,
        first_name=FIRST,
        last_name=LAST,
        phone=PHONE,
        email=EMAIL,
        birth_year=BIRTH_YEAR,
        gender=Gender.FEMALE,
        contact_consent=True,
    )
    AttendanceFactory(session=session, learner=star)
    young = LearnerFactory(structure=structure, birth_year=day.year - 20, gender=Gender.MALE)
    AttendanceFactory(session=session, learner=young)
    AttendanceFactory(session=session, status=AttendanceStatus.ABSENT)
    AnonymousParticipants.objects.create(
        session=session, age_band="70_plus", gender=Gender.FEMALE, count=3
    )
    other = SessionFactory(start=at(day, 10))  # another structure
    AttendanceFactory(session=other)
    return {"structure": structure, "venue": venue, "session": session, "other": other}


def _record(document, session):
    (record,) = [r for r in document["data"] if r["id"] == str(session.pk)]
    return record


def test_a_record_counts_people_and_never_names_them(client, make_key, world):
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    document = _get(client, headers)
    record = _record(document, world["session"])
    assert record["type"] == "activite"
    attributes = record["attributes"]
    session = world["session"]
    assert attributes["statut"] == "active"
    assert attributes["type"] == "atelier"
    assert attributes["duree_minutes"] == 90
    assert attributes["date"] == timezone.localdate(session.start).isoformat()
    assert attributes["lieu_id"] == str(world["venue"].pk)
    assert attributes["commune_code_insee"] == "85191"
    assert attributes["structure_id"] == str(world["structure"].pk)
    assert {t["slug"] for t in attributes["thematiques"]} == {"e-mail", "securite-numerique"}
    assert attributes["competences"] == sorted(c.code for c in socle_competences()[:2])
    participants = attributes["participants"]
    # Two people present (the absent one is not counted) and three anonymous people.
    assert participants["enregistrees"] == 2
    assert participants["anonymes"] == 3
    assert participants["total"] == 5
    assert participants["par_genre"] == {"masculin": 1, "feminin": 4, "non_communique": 0}
    bands = participants["par_tranche_age"]
    assert bands["70_plus"] == 4  # born in 1931, and the three anonymous people
    assert bands["18_24"] == 1
    assert sum(bands.values()) == 5
    assert set(bands) == {"moins_12", "12_17", "18_24", "25_39", "40_59", "60_69", "70_plus", "nc"}


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_no_name_phone_email_or_birth_year_ever_leaves(client, make_key, world):
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    response = client.get(URL, {"page[size]": 1000}, **headers)
    text = response.content.decode()
    for secret in (FIRST, LAST, PHONE, EMAIL, "quatremare", "zephyrine"):
        assert secret.lower() not in text.lower()
    leaves = list(_leaves(json.loads(text)))
    assert BIRTH_YEAR not in leaves
    assert str(BIRTH_YEAR) not in leaves
    for forbidden in ("nom", "prenom", "telephone", "courriel", "annee_naissance", "email"):
        assert forbidden not in leaves


def test_keys_without_the_scope_are_refused(client, make_key, world):
    _client, statistics_only = make_key(scopes=[Scope.STATISTICS])
    response = client.get(URL, **statistics_only)
    assert response.status_code == 403
    assert response.json()["errors"][0]["status"] == "403"
    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer nope:nope").status_code == 401


def test_a_structure_bound_key_sees_its_structure_only(client, make_key, world):
    _client, headers = make_key(scopes=[Scope.ACTIVITIES], structure=world["structure"])
    ids = {r["id"] for r in _get(client, headers, **{"page[size]": 1000})["data"]}
    assert ids == {str(world["session"].pk)}
    _client, network = make_key(name="Réseau", scopes=[Scope.ACTIVITIES])
    ids = {r["id"] for r in _get(client, network, **{"page[size]": 1000})["data"]}
    assert ids == {str(world["session"].pk), str(world["other"].pk)}


def _walk(client, headers, **params):
    """Every record, following links.next; the ids in the order read."""
    document = _get(client, headers, **params)
    ids = [r["id"] for r in document["data"]]
    while document["links"].get("next"):
        document = _get(client, headers, url=document["links"]["next"])
        ids += [r["id"] for r in document["data"]]
    return ids


def _sessions(n, structure, start):
    return [
        SessionFactory(structure=structure, start=start + datetime.timedelta(hours=i))
        for i in range(n)
    ]


def test_pages_follow_the_cursor_in_modification_order(client, make_key):
    structure = StructureFactory()
    sessions = _sessions(7, structure, timezone.now() - datetime.timedelta(days=10))
    # Same modification time for several: the id breaks the tie.
    Session.objects.filter(pk__in=[s.pk for s in sessions[:4]]).update(
        updated_at=timezone.now() - datetime.timedelta(days=2)
    )
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    ids = _walk(client, headers, **{"page[size]": 3})
    expected = list(Session.objects.order_by("updated_at", "id").values_list("id", flat=True))
    assert ids == [str(pk) for pk in expected]


def test_the_sync_since_a_date_reads_only_what_changed(client, make_key):
    structure = StructureFactory()
    old, recent = _sessions(2, structure, timezone.now() - datetime.timedelta(days=10))
    Session.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=5))
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    ids = _walk(client, headers, **{"filter[modification][depuis]": since})
    assert ids == [str(recent.pk)]


def test_the_cursor_stays_stable_under_concurrent_changes(client, make_key):
    """Rows inserted or changed while a warehouse pages come after its cursor: nothing is
    skipped, nothing read before is read again unless it changed."""
    structure = StructureFactory()
    past = timezone.now() - datetime.timedelta(days=30)
    sessions = _sessions(9, structure, past)
    for i, session in enumerate(sessions):
        Session.objects.filter(pk=session.pk).update(
            updated_at=past + datetime.timedelta(minutes=i)
        )
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    first = _get(client, headers, **{"page[size]": 3})
    read = [r["id"] for r in first["data"]]
    # Meanwhile: new sessions, and a change to one already read and one not yet read.
    new = _sessions(2, structure, timezone.now())
    Session.objects.filter(pk__in=[sessions[0].pk, sessions[5].pk]).update(
        updated_at=timezone.now()
    )
    document = first
    while document["links"].get("next"):
        document = _get(client, headers, url=document["links"]["next"])
        read += [r["id"] for r in document["data"]]
    everything = {str(s.pk) for s in sessions + new}
    assert set(read) == everything
    # Only the changed record already read comes back, at the end.
    assert len(read) == len(everything) + 1
    assert read.count(str(sessions[0].pk)) == 2
    assert read.index(str(sessions[5].pk)) > read.index(str(sessions[8].pk))


def test_a_cancelled_session_stays_with_its_status_and_a_new_modification(client, make_key):
    structure = StructureFactory()
    manager = counsellor_user(structure=structure, manager=True)
    session = SessionFactory(structure=structure)
    Session.objects.filter(pk=session.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    since = timezone.now().isoformat()
    session.refresh_from_db()
    session_cancel(user=manager, session=session, reason="Salle indisponible")
    records = _get(client, headers, **{"filter[modification][depuis]": since})["data"]
    assert [(r["id"], r["attributes"]["statut"]) for r in records] == [(str(session.pk), "annulee")]


def _queries(client, headers, size):
    client.get(URL, {"page[size]": size}, **headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"page[size]": size}, **headers)
    assert response.status_code == 200
    assert len(response.json()["data"]) == size
    return len(queries)


def test_a_page_costs_the_same_queries_whatever_its_size(client, make_key):
    structure = StructureFactory()
    for session in _sessions(40, structure, timezone.now() - datetime.timedelta(days=3)):
        session.themes.set([theme("e-mail")])
        AttendanceFactory(session=session)
        AnonymousParticipants.objects.create(session=session, count=2)
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    small, large = _queries(client, headers, 2), _queries(client, headers, 40)
    assert small == large
    # Key check and usage stamp, plus five reads (sessions, themes, competences, people
    # present, anonymous participants).
    assert large <= 10


@pytest.mark.parametrize(
    "params",
    [
        {"page[after]": "pas-un-curseur"},
        {"filter[modification][depuis]": "hier"},
        {"page[size]": "0"},
        {"page[size]": "5000"},
        {"filter[modifie]": "2026-01-01"},
    ],
)
def test_bad_parameters_get_a_french_400(client, make_key, params):
    _client, headers = make_key(scopes=[Scope.ACTIVITIES])
    response = client.get(URL, params, **headers)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["source"]["parameter"] == next(iter(params))
    assert error["title"] == "Paramètre invalide"
