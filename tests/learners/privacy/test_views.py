"""Admin views of the rights of the people tracked: data export (JSON and printable page),
erasure, and the link from the person's page; every role."""

import json

import pytest
from django.urls import reverse

from learners.choices import AuditAction
from learners.models import AuditLog, Carnet, GuideRead, Learner
from tests.factories.editorial import guide_create
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused, login

pytestmark = pytest.mark.django_db


def url(name, learner):
    return reverse(name, kwargs={"learner_id": learner.pk})


@pytest.fixture
def josiane(world):
    return world.people[0]


@pytest.fixture
def marcel(world):
    return world.people[1]  # structure A only


@pytest.mark.parametrize(
    "view", ["learners_person_data", "learners_person_data_json", "learners_person_erase"]
)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", 200),
        ("counsellor_a", 200),
        ("counsellor_b", 404),
        ("partner_editor", 403),
        ("anonymous", "login"),
    ],
)
def test_access_per_role(client, request, marcel, view, role, expected):
    login(client, request, role)
    response = client.get(url(view, marcel))
    if expected == "login":
        assert_login_redirect(response)
    elif expected == 403:
        assert_refused(response)
    else:
        assert response.status_code == expected
    if expected != 200:
        assert "Marcel" not in response.content.decode()
        assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_json_export_is_complete(client, coordinator, josiane, world):
    guide = guide_create(title="Créer son adresse e-mail")
    GuideRead.objects.create(learner=josiane, guide=guide)
    client.force_login(coordinator)
    client.get(url("learners_person_detail", josiane))  # a read, to find in the log
    response = client.get(url("learners_person_data_json", josiane))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="donnees-{josiane.network_id}-'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    identity = data["identite"]
    assert identity["prenom"] == "Josiane"
    assert identity["nom"] == "Mercier"
    assert identity["annee_de_naissance"] == 1948
    assert identity["commune_de_residence"] == "Le Poiré-sur-Vie (T8591)"
    assert identity["genre"] == "Féminin"
    assert identity["statut"] == "Retraité"
    assert identity["remarques"] == "Préfère le matin."
    assert identity["identifiant_externe"] == "SUIVI-12"
    assert identity["identifiant_reseau"] == josiane.network_id
    consent = data["information_et_consentement"]
    assert consent["accepte_d_etre_contactee"] is True
    assert consent["courriel"] == "josiane.mercier@example.org"
    assert consent["telephone"] == "06 12 34 56 78"
    assert consent["base_legale"] == "Mission d'intérêt public"
    assert [s["nom"] for s in data["structures_qui_accompagnent"]] == [josiane.structure.name]
    # All three sessions, including the one held by structure B.
    assert [p["structure"] for p in data["presences"]] == [
        world.sessions[0].structure.name,
        world.sessions[1].structure.name,
        world.sessions[2].structure.name,
    ]
    assert data["presences"][0]["lieu"] == "Espace numérique du Poiré"
    assert data["presences"][0]["presence"] == "Présent"
    assert [o["niveau"] for o in data["observations"]] == ["Non acquis", "En cours", "Acquis"]
    (summary,) = data["syntheses_par_competence"]
    assert (summary["premier_niveau"], summary["niveau_actuel"]) == ("Non acquis", "Acquis")
    (carnet,) = data["carnets_de_progression"]
    assert carnet["actif"] is True
    assert [g["titre"] for g in data["fiches_lues"]] == ["Créer son adresse e-mail"]
    actions = [(a["action"], a["par"]) for a in data["journal_des_acces"]]
    assert ("Consultation", "la coordination du réseau") in actions
    assert data["conservation"]["duree_sans_activite_en_mois"] == 12
    assert data["conservation"]["anonymisation_prevue_a_partir_du"] == "2025-12-21"
    # Never the carnet code, nor its hash, nor a staff login.
    body = response.content.decode()
    code_hash = Carnet.objects.get(learner=josiane).code_hash
    assert code_hash not in body and "code_hash" not in body
    assert coordinator.username not in body
    # The export is logged.
    entry = AuditLog.objects.filter(action=AuditAction.EXPORT, learner=josiane).get()
    assert entry.user == coordinator
    assert entry.detail == "droit d'accès : fichier JSON"


