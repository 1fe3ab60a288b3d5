"""Records across structures, attacked as counsellor B: every person-related admin path is
tried with ids of structure A (a person only A follows, A's session, A's import job, A's
consent), and the match hints are tried as an enumeration oracle. Each test asserts the refusal
(404/403, nothing written) or the absence of A's data in what B receives."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.choices import AttendanceStatus
from learners.models import Attendance, ImportJob, LearnerStructure, LinkRequest, SharingConsent
from learners.selectors.people import learner_link_match
from learners.services import observation_record
from learners.services.linking import sharing_consent_record
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    at,
    level,
)
from tests.learners.admin_views.people_helpers import assert_refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# Names no test factory draws (Faker fr_FR): a logged-in user may be called "Colette".
SECRETS = ("Colettine", "Brochard", "Atelier secret de A", "Aime les chats")


@pytest.fixture
def colette(structure_a, counsellor_a, socle):
    """A person only structure A follows, with history, a note and a carnet."""
    person = LearnerFactory(
        structure=structure_a,
        first_name="Colettine",
        last_name="Brochard",
        birth_year=1947,
        notes="Aime les chats",
    )
    session = SessionFactory(
        structure=structure_a,
        start=at(TODAY - datetime.timedelta(days=2)),
        title="Atelier secret de A",
    )
    AttendanceFactory(session=session, learner=person, status=AttendanceStatus.PRESENT)
    observation_record(
        user=counsellor_a,
        learner=person,
        competence=socle[0],
        level=level("socle", 2),
        session=session,
    )
    person.session_a = session
    return person


@pytest.fixture
def session_b(structure_b):
    return SessionFactory(structure=structure_b, start=at(TODAY), title="Permanence B")


def _no_secret(response):
    body = response.content.decode()
    for secret in SECRETS:
        assert secret not in body, secret


# --- Person pages by id ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "learners_person_detail",
        "learners_person_edit",
        "learners_person_data",
        "learners_person_data_json",
        "learners_person_erase",
        "learners_carnet_issue",
        "learners_carnet_revoke",
        "learners_carnet_card",
    ],
)
def test_b_gets_404_on_every_page_of_a_person_only_a_follows(client, colette, counsellor_b, name):
    client.force_login(counsellor_b)
    for method in ("get", "post"):
        response = getattr(client, method)(reverse(name, args=[colette.pk]))
        # 405 for the read-only pages: the method is refused before the person is looked up.
        assert response.status_code in (404, 405), (name, method)
        _no_secret(response)
    assert list(LearnerStructure.objects.filter(learner=colette)) == [
        LearnerStructure.objects.get(learner=colette, structure=colette.structure)
    ]


def test_b_cannot_record_nor_revoke_consent_for_a_person_of_a(
    client, colette, counsellor_a, counsellor_b
):
    client.force_login(counsellor_b)
    record = reverse("learners_person_consent_record", args=[colette.pk])
    assert client.post(record, {"given_on": TODAY.isoformat()}).status_code == 404
    assert not SharingConsent.objects.filter(learner=colette).exists()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied, whatever the message
        sharing_consent_record(user=counsellor_b, learner=colette)
    assert not SharingConsent.objects.filter(learner=colette).exists()


def test_b_cannot_revoke_a_s_consent_from_a_shared_person(
    client, colette, counsellor_a, counsellor_b, structure_a, structure_b
):
    LearnerStructure.objects.create(learner=colette, structure=structure_b)
    consent = sharing_consent_record(user=counsellor_a, learner=colette)
    client.force_login(counsellor_b)
    client.post(reverse("learners_person_consent_revoke", args=[colette.pk]))
    consent.refresh_from_db()
    assert consent.revoked_at is None  # B withdrew nothing: only its own consent, none


# --- Sheet, quick add, JSON lookup -----------------------------------------------------------


def test_b_cannot_open_nor_post_a_s_sheet(client, colette, counsellor_b):
    client.force_login(counsellor_b)
    sheet = reverse("learners_attendance_sheet", args=[colette.session_a.pk])
    assert client.get(sheet).status_code == 404
    assert client.post(sheet, {"add_learner": colette.pk}).status_code == 404
    new = reverse("learners_attendance_new_person", args=[colette.session_a.pk])
    assert client.get(new).status_code == 404
    edit = reverse("learners_session_edit", args=[colette.session_a.pk])
    assert client.get(edit).status_code == 404


def test_b_cannot_add_a_s_person_to_its_sheet_by_id(client, colette, counsellor_b, session_b):
    client.force_login(counsellor_b)
    sheet = reverse("learners_attendance_sheet", args=[session_b.pk])
    response = client.post(sheet, {"add_learner": str(colette.pk)}, follow=True)
    assert response.status_code == 200
    _no_secret(response)
    assert not Attendance.objects.filter(session=session_b, learner=colette).exists()
    assert not LearnerStructure.objects.filter(
        learner=colette, structure=session_b.structure
    ).exists()


def test_b_sheet_search_and_json_lookup_name_nobody_of_a(client, colette, counsellor_b, session_b):
    client.force_login(counsellor_b)
    sheet = reverse("learners_attendance_sheet", args=[session_b.pk])
    for query in ("Colettine", "Brochard", "Co"):
        response = client.get(sheet, {"q": query})
        assert response.context["results"] == []
        _no_secret_but_typed(response)
    lookup = reverse("learners_person_lookup")
    for query in ("Colettine", "Co", "Brochard", "colettine brochard"):
        for params in ({"q": query}, {"q": query, "seance": colette.session_a.pk}):
            data = json.loads(client.get(lookup, params).content)
            assert data["results"] == [], params
    response = client.get(reverse("learners_people"), {"q": "Colettine"})
    _no_secret_but_typed(response)
    assert "Brochard" not in response.content.decode()


def test_b_quick_add_with_a_s_person_gives_only_a_birth_year(
    client, colette, counsellor_b, session_b
):
    client.force_login(counsellor_b)
    url = reverse("learners_attendance_new_person", args=[session_b.pk])
    response = client.post(
        url,
        {
            "first_name": "Colettine",
            "last_name": "Brochard",
            "birth_year": "1948",
            "informed": "on",
        },
    )
    assert response.status_code == 200
    _no_secret_but_typed(response)
    assert "1947" in response.content.decode()
    assert str(colette.pk) not in [str(c.learner_id) for c in response.context.get("others", [])]
    # "créer et demander le rattachement": B gets its own record and a request, nothing of A.
    response = client.post(
        url,
        {
            "first_name": "Colettine",
            "last_name": "Brochard",
            "birth_year": "1948",
            "informed": "on",
            "create_and_request": "1",
        },
    )
    assert response.status_code == 302
    assert not LearnerStructure.objects.filter(
        learner=colette, structure=session_b.structure
    ).exists()
    assert LinkRequest.objects.filter(learner=colette, structure=session_b.structure).exists()


def _no_secret_but_typed(response):
    """The form echoes what B typed; nothing else of A's (session, note) may appear."""
    body = response.content.decode()
    for secret in ("Atelier secret de A", "Aime les chats"):
        assert secret not in body, secret


