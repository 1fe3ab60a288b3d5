"""Who may issue, revoke and see attestations: counsellor of the person's structure,
another structure's counsellor, coordinator, partner editor, anonymous; the carnet holder
only for the carnet's downloads and A4 page."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from learners.choices import AttestationName
from learners.models import Attestation
from learners.services import carnet_issue
from learners.services.attestations import attestation_issue
from tests.factories.learners import LearnerFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refused(response) -> bool:
    """Wagtail's answer to PermissionDenied: back to the admin home, never the content."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def _issue_url(learner) -> str:
    return reverse("learners_attestation_issue", args=[learner.pk])


def _post_issue(client, learner, competences, name="prenom_initiale"):
    return client.post(
        _issue_url(learner), {"competences": [c.pk for c in competences], "nom": name}
    )


def test_counsellor_of_the_structure_issues(counsellor_a, odette, socle):
    client = _client(counsellor_a)
    page = client.get(_issue_url(odette))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert socle[0].name in text and socle[2].name in text
    assert socle[1].name not in text  # « En cours »: not eligible
    response = _post_issue(client, odette, [socle[0], socle[2]])
    assert response.status_code == 302
    attestation = Attestation.objects.get()
    assert set(attestation.competences.all()) == {socle[0], socle[2]}
    assert attestation.issued_by == counsellor_a
    detail = html.unescape(client.get(response["Location"]).content.decode())
    assert f"/attestations/{attestation.public_id}/" in detail


def test_an_ineligible_competence_is_refused(counsellor_a, odette, socle):
    response = _post_issue(_client(counsellor_a), odette, [socle[0], socle[1]])
    assert response.status_code == 400
    assert "niveau demandé" in html.unescape(response.content.decode())
    assert not Attestation.objects.exists()


def test_nothing_chosen_is_refused_in_french(counsellor_a, odette, socle):
    response = _post_issue(_client(counsellor_a), odette, [])
    assert response.status_code == 400
    assert "Choisissez au moins une compétence" in html.unescape(response.content.decode())


def test_a_forged_name_choice_is_refused(counsellor_a, odette, socle):
    response = _post_issue(_client(counsellor_a), odette, [socle[0]], name="nom_complet")
    assert response.status_code == 400
    assert not Attestation.objects.exists()


def test_other_structure_counsellor_gets_404(counsellor_b, odette, socle):
    client = _client(counsellor_b)
    assert client.get(_issue_url(odette)).status_code == 404
    assert _post_issue(client, odette, [socle[0]]).status_code == 404
    assert not Attestation.objects.exists()


def test_coordinator_issues_for_the_record_structure(coordinator, odette, socle, structure_a):
    response = _post_issue(_client(coordinator), odette, [socle[0]])
    assert response.status_code == 302
    assert Attestation.objects.get().structure == structure_a


def test_partner_editor_is_refused(partner_editor, odette, socle):
    client = _client(partner_editor)
    assert _refused(client.get(_issue_url(odette)))
    assert _refused(_post_issue(client, odette, [socle[0]]))
    assert not Attestation.objects.exists()


def test_anonymous_is_sent_to_login(client, odette, socle):
    response = _post_issue(client, odette, [socle[0]])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not Attestation.objects.exists()


def test_revoke_view_scoped(counsellor_a, counsellor_b, coordinator, odette, socle):
    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.NONE,
    )
    url = reverse("learners_attestation_revoke", args=[attestation.pk])
    assert _client(counsellor_b).post(url, {"motif": "x"}).status_code == 404
    attestation.refresh_from_db()
    assert attestation.revoked_at is None
    assert _client(coordinator).post(url, {"motif": "Erreur"}).status_code == 302
    attestation.refresh_from_db()
    assert attestation.revoked_at is not None


def test_keys_page_for_coordinators_only(coordinator, counsellor_a, odette, socle):
    attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.NONE,
    )
    url = reverse("learners_attestation_keys")
    assert _refused(_client(counsellor_a).get(url))
    page = _client(coordinator).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "private" not in text and '"d"' not in text


# --- The carnet ---------------------------------------------------------------------------


def _open_carnet(client, counsellor, learner):
    code = carnet_issue(user=counsellor, learner=learner)
    response = client.post("/carnet/", {"code": code})
    assert response.status_code == 303


def test_carnet_lists_downloads_and_prints(client, counsellor_a, odette, socle):
    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )
    _open_carnet(client, counsellor_a, odette)
    carnet = html.unescape(client.get("/carnet/").content.decode())
    assert "Mes attestations de compétences" in carnet
    download = client.get(f"/carnet/attestations/{attestation.public_id}/fichier.jwt")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/plain")
    assert "attachment" in download["Content-Disposition"]
    assert download.content.decode() == attestation.credential_jws
    assert "no-store" in download["Cache-Control"]
    sheet = client.get(f"/carnet/attestations/{attestation.public_id}/imprimer/")
    assert sheet.status_code == 200
    text = html.unescape(sheet.content.decode())
    assert "<svg" in text and f"/attestations/{attestation.public_id}/" in text
    assert "Odette M." in text


def test_another_carnet_cannot_read_it(client, counsellor_a, odette, socle, structure_a):
    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )
    other = LearnerFactory(structure=structure_a, first_name="Anne", last_name="Lemoine")
    _open_carnet(client, counsellor_a, other)
    for suffix in ("fichier.jwt", "imprimer/"):
        response = client.get(f"/carnet/attestations/{attestation.public_id}/{suffix}")
        assert response.status_code == 404
    assert "Mes attestations" not in client.get("/carnet/").content.decode()


def test_without_an_open_carnet_back_to_the_form(client, counsellor_a, odette, socle):
    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )
    response = client.get(f"/carnet/attestations/{attestation.public_id}/fichier.jwt")
    assert response.status_code == 303
    assert response["Location"].startswith("/carnet/")


def test_carnet_queries_do_not_grow_with_attestations(
    client, counsellor_a, odette, socle, structure_a
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def issue(competence):
        attestation_issue(
            user=counsellor_a,
            learner=odette,
            competence_ids=[competence.pk],
            name_shown=AttestationName.FIRST_NAME_INITIAL,
        )

    issue(socle[0])
    _open_carnet(client, counsellor_a, odette)
    client.get("/carnet/")
    with CaptureQueriesContext(connection) as one:
        client.get("/carnet/")
    issue(socle[2])
    issue(socle[0])
    with CaptureQueriesContext(connection) as three:
        text = client.get("/carnet/").content.decode()
    assert text.count("fichier.jwt") == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_data_export_lists_the_structure_attestations(
    counsellor_a, counsellor_b, coordinator, odette, socle
):
    from learners.selectors.privacy import learner_data_export

    attestation = attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    )
    (item,) = learner_data_export(user=counsellor_a, learner_id=odette.pk)[
        "attestations_de_competences"
    ]
    assert item["competences"] == [f"{socle[0].code} {socle[0].name}"]
    assert item["verification"].endswith(f"/attestations/{attestation.public_id}/")
    assert item["revoquee_le"] is None
    complete = learner_data_export(user=coordinator, learner_id=odette.pk)
    assert len(complete["attestations_de_competences"]) == 1
