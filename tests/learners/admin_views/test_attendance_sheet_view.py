"""The attendance sheet screen and its 'add a person' tools, as every role."""

import json
import re

import pytest
from django.urls import reverse

from learners.choices import AttendanceStatus, ObservationSource
from learners.models import (
    Attendance,
    AuditLog,
    CompetenceSummary,
    Learner,
    Observation,
)
from learners.roles import roles_cache_clear
from learners.selectors import session_attendance_sheet
from learners.services import observation_record
from tests.factories.learners import (
    AttendanceFactory,
    CommuneFactory,
    LearnerFactory,
    SessionFactory,
    level,
)

pytestmark = pytest.mark.django_db

LOOKUP = reverse("learners_person_lookup")
COMMUNES = reverse("learners_commune_lookup")


def sheet_url(session):
    return reverse("learners_attendance_sheet", args=[session.pk])


def new_person_url(session):
    return reverse("learners_attendance_new_person", args=[session.pk])


def login(client, user):
    roles_cache_clear(user)
    client.force_login(user)
    return client


def assert_refused(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def assert_login_redirect(response):
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def sheet_post(sheet_session, user, marks: dict, add: int | None = None, **extra) -> dict:
    """POST data for the sheet: `marks` maps a learner to {"status": ..., "levels":
    {competence: level}, "equipment": ...}; every line on the sheet is posted (as the browser
    does), unmarked ones with their current values."""
    sheet = session_attendance_sheet(user=user, session_id=sheet_session.pk)
    data = {"line": []}
    for line in sheet.lines:
        learner_id = line.attendance.learner_id
        p = f"p{learner_id}"
        data["line"].append(str(learner_id))
        mark = marks.get(learner_id, {})
        status = mark.get("status", line.attendance.status)
        if status in ("present", "absent", "excuse"):
            data[f"{p}-status"] = status
        data[f"{p}-equipment"] = mark.get("equipment", line.attendance.equipment)
        data[f"{p}-autonomy"] = mark.get("autonomy", line.attendance.autonomy)
        data[f"{p}-referred_to"] = mark.get("referred_to", line.attendance.referred_to)
        for competence in sheet.competences:
            chosen = mark.get("levels", {}).get(competence.pk)
            recorded = line.levels.get(competence.pk)
            value = chosen.pk if chosen else (recorded.pk if recorded else "")
            data[f"{p}-c{competence.pk}"] = str(value)
    if add is not None:
        data["add_learner"] = str(add)
    data.update(extra)
    return data


@pytest.fixture
def landeronde(db):
    return CommuneFactory(insee_code="85120", name="Landeronde", postal_codes="85150")


@pytest.fixture
def session_a(structure_a, socle):
    return SessionFactory(structure=structure_a, competences=socle[:2], capacity=20)


@pytest.fixture
def helene(structure_a, landeronde):
    return LearnerFactory(
        structure=structure_a,
        first_name="Hélène",
        last_name="Durand",
        birth_year=1948,
        commune=landeronde,
    )


@pytest.fixture
def helena_b(structure_b):
    """A person of the other structure whose name also starts with "helen"."""
    return LearnerFactory(structure=structure_b, first_name="Héléna", last_name="Secret-B")


# --- Access ---------------------------------------------------------------------------------


def test_sheet_as_counsellor_of_the_structure(client, counsellor_a, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene, status=AttendanceStatus.REGISTERED)
    response = login(client, counsellor_a).get(sheet_url(session_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hélène D." in html
    assert f'name="p{helene.pk}-status"' in html
    assert "Enregistrer la feuille" in html
    # A level select per competence of the session, with the levels of its framework.
    assert html.count(f'name="p{helene.pk}-c') == 2
    assert "Non acquis" in html and "Autonome" in html


def test_sheet_as_coordinator(client, coordinator, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene)
    response = login(client, coordinator).get(sheet_url(session_a))
    assert response.status_code == 200 and "Hélène D." in response.content.decode()


def test_sheet_of_another_structure_is_404_and_leaks_nothing(
    client, counsellor_b, session_a, helene
):
    AttendanceFactory(session=session_a, learner=helene)
    login(client, counsellor_b)
    for response in (
        client.get(sheet_url(session_a)),
        client.post(sheet_url(session_a), {"line": [helene.pk], f"p{helene.pk}-status": "absent"}),
        client.get(new_person_url(session_a)),
        client.post(new_person_url(session_a), {"first_name": "Intrus", "confirm": "1"}),
    ):
        assert response.status_code == 404
        assert "Hélène" not in response.content.decode()
    assert Attendance.objects.get(learner=helene).status == AttendanceStatus.PRESENT
    assert not Learner.objects.filter(first_name="Intrus").exists()


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_sheet_refused_to_partner_editor_and_anonymous(client, request, session_a, helene, who):
    AttendanceFactory(session=session_a, learner=helene, status=AttendanceStatus.REGISTERED)
    if who:
        login(client, request.getfixturevalue(who))
    check = assert_refused if who else assert_login_redirect
    for response in (
        client.get(sheet_url(session_a)),
        client.post(sheet_url(session_a), {"line": [helene.pk], f"p{helene.pk}-status": "present"}),
        client.get(new_person_url(session_a)),
    ):
        check(response)
        assert "Hélène" not in response.content.decode()
    assert Attendance.objects.get(learner=helene).status == AttendanceStatus.REGISTERED


# --- Saving the sheet -----------------------------------------------------------------------


def _save_sheet(client, user, structure, socle, people: int, django_assert_max_num_queries):
    session = SessionFactory(structure=structure, competences=socle[:3], capacity=20)
    learners = LearnerFactory.create_batch(people, structure=structure)
    for learner in learners:
        AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.REGISTERED)
    marks = {
        learner.pk: {
            "status": "present" if i % 4 else "absent",
            "equipment": "telephone",
            "autonomy": "partiellement_autonome",
            "levels": {c.pk: level("socle", 2) for c in socle[:3]} if i % 4 else {},
        }
        for i, learner in enumerate(learners)
    }
    data = sheet_post(session, user, marks)
    login(client, user)
    with django_assert_max_num_queries(60) as ctx:
        response = client.post(sheet_url(session), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return len(ctx.captured_queries), session, learners


def test_saving_the_sheet_records_everything_in_bounded_queries(
    client, counsellor_a, structure_a, socle, django_assert_max_num_queries
):
    few, _s, _l = _save_sheet(
        client, counsellor_a, structure_a, socle, 3, django_assert_max_num_queries
    )
    many, session, learners = _save_sheet(
        client, counsellor_a, structure_a, socle, 12, django_assert_max_num_queries
    )
    assert many == few
    present = [lr for i, lr in enumerate(learners) if i % 4]
    absent = [lr for i, lr in enumerate(learners) if not i % 4]
    statuses = dict(session.attendances.values_list("learner_id", "status"))
    assert {statuses[lr.pk] for lr in present} == {AttendanceStatus.PRESENT}
    assert {statuses[lr.pk] for lr in absent} == {AttendanceStatus.ABSENT}
    assert set(session.attendances.values_list("equipment", flat=True)) == {"telephone"}
    observations = Observation.objects.filter(session=session)
    assert observations.count() == len(present) * 3
    assert set(observations.values_list("source", flat=True)) == {ObservationSource.COUNSELLOR}
    assert set(observations.values_list("author", flat=True)) == {counsellor_a.pk}
    summaries = CompetenceSummary.objects.filter(learner__in=present)
    assert summaries.count() == len(present) * 3
    assert {s.current_level.rank for s in summaries.select_related("current_level")} == {2}
    assert AuditLog.objects.filter(detail=f"feuille de présence séance {session.pk}").count() == 12


def test_sheet_page_queries_do_not_grow(
    client, counsellor_a, structure_a, socle, django_assert_max_num_queries
):
    counts = []
    for people in (3, 12):
        session = SessionFactory(structure=structure_a, competences=socle[:3])
        AttendanceFactory.create_batch(people, session=session)
        login(client, counsellor_a)
        with django_assert_max_num_queries(30) as ctx:
            response = client.get(sheet_url(session))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_success_message_and_saved_levels_shown_again(client, counsellor_a, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene, status=AttendanceStatus.REGISTERED)
    competence = session_a.competences.order_by("sort_order").first()
    data = sheet_post(
        session_a,
        counsellor_a,
        {helene.pk: {"status": "present", "levels": {competence.pk: level("socle", 1)}}},
    )
    response = login(client, counsellor_a).post(sheet_url(session_a), data, follow=True)
    html = response.content.decode()
    assert "Feuille enregistrée" in html
    assert "Niveaux notés : 1." in html
    form = response.context["form"]
    assert form[f"p{helene.pk}-status"].value() == "present"
    assert form[f"p{helene.pk}-c{competence.pk}"].value() == level("socle", 1).pk


def test_level_for_an_absent_person_is_refused_and_nothing_saved(
    client, counsellor_a, session_a, helene
):
    AttendanceFactory(session=session_a, learner=helene, status=AttendanceStatus.REGISTERED)
    competence = session_a.competences.first()
    data = sheet_post(
        session_a,
        counsellor_a,
        {helene.pk: {"status": "absent", "levels": {competence.pk: level("socle", 1)}}},
    )
    response = login(client, counsellor_a).post(sheet_url(session_a), data)
    assert response.status_code == 200
    assert (
        "Notez d&#x27;abord la présence pour Hélène D., puis le niveau."
        in response.content.decode()
    )
    assert Attendance.objects.get(learner=helene).status == AttendanceStatus.REGISTERED
    assert not Observation.objects.exists()


def test_unchanged_sheet_saves_nothing(client, counsellor_a, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene)
    data = sheet_post(session_a, counsellor_a, {})
    response = login(client, counsellor_a).post(sheet_url(session_a), data, follow=True)
    assert "Aucun changement à enregistrer." in response.content.decode()
    assert not AuditLog.objects.filter(detail__startswith="feuille").exists()


def test_bad_values_get_a_french_message_not_a_500(client, counsellor_a, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene)
    data = sheet_post(session_a, counsellor_a, {})
    data[f"p{helene.pk}-status"] = "teleporte"
    data[f"p{helene.pk}-c{session_a.competences.first().pk}"] = "999999"
    response = login(client, counsellor_a).post(sheet_url(session_a), data)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_current_level_is_shown_beside_the_select(client, counsellor_a, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene)
    competence = session_a.competences.first()
    observation_record(
        user=counsellor_a, learner=helene, competence=competence, level=level("socle", 2)
    )
    html = login(client, counsellor_a).get(sheet_url(session_a)).content.decode()
    assert "Actuel : Acquis" in html


# --- Adding people ---------------------------------------------------------------------------


def test_search_without_javascript_is_accent_insensitive_and_scoped(
    client, counsellor_a, session_a, helene, helena_b
):
    html = login(client, counsellor_a).get(sheet_url(session_a), {"q": "helen"}).content.decode()
    assert "Inscrire Hélène D." in html
    assert f'name="add_learner" value="{helene.pk}"' in html
    assert "Héléna" not in html and "Secret-B" not in html


def test_register_an_existing_person_saves_the_marks_made(
    client, counsellor_a, session_a, helene, structure_a
):
    other = LearnerFactory(structure=structure_a, first_name="Marcel")
    AttendanceFactory(session=session_a, learner=other, status=AttendanceStatus.REGISTERED)
    data = sheet_post(session_a, counsellor_a, {other.pk: {"status": "present"}}, add=helene.pk)
    response = login(client, counsellor_a).post(sheet_url(session_a), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ligne-{helene.pk}")
    statuses = dict(session_a.attendances.values_list("learner_id", "status"))
    assert statuses == {other.pk: AttendanceStatus.PRESENT, helene.pk: AttendanceStatus.REGISTERED}
    html = client.get(response["Location"]).content.decode()
    assert "Hélène D. est maintenant sur la feuille de la séance." in html


def test_register_out_of_scope_person_is_refused_without_saying_why(
    client, counsellor_a, session_a, helena_b
):
    data = {"add_learner": str(helena_b.pk)}
    response = login(client, counsellor_a).post(sheet_url(session_a), data, follow=True)
    html = response.content.decode()
    assert "Personne introuvable" in html
    assert "Héléna" not in html
    assert not Attendance.objects.filter(learner=helena_b).exists()


def test_capacity_refusal_then_waiting_list(client, counsellor_a, structure_a, socle, helene):
    session = SessionFactory(structure=structure_a, capacity=1)
    AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    login(client, counsellor_a)
    response = client.post(sheet_url(session), {"add_learner": str(helene.pk)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette séance est complète : sa 1 place est déjà prise." in html
    assert "Mettre Hélène D. sur la liste d&#x27;attente" in html or (
        "Mettre Hélène D. sur la liste d'attente" in html
    )
    assert not Attendance.objects.filter(learner=helene).exists()
    response = client.post(sheet_url(session), {"add_learner": str(helene.pk), "waitlist": "1"})
    assert response.status_code == 302
    assert Attendance.objects.get(learner=helene).status == AttendanceStatus.WAITING
    html = client.get(sheet_url(session)).content.decode()
    assert "Liste d&#x27;attente" in html or "Liste d'attente" in html


def test_person_already_on_the_sheet(client, counsellor_a, session_a, helene):
    AttendanceFactory(session=session_a, learner=helene)
    response = login(client, counsellor_a).post(
        sheet_url(session_a), {"add_learner": str(helene.pk)}, follow=True
    )
    assert "Hélène D. est déjà sur la feuille." in response.content.decode()
    assert Attendance.objects.filter(learner=helene).count() == 1


# --- Person lookup (JSON) -------------------------------------------------------------------


def test_person_lookup_is_accent_insensitive_and_scoped(
    client, counsellor_a, session_a, helene, helena_b
):
    AttendanceFactory(session=session_a, learner=helene)
    response = login(client, counsellor_a).get(LOOKUP, {"q": "HELENE", "seance": session_a.pk})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    results = response.json()["results"]
    assert results == [
        {"id": helene.pk, "label": "Hélène D.", "detail": "1948 · Landeronde", "already": True}
    ]
    body = client.get(LOOKUP, {"q": "hél"}).content.decode()
    assert "Secret-B" not in body and str(helena_b.pk) not in [
        str(r["id"]) for r in json.loads(body)["results"]
    ]


def test_person_lookup_as_coordinator_and_other_counsellor(
    client, coordinator, counsellor_b, helene, helena_b
):
    names = {
        r["label"] for r in login(client, coordinator).get(LOOKUP, {"q": "hel"}).json()["results"]
    }
    assert names == {"Hélène D.", "Héléna S."}
    client.logout()
    names = {
        r["label"] for r in login(client, counsellor_b).get(LOOKUP, {"q": "hel"}).json()["results"]
    }
    assert names == {"Héléna S."}


def test_person_lookup_limits_and_short_queries(client, counsellor_a, structure_a):
    LearnerFactory.create_batch(15, structure=structure_a, first_name="Jeanne")
    login(client, counsellor_a)
    assert len(client.get(LOOKUP, {"q": "jeanne"}).json()["results"]) == 10
    assert client.get(LOOKUP, {"q": "j"}).json()["results"] == []


def test_person_lookup_refusals(client, partner_editor, helene):
    response = login(client, partner_editor).get(LOOKUP, {"q": "helene"})
    assert response.status_code == 403
    assert response.json()["results"] == []
    assert "Hélène" not in response.content.decode()
    client.logout()
    assert_login_redirect(client.get(LOOKUP, {"q": "helene"}))


def test_person_lookup_queries_are_bounded(
    client, counsellor_a, structure_a, session_a, django_assert_max_num_queries
):
    counts = []
    for name, people in (("Paul", 3), ("Pierre", 12)):
        LearnerFactory.create_batch(people, structure=structure_a, first_name=name)
        login(client, counsellor_a)
        with django_assert_max_num_queries(10) as ctx:
            found = client.get(LOOKUP, {"q": name, "seance": session_a.pk}).json()["results"]
        assert len(found) == min(people, 10)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- New person ------------------------------------------------------------------------------


def test_new_person_shows_another_structure_s_record_as_a_birth_year_only(
    client, counsellor_b, structure_b, helene, landeronde
):
    session_b = SessionFactory(structure=structure_b)
    Learner.objects.filter(pk=helene.pk).update(phone="0600000000", notes="NOTE-PRIVEE")
    data = {
        "first_name": "helene",
        "last_name": "DURAND",
        "birth_year": "1948",
        "commune_q": "",
        "commune": landeronde.pk,
    }
    response = login(client, counsellor_b).post(new_person_url(session_b), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette personne est peut-être déjà connue" in html
    assert "Une personne née en 1948 est déjà suivie par une autre structure du réseau." in html
    # Nothing else: no name, no initial, no commune, no contact, no notes, no id.
    for secret in ("Durand", "Hélène D.", "Landeronde</", "0600000000", "NOTE-PRIVEE"):
        assert secret not in html, secret
    # No field carries her id; the flag buttons' constant "1" is not an id (it equals
    # helene.pk when she is the first person created).
    flags = ("link_code", "confirm", "create_and_request", "waitlist")
    flagless = re.sub(rf'name="(?:{"|".join(flags)})" value="1"', "", html)
    assert f'value="{helene.pk}"' not in flagless
    assert not Learner.objects.filter(structure=structure_b).exists()
    # A first name alone gives no hint about other structures at all.
    alone = client.post(new_person_url(session_b), {"first_name": "helene"})
    assert alone.status_code == 302
    Attendance.objects.filter(session=session_b).delete()
    Learner.objects.filter(structure=structure_b).delete()

    # "None of them": the record is created and registered.
    response = client.post(new_person_url(session_b), {**data, "confirm": "1"})
    assert response.status_code == 302
    created = Learner.objects.get(structure=structure_b)
    assert (created.first_name, created.last_name, created.birth_year) == ("helene", "DURAND", 1948)
    assert created.commune == landeronde
    assert Attendance.objects.get(learner=created, session=session_b).status == "inscrit"


def test_new_person_with_the_carnet_code_links_and_registers(
    client, counsellor_b, counsellor_a, structure_b, helene, landeronde
):
    from learners.models import LinkRequest, SharingConsent
    from learners.services import carnet_issue

    code = carnet_issue(user=counsellor_a, learner=helene)
    session_b = SessionFactory(structure=structure_b)
    data = {"first_name": "helene", "last_name": "durand", "birth_year": "1949"}
    login(client, counsellor_b).post(new_person_url(session_b), data)
    wrong = client.post(new_person_url(session_b), {**data, "link_code": "1", "carnet_code": "X"})
    assert wrong.status_code == 200 and "ne correspond pas" in wrong.content.decode()
    assert not Attendance.objects.filter(session=session_b).exists()
    response = client.post(
        new_person_url(session_b), {**data, "link_code": "1", "carnet_code": code}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(session=session_b).learner == helene
    assert SharingConsent.objects.get(learner=helene).structure == structure_b
    assert not LinkRequest.objects.exists()


def test_new_person_without_carnet_asks_for_the_link(client, counsellor_b, structure_b, helene):
    from learners.models import LinkRequest

    session_b = SessionFactory(structure=structure_b)
    data = {"first_name": "helene", "last_name": "durand", "birth_year": "1948"}
    login(client, counsellor_b).post(new_person_url(session_b), data)
    response = client.post(new_person_url(session_b), {**data, "create_and_request": "1"})
    assert response.status_code == 302
    own = Learner.objects.get(structure=structure_b)
    assert Attendance.objects.get(session=session_b).learner == own
    link_request = LinkRequest.objects.get()
    assert (link_request.learner, link_request.own_record) == (helene, own)
    assert not helene.structure_links.filter(structure=structure_b).exists()


def test_new_person_match_of_own_structure_can_be_registered(
    client, counsellor_a, session_a, helene
):
    response = login(client, counsellor_a).post(
        new_person_url(session_a), {"first_name": "Helene", "birth_year": "1948"}
    )
    html = response.content.decode()
    assert f'name="add_learner" value="{helene.pk}"' in html
    assert f'action="{sheet_url(session_a)}"' in html


def test_new_person_without_match_is_created_and_registered_at_once(
    client, counsellor_a, session_a, structure_a, landeronde
):
    response = login(client, counsellor_a).post(
        new_person_url(session_a),
        {"first_name": "Zoé", "birth_year": "2008", "commune_q": "landeronde", "informed": "on"},
    )
    assert response.status_code == 302
    zoe = Learner.objects.get(first_name="Zoé")
    assert zoe.structure == structure_a and zoe.commune == landeronde
    assert zoe.information_given_at is not None
    assert Attendance.objects.filter(learner=zoe, session=session_a).exists()
    assert response["Location"].endswith(f"#ligne-{zoe.pk}")


def test_new_person_on_a_full_session_offers_the_waiting_list(client, counsellor_a, structure_a):
    session = SessionFactory(structure=structure_a, capacity=2)
    AttendanceFactory.create_batch(2, session=session, status=AttendanceStatus.REGISTERED)
    login(client, counsellor_a)
    response = client.post(new_person_url(session), {"first_name": "Ulysse", "confirm": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cette séance est complète : ses 2 places sont déjà prises." in html
    assert not Learner.objects.filter(first_name="Ulysse").exists()
    response = client.post(
        new_person_url(session), {"first_name": "Ulysse", "confirm": "1", "waitlist": "1"}
    )
    assert response.status_code == 302
    ulysse = Learner.objects.get(first_name="Ulysse")
    assert Attendance.objects.get(learner=ulysse).status == AttendanceStatus.WAITING


def test_new_person_bad_input_gets_french_messages(client, counsellor_a, session_a):
    response = login(client, counsellor_a).post(
        new_person_url(session_a), {"first_name": " - ", "birth_year": "1850", "commune_q": "zz9"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez un prénom." in html
    assert "Indiquez une année entre 1900 et" in html
    assert "Aucune commune ne correspond à « zz9 »" in html
    assert not Learner.objects.exists()


def test_new_person_prefilled_from_a_vain_search(client, counsellor_a, session_a):
    response = login(client, counsellor_a).post(
        sheet_url(session_a), {"q": "Anaïs Morel", "new_person": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{new_person_url(session_a)}?first_name=Ana%C3%AFs&last_name=Morel"
    )
    response = client.get(response["Location"])
    assert response.context["form"]["first_name"].value() == "Anaïs"
    assert response.context["form"]["last_name"].value() == "Morel"


def test_search_and_new_person_buttons_save_the_marks_first(
    client, counsellor_a, session_a, helene, structure_a
):
    other = LearnerFactory(structure=structure_a, first_name="Marcel")
    AttendanceFactory(session=session_a, learner=other, status=AttendanceStatus.REGISTERED)
    login(client, counsellor_a)
    data = sheet_post(session_a, counsellor_a, {other.pk: {"status": "absent"}})
    response = client.post(sheet_url(session_a), {**data, "q": "helene", "search": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{sheet_url(session_a)}?q=helene#ajouter"
    assert Attendance.objects.get(learner=other).status == AttendanceStatus.ABSENT
    assert "Inscrire Hélène D." in client.get(response["Location"]).content.decode()
    data = sheet_post(session_a, counsellor_a, {other.pk: {"status": "excuse"}})
    response = client.post(sheet_url(session_a), {**data, "new_person": "1"})
    assert response["Location"] == new_person_url(session_a)
    assert Attendance.objects.get(learner=other).status == AttendanceStatus.EXCUSED


# --- Communes --------------------------------------------------------------------------------


@pytest.fixture
def communes(db):
    return {
        "roche": CommuneFactory(
            insee_code="85191", name="La Roche-sur-Yon", postal_codes="85000", population=55000
        ),
        "landeronde": CommuneFactory(
            insee_code="85120", name="Landeronde", postal_codes="85150", population=2400
        ),
        "gilles": CommuneFactory(
            insee_code="85222",
            name="Saint-Gilles-Croix-de-Vie",
            postal_codes="85800",
            population=7500,
        ),
        "venansault": CommuneFactory(
            insee_code="85300", name="Venansault", postal_codes="85190", population=4700
        ),
        "aizenay": CommuneFactory(
            insee_code="85003", name="Aizenay", postal_codes="85190", population=9000
        ),
    }


def test_commune_lookup_by_name_or_postal_code(client, counsellor_a, communes):
    login(client, counsellor_a)

    def codes(query):
        return [r["code"] for r in client.get(COMMUNES, {"q": query}).json()["results"]]

    assert codes("roche sur yon") == ["85191"]
    assert codes("LANDÉRONDE") == ["85120"]
    assert codes("st gilles") == ["85222"]
    assert codes("85190") == ["85003", "85300"]  # most populated first
    assert codes("8515") == ["85120"]
    assert set(codes("851")) == {"85120", "85191", "85300", "85003"}  # postal or INSEE prefix
    assert codes("l") == []
    results = client.get(COMMUNES, {"q": "venan"}).json()["results"]
    assert results == [{"code": "85300", "label": "Venansault (85190)", "name": "Venansault"}]


def test_commune_lookup_refused_to_partner_editor(client, partner_editor, communes):
    assert login(client, partner_editor).get(COMMUNES, {"q": "roche"}).status_code == 403


def test_commune_fallback_without_javascript(client, counsellor_a, session_a, communes):
    login(client, counsellor_a)
    # "Chercher la commune": the form comes back with the select filtered, nothing created.
    response = client.post(
        new_person_url(session_a),
        {"first_name": "Lucie", "commune_q": "85190", "search_commune": "1"},
    )
    html = response.content.decode()
    assert '<option value="85300">Venansault (85190)</option>' in html
    assert '<option value="85003">Aizenay (85190)</option>' in html
    assert "La Roche-sur-Yon" not in html
    assert response.context["form"]["first_name"].value() == "Lucie"
    assert not Learner.objects.exists()
    # Two communes share the postal code: the counsellor must choose.
    response = client.post(new_person_url(session_a), {"first_name": "Lucie", "commune_q": "85190"})
    assert "Plusieurs communes correspondent à « 85190 »" in response.content.decode()
    response = client.post(
        new_person_url(session_a),
        {"first_name": "Lucie", "commune_q": "85190", "commune": "85300", "confirm": "1"},
    )
    assert response.status_code == 302
    assert Learner.objects.get(first_name="Lucie").commune_id == "85300"