def test_a_wrong_carnet_code_links_nothing(client, colette, counsellor_b, session_b):
    client.force_login(counsellor_b)
    url = reverse("learners_attendance_new_person", args=[session_b.pk])
    identity = {"first_name": "Colettine", "last_name": "Brochard", "birth_year": "1947"}
    client.post(url, identity)
    client.post(url, {**identity, "link_code": "1", "carnet_code": "2345-6789-ABCD-EFGH"})
    assert not LearnerStructure.objects.filter(
        learner=colette, structure=session_b.structure
    ).exists()
    assert not SharingConsent.objects.filter(learner=colette).exists()


# --- Match hints as an enumeration oracle ----------------------------------------------------


def test_a_far_commune_of_the_same_departement_is_no_precise_description(counsellor_b, structure_a):
    """First name + birth year + ANY commune of the département would list the network
    (the département is the whole network): other structures' records are compared only
    when their commune is the one given or nearby."""
    here = CommuneFactory(latitude=46.67, longitude=-1.43)
    far = CommuneFactory(latitude=46.30, longitude=-0.60)  # same département, ~70 km
    LearnerFactory(structure=structure_a, first_name="Rose", birth_year=1940, commune=here)
    match = learner_link_match(user=counsellor_b, first_name="Rose", birth_year=1940, commune=far)
    assert match.other_ids == []
    # The commune given, or a nearby one, still finds the duplicate.
    match = learner_link_match(user=counsellor_b, first_name="Rose", birth_year=1940, commune=here)
    assert len(match.other_ids) == 1


def test_a_made_up_last_name_does_not_list_people_without_one(counsellor_b, structure_a):
    """A record of another structure without a last name is not revealed to whoever types
    a first name, a year and any last name."""
    LearnerFactory(structure=structure_a, first_name="Rose", last_name="", birth_year=1940)
    match = learner_link_match(
        user=counsellor_b, first_name="Rose", last_name="Zzzz", birth_year=1940
    )
    assert match.other_ids == []


def test_a_record_without_commune_is_not_matched_by_any_commune(counsellor_b, structure_a):
    LearnerFactory(
        structure=structure_a, first_name="Rose", last_name="Durand", birth_year=1940, commune=None
    )
    commune = CommuneFactory()
    match = learner_link_match(
        user=counsellor_b, first_name="Rose", birth_year=1940, commune=commune
    )
    assert match.other_ids == []
    # With the last name, the duplicate is found.
    match = learner_link_match(
        user=counsellor_b, first_name="Rose", last_name="Durand", birth_year=1940
    )
    assert len(match.other_ids) == 1