def test_counsellor_export_names_their_structure_in_the_log(
    client, counsellor_a, josiane, structure_a
):
    client.force_login(counsellor_a)
    client.get(url("learners_person_detail", josiane))
    data = json.loads(client.get(url("learners_person_data_json", josiane)).content)
    # The structure's own data only: its two sessions, not the one structure B held (the
    # complete export is the coordination's, and says so).
    assert len(data["presences"]) == 2
    assert {p["structure"] for p in data["presences"]} == {structure_a.name}
    assert "la coordination du réseau peut fournir l'export complet" in data["perimetre"]
    assert (
        "Consultation",
        f"conseiller ou conseillère numérique de {structure_a.name}",
    ) in [(a["action"], a["par"]) for a in data["journal_des_acces"]]


def test_export_query_count_does_not_grow(
    client, coordinator, josiane, world, django_assert_max_num_queries
):
    from learners.choices import AttendanceStatus
    from tests.factories.learners import AttendanceFactory, SessionFactory

    client.force_login(coordinator)
    client.get(url("learners_person_data_json", josiane))  # warm the user's roles
    with django_assert_max_num_queries(22) as small:  # 2 for the sign-ups (agenda)
        client.get(url("learners_person_data_json", josiane))
    for _i in range(15):
        AttendanceFactory(
            learner=josiane,
            session=SessionFactory(structure=world.sessions[0].structure),
            status=AttendanceStatus.REGISTERED,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("learners_person_data_json", josiane))
    assert len(json.loads(response.content)["presences"]) == 18


def test_printable_page(client, coordinator, josiane):
    client.force_login(coordinator)
    response = client.get(url("learners_person_data", josiane))
    html = response.content.decode()
    assert "Données personnelles enregistrées dans Pas à pas" in html
    assert "Mercier" in html and "josiane.mercier@example.org" in html
    assert "@page { size: A4" in html
    assert "04/03/2024 à 10:00" in html  # dates written the French way
    assert "T10:00" not in html
    assert reverse("learners_person_data_json", kwargs={"learner_id": josiane.pk}) in html
    entry = AuditLog.objects.get(action=AuditAction.EXPORT, learner=josiane)
    assert entry.detail == "droit d'accès : page imprimable"


def test_person_page_links_to_the_rights(client, counsellor_a, marcel):
    client.force_login(counsellor_a)
    html = client.get(url("learners_person_detail", marcel)).content.decode()
    assert "Droits de la personne (RGPD)" in html
    for name in ("learners_person_data", "learners_person_data_json", "learners_person_erase"):
        assert url(name, marcel) in html


def test_erase_confirmation_then_erasure(client, counsellor_a, marcel):
    client.force_login(counsellor_a)
    page = client.get(url("learners_person_erase", marcel)).content.decode()
    assert "Ce qui est effacé" in page
    assert "Ce qui est gardé, sans nom, pour les statistiques" in page
    assert "année de naissance, le genre, le statut et la commune" in page

    refused = client.post(url("learners_person_erase", marcel), {})
    assert refused.status_code == 200
    assert "Cochez la case pour confirmer l&#x27;effacement." in refused.content.decode()
    assert not Learner.objects.get(pk=marcel.pk).is_anonymized

    response = client.post(url("learners_person_erase", marcel), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("learners_people")
    row = Learner.objects.get(pk=marcel.pk)
    assert row.is_anonymized and row.first_name == "Anonyme" and row.last_name == ""
    entry = AuditLog.objects.get(action=AuditAction.ANONYMIZE)
    assert entry.user == counsellor_a
    assert entry.learner_network_id == marcel.network_id
    # Gone from every page of the user.
    assert client.get(url("learners_person_erase", marcel)).status_code == 404
    assert client.get(url("learners_person_detail", marcel)).status_code == 404
    assert "Guérin" not in client.get(reverse("learners_people")).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("counsellor_b", 404), ("partner_editor", 403), ("anonymous", "login")],
)
def test_erase_refused(client, request, marcel, role, expected):
    login(client, request, role)
    response = client.post(url("learners_person_erase", marcel), {"confirm": "on"})
    if expected == "login":
        assert_login_redirect(response)
    elif expected == 403:
        assert_refused(response)
    else:
        assert response.status_code == expected
    assert not Learner.objects.get(pk=marcel.pk).is_anonymized