# --- Exports, statistics, imports, coordination-only acts ------------------------------------


@pytest.mark.parametrize("kind", ["people", "attendances", "observations", "activity", "sessions"])
def test_b_exports_hold_nothing_of_a(client, colette, counsellor_b, kind):
    client.force_login(counsellor_b)
    response = client.get(reverse("learners_export", args=[kind]))
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig", errors="replace")
        for secret in SECRETS:
            assert secret not in text, (kind, secret)


def test_b_statistics_cannot_be_narrowed_to_a(client, colette, counsellor_b, structure_a):
    client.force_login(counsellor_b)
    url = reverse("learners_statistics")
    response = client.get(url, {"structure": structure_a.pk})
    assert response.status_code == 200
    _no_secret(response)
    response = client.get(url, {"structure": structure_a.pk, "export": "csv"})
    assert response.status_code in (200, 302, 400)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Colettine" not in body


def test_b_cannot_see_a_s_import_job(client, counsellor_a, counsellor_b, structure_a):
    job = ImportJob.objects.create(
        kind="people", created_by=counsellor_a, structure=structure_a, original_name="a.csv"
    )
    client.force_login(counsellor_b)
    assert client.get(reverse("learners_import_job", args=[job.pk])).status_code == 404
    assert client.post(reverse("learners_import_job", args=[job.pk])).status_code == 404
    _no_secret(client.get(reverse("learners_imports")))


@pytest.mark.parametrize(
    "name", ["learners_merge", "learners_merge_compare", "learners_link_requests", "learners_audit"]
)
def test_coordination_pages_refused_to_a_counsellor(client, colette, counsellor_b, name):
    client.force_login(counsellor_b)
    response = client.get(reverse(name), {"a": colette.pk, "b": colette.pk, "q": "Colettine"})
    assert response.status_code in (302, 403, 404)
    if response.status_code != 404:
        assert_refused(response)


def test_a_people_import_is_no_enumeration_oracle(counsellor_b, structure_a):
    """The import's "suivie par une autre structure" flag follows the same rule as the
    hints: a first name, a year and a commune of A's person without a last name is
    flagged only when the commune is hers."""
    from learners.imports import import_run
    from tests.learners.imports.conftest import csv_bytes

    hers = CommuneFactory(insee_code="85191", name="La Roche-sur-Yon")
    other = CommuneFactory(insee_code="85194", name="Les Sables-d'Olonne")
    rose = LearnerFactory(
        structure=structure_a, first_name="Rose", last_name="", birth_year=1940, commune=hers
    )
    header = ["Prénom", "Nom", "Année de naissance", "Code INSEE"]

    def flagged(row) -> bool:
        plan = import_run(
            user=counsellor_b, kind="people", content=csv_bytes([header, row]), format="csv"
        )
        assert plan.ok, [str(e) for e in plan.errors]
        return any("autre structure" in " ".join(line.flags) for line in plan.flagged)

    assert not flagged(["Rose", "", "1940", other.pk])
    assert not flagged(["Rose", "Inventé", "1940", other.pk])
    assert flagged(["Rose", "", "1940", hers.pk])
    assert not LinkRequest.objects.filter(learner=rose).exists()  # previews write nothing


def test_b_cannot_tell_whether_a_shared_person_has_a_carnet(
    client, colette, counsellor_a, counsellor_b, structure_b
):
    """The carnet is held by the structure that created the record: B, which follows the
    person without their consent, gets the same answer whether A issued a carnet or not,
    and revokes nothing."""
    from learners.models import Carnet
    from learners.services import carnet_issue

    LearnerStructure.objects.create(learner=colette, structure=structure_b)
    client.force_login(counsellor_b)
    url = reverse("learners_carnet_revoke", args=[colette.pk])
    without = client.post(url)
    carnet_issue(user=counsellor_a, learner=colette)
    with_carnet = client.post(url)
    assert (with_carnet.status_code, with_carnet.get("Location")) == (
        without.status_code,
        without.get("Location"),
    )
    assert Carnet.objects.filter(learner=colette, revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("role", ["partner_editor", "anonymous"])
def test_outsiders_get_no_person_data_from_any_tracking_path(client, request, colette, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    urls = [
        reverse("learners_person_lookup") + "?q=Colettine",
        reverse("learners_people") + "?q=Colettine",
        reverse("learners_attendance_sheet", args=[colette.session_a.pk]),
        reverse("learners_attendance_new_person", args=[colette.session_a.pk]),
        reverse("learners_export", args=["people"]),
        reverse("learners_export", args=["attendances"]),
        reverse("learners_statistics"),
        reverse("learners_imports"),
        reverse("learners_dashboard"),
        reverse("learners_link_requests"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:
            assert response["Location"].startswith(("/admin/login/", "/admin/")), url
        _no_secret(response)
