"""A structure sees the history it recorded itself; the other structures'
only with the person's consent, which the person controls. Structure A builds Andrée's
record; structure B comes to follow her too (a link, as after a coordination's merge or
a session of B); every person-related path is tried as each role."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from common.french_text import french_de
from learners.choices import AttendanceStatus
from learners.models import AuditLog, LearnerStructure, SharingConsent
from learners.selectors import counsellor_dashboard, progress_for_learner
from learners.selectors.exports import observations_for_export
from learners.selectors.people import learner_link_match
from learners.services import carnet_issue, learner_update, observation_record
from learners.services.linking import (
    learner_link_with_carnet_code,
    sharing_consent_record,
    sharing_consent_revoke,
)
from learners.services.privacy import learner_anonymize
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, at, level
from tests.learners.admin_views.people_helpers import assert_login_redirect, assert_refused

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def andree(structure_a, structure_b, counsellor_a, socle):
    learner = LearnerFactory(
        structure=structure_a,
        first_name="Andrée",
        last_name="Marchand",
        birth_year=1953,
        contact_consent=True,
        contact_consent_at=timezone.now(),
        phone="0611223344",
        notes="Vient avec sa voisine",
    )
    LearnerStructure.objects.get_or_create(learner=learner, structure=structure_a)
    session = SessionFactory(
        structure=structure_a, start=at(TODAY - datetime.timedelta(days=3)), title="Atelier A"
    )
    AttendanceFactory(session=session, learner=learner, status=AttendanceStatus.PRESENT)
    for rank in (0, 2):
        observation_record(
            user=counsellor_a,
            learner=learner,
            competence=socle[0],
            level=level("socle", rank),
            session=session,
            observed_on=TODAY - datetime.timedelta(days=3 - rank),
        )
    # B follows her too, and has recorded nothing yet.
    LearnerStructure.objects.create(learner=learner, structure=structure_b)
    return learner


def page(learner):
    return reverse("learners_person_detail", args=[learner.pk])


A_SECRETS = ("Atelier A", "Vient avec sa voisine", "0611223344")


def assert_b_sees_nothing_of_a(client, counsellor_b, learner) -> str:
    """B, which follows the person without her consent: her page and her progress hold
    none of A's history. Returns the page's content."""
    client.force_login(counsellor_b)
    content = client.get(page(learner)).content.decode()
    for secret in A_SECRETS:
        assert secret not in content, secret
    progress = progress_for_learner(user=counsellor_b, learner_id=learner.pk)
    assert not progress.shared and progress.attendances == []
    return content


def test_b_sees_identity_but_nothing_of_a(client, andree, counsellor_b, structure_a, socle):
    client.force_login(counsellor_b)
    response = client.get(page(andree))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Andrée" in content and "Marchand" in content  # recognised and counted
    for secret in (*A_SECRETS, structure_a.name, socle[0].name):
        assert secret not in content, secret
    progress = response.context["progress"]
    assert progress.attendances == [] and progress.observations == []
    assert progress.competences == []
    assert response.context["carnet"] is None


def test_b_sees_its_own_levels_only(client, andree, counsellor_b, structure_b, socle):
    session_b = SessionFactory(structure=structure_b, start=at(TODAY - datetime.timedelta(days=1)))
    observation_record(
        user=counsellor_b,
        learner=andree,
        competence=socle[0],
        level=level("socle", 1),
        session=session_b,
    )
    progress = progress_for_learner(user=counsellor_b, learner_id=andree.pk)
    [competence] = progress.competences
    # Computed from B's single observation: A's level 2 stays A's.
    assert competence.current_level.rank == 1 and competence.observation_count == 1
    assert [o.structure_id for o in progress.observations] == [structure_b.pk]


def test_b_data_export_holds_only_b_data(client, andree, counsellor_a, counsellor_b, structure_b):
    client.force_login(counsellor_a)
    client.get(page(andree))  # an audit entry of A's staff
    client.force_login(counsellor_b)
    client.get(page(andree))
    url = reverse("learners_person_data_json", args=[andree.pk])
    data = json.loads(client.get(url).content)
    assert data["presences"] == [] and data["observations"] == []
    assert data["syntheses_par_competence"] == []
    assert data["identite"]["remarques"] == "" and data["identite"]["structure_d_accueil"] == ""
    assert data["information_et_consentement"]["telephone"] == ""
    assert [s["nom"] for s in data["structures_qui_accompagnent"]] == [structure_b.name]
    assert data["carnets_de_progression"] == []
    assert {entry["par"] for entry in data["journal_des_acces"]} == {
        f"conseiller ou conseillère numérique {french_de(structure_b.name)}"
    }
    assert french_de("Association Clic Vendée") == "d'Association Clic Vendée"
    for secret in A_SECRETS:
        assert secret not in json.dumps(data, ensure_ascii=False)


def test_b_cannot_change_a_contact_details_nor_issue_a_carnet(
    client, andree, counsellor_b, counsellor_a
):
    with pytest.raises(PermissionDenied):
        learner_update(user=counsellor_b, learner=andree, data={"notes": "écrasé"})
    with pytest.raises(PermissionDenied):
        carnet_issue(user=counsellor_b, learner=andree)
    # The edit form leaves the held fields out, and posting them changes nothing.
    client.force_login(counsellor_b)
    edit = reverse("learners_person_edit", args=[andree.pk])
    content = client.get(edit).content.decode()
    assert "Vient avec sa voisine" not in content and "0611223344" not in content
    client.post(
        edit,
        {
            "first_name": "Andrée",
            "last_name": "Marchand",
            "birth_year": "1953",
            "legal_basis": "interet_public",
            "notes": "écrasé",
            "phone": "0000",
            "contact_consent": "",
        },
    )
    andree.refresh_from_db()
    assert andree.notes == "Vient avec sa voisine" and andree.phone == "0611223344"
    # A, who holds the record, may.
    learner_update(user=counsellor_a, learner=andree, data={"notes": "Préfère le matin"})


def test_b_cannot_erase_a_person_followed_by_several_structures(
    client, andree, counsellor_b, coordinator
):
    with pytest.raises(PermissionDenied, match="seule la coordination"):
        learner_anonymize(user=counsellor_b, learner=andree)
    client.force_login(counsellor_b)
    page = client.get(reverse("learners_person_erase", args=[andree.pk])).content.decode()
    assert "seule la coordination peut effacer sa fiche" in page
    assert "Effacer définitivement" not in page
    response = client.post(
        reverse("learners_person_erase", args=[andree.pk]), {"confirm": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "seule la coordination peut effacer sa fiche" in response.content.decode()
    andree.refresh_from_db()
    assert not andree.is_anonymized
    # The coordination may; it is logged.
    learner_anonymize(user=coordinator, learner=andree)
    andree.refresh_from_db()
    assert andree.is_anonymized
    assert AuditLog.objects.filter(action="anonymize", user=coordinator).exists()


def test_a_counsellor_erases_a_person_only_their_structure_follows(counsellor_a, structure_a):
    alone = LearnerFactory(structure=structure_a)
    LearnerStructure.objects.get_or_create(learner=alone, structure=structure_a)
    assert learner_anonymize(user=counsellor_a, learner=alone).is_anonymized


def test_consent_opens_the_history_and_its_withdrawal_closes_it(
    client, andree, counsellor_b, structure_b
):
    consent = sharing_consent_record(user=counsellor_b, learner=andree)
    assert consent.structure == structure_b and consent.method == "en_personne"
    client.force_login(counsellor_b)
    content = client.get(page(andree)).content.decode()
    for secret in A_SECRETS:
        assert secret in content
    # Withdrawn (here on request, from the person's page): closed again.
    response = client.post(reverse("learners_person_consent_revoke", args=[andree.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    content = client.get(page(andree)).content.decode()
    for secret in A_SECRETS:
        assert secret not in content


def test_the_carnet_code_is_the_person_s_consent(
    andree, counsellor_b, counsellor_a, structure_b, coordinator
):
    code = carnet_issue(user=counsellor_a, learner=andree)
    other = LearnerFactory(structure=structure_b)
    with pytest.raises(ValidationError):
        # A code that is not the described person's.
        learner_link_with_carnet_code(user=counsellor_b, code=code, candidate_ids=[other.pk])
    with pytest.raises(ValidationError):
        learner_link_with_carnet_code(user=counsellor_b, code="AAAA-BBBB-CCCC")
    learner_link_with_carnet_code(user=counsellor_b, code=code, candidate_ids=[andree.pk])
    assert progress_for_learner(user=counsellor_b, learner_id=andree.pk).shared
    consent = SharingConsent.objects.get(learner=andree, structure=structure_b)
    # The person withdraws it from their carnet.
    carnet = andree.carnets.get(revoked_at__isnull=True)
    sharing_consent_revoke(consent=consent, carnet=carnet)
    assert not progress_for_learner(user=counsellor_b, learner_id=andree.pk).shared
    # Another carnet cannot withdraw it, nor another structure's counsellor... (A) for B's.
    with pytest.raises(PermissionDenied):
        sharing_consent_revoke(
            consent=SharingConsent.objects.create(
                learner=andree, structure=structure_b, method="carnet", given_at=timezone.now()
            ),
            user=counsellor_a,
        )


def test_hints_never_enumerate(andree, counsellor_b, counsellor_a, structure_b):
    from tests.factories.learners import CommuneFactory

    outsider = LearnerFactory(
        structure=structure_b, first_name="Rose", birth_year=1940, commune=CommuneFactory()
    )
    # From a first name alone: nothing from other structures.
    assert learner_link_match(user=counsellor_a, first_name="Rose").is_empty
    assert learner_link_match(user=counsellor_a, first_name="Rose", birth_year=1940).is_empty
    match = learner_link_match(
        user=counsellor_a, first_name="Rose", birth_year=1940, commune=outsider.commune
    )
    assert match.own == [] and match.other_ids == [outsider.pk]


def test_dashboard_of_b_shows_no_progress_recorded_by_a(andree, counsellor_b, counsellor_a):
    dashboard_a = counsellor_dashboard(user=counsellor_a, today=TODAY)
    dashboard_b = counsellor_dashboard(user=counsellor_b, today=TODAY)
    if TODAY.day > 2:  # A's progress is this month
        assert [p.learner.pk for p in dashboard_a.progressed] == [andree.pk]
    assert dashboard_b.progressed == [] and dashboard_b.progressed_count == 0
    assert dashboard_b.stuck == []


def test_observation_exports_of_b_hold_no_row_of_a(andree, counsellor_b, counsellor_a):
    from learners.selectors.exports import ExportFilters

    assert observations_for_export(user=counsellor_b, filters=ExportFilters()).count() == 0
    assert observations_for_export(user=counsellor_a, filters=ExportFilters()).count() == 2


@pytest.mark.parametrize("role", ["partner_editor", "anonymous"])
def test_outsiders_get_nothing(client, request, andree, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for name in (
        "learners_person_detail",
        "learners_person_edit",
        "learners_person_data_json",
        "learners_person_erase",
    ):
        response = client.get(reverse(name, args=[andree.pk]))
        if role == "anonymous":
            assert_login_redirect(response)
        else:
            assert_refused(response)
    response = client.post(reverse("learners_person_consent_record", args=[andree.pk]))
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert_refused(response)
    assert not SharingConsent.objects.exists()


def test_a_counsellor_of_a_third_structure_gets_404(client, andree, counsellor_b, structure_b):
    from tests.factories.learners import CounsellorFactory, StructureFactory

    third = CounsellorFactory(structure=StructureFactory()).user
    from django.contrib.auth.models import Group

    third.groups.add(Group.objects.get_or_create(name="Conseillers")[0])
    client.force_login(third)
    for name in ("learners_person_detail", "learners_person_data_json", "learners_person_edit"):
        assert client.get(reverse(name, args=[andree.pk])).status_code == 404
    response = client.post(
        reverse("learners_person_consent_record", args=[andree.pk]), {"given_on": "2025-01-01"}
    )
    assert response.status_code == 404
    assert not SharingConsent.objects.exists()


def test_people_export_of_b_leaves_a_held_cells_empty(andree, counsellor_b, counsellor_a):
    from learners.resources import LearnerResource
    from learners.selectors.exports import ExportFilters, people_for_export

    def rows(user):
        dataset = LearnerResource().export(people_for_export(user=user, filters=ExportFilters()))
        return dataset.dict

    [row_b] = rows(counsellor_b)
    assert "0611223344" not in row_b.values() and "Vient avec sa voisine" not in row_b.values()
    [row_a] = rows(counsellor_a)
    assert "0611223344" in row_a.values() and "Vient avec sa voisine" in row_a.values()


def test_merge_joins_the_records_without_sharing_their_history(
    andree, counsellor_a, counsellor_b, coordinator, structure_a, structure_b, socle
):
    from learners.models import LinkRequest
    from learners.services import learner_create, learner_merge
    from learners.services.linking import learner_link_request

    # B did not have the carnet: its own record, its own notes and session, a request.
    LearnerStructure.objects.filter(learner=andree, structure=structure_b).delete()
    own = learner_create(
        user=counsellor_b,
        first_name="Andrée",
        last_name="Marchand",
        birth_year=1953,
        notes="Note de B",
    )
    session_b = SessionFactory(structure=structure_b, title="Permanence B")
    AttendanceFactory(session=session_b, learner=own)
    learner_link_request(user=counsellor_b, learner_ids=[andree.pk], own_record=own)
    with pytest.raises(PermissionDenied):
        learner_merge(user=counsellor_b, keep=own, remove=andree)
    kept = learner_merge(user=coordinator, keep=andree, remove=own)
    assert LinkRequest.objects.get().closed_at is not None
    assert set(kept.structure_links.values_list("structure_id", flat=True)) == {
        structure_a.pk,
        structure_b.pk,
    }
    assert kept.notes == "Vient avec sa voisine"  # B's note did not pass to A's record
    seen_by_b = progress_for_learner(user=counsellor_b, learner_id=kept.pk)
    assert [a.session.title for a in seen_by_b.attendances] == ["Permanence B"]
    assert seen_by_b.observations == []
    seen_by_a = progress_for_learner(user=counsellor_a, learner_id=kept.pk)
    assert [a.session.title for a in seen_by_a.attendances] == ["Atelier A"]


def test_b_sheet_shows_the_levels_b_recorded_not_a_s(
    andree, counsellor_b, structure_b, socle, coordinator
):
    from learners.selectors import session_attendance_sheet

    session_b = SessionFactory(structure=structure_b, competences=socle[:1])
    AttendanceFactory(session=session_b, learner=andree)
    [line] = session_attendance_sheet(user=counsellor_b, session_id=session_b.pk).lines
    assert line.current_levels == {}  # A's level 2 is not B's to see
    observation_record(
        user=counsellor_b, learner=andree, competence=socle[0], level=level("socle", 1)
    )
    [line] = session_attendance_sheet(user=counsellor_b, session_id=session_b.pk).lines
    assert line.current_levels[socle[0].pk].rank == 1
    # With her consent, her own current level (the latest, whoever recorded it).
    sharing_consent_record(user=counsellor_b, learner=andree)
    [line] = session_attendance_sheet(user=counsellor_b, session_id=session_b.pk).lines
    assert line.current_levels[socle[0].pk].rank == 1
    [line] = session_attendance_sheet(user=coordinator, session_id=session_b.pk).lines
    assert socle[0].pk in line.current_levels


def test_b_statistics_progression_counts_only_b_observations(
    andree, counsellor_b, structure_b, socle
):
    from learners.models import Counsellor
    from learners.roles import roles_cache_clear
    from learners.selectors.statistics import StatisticsFilters, statistics_compute

    Counsellor.objects.filter(user=counsellor_b).update(is_structure_manager=True)
    roles_cache_clear(counsellor_b)
    session_b = SessionFactory(structure=structure_b, start=at(TODAY - datetime.timedelta(days=2)))
    AttendanceFactory(session=session_b, learner=andree, status=AttendanceStatus.PRESENT)
    filters = StatisticsFilters(
        start=TODAY - datetime.timedelta(days=30), end=TODAY + datetime.timedelta(days=1)
    )
    stats = statistics_compute(user=counsellor_b, filters=filters)
    # A's two observations of the period are not B's: nobody observed for B.
    assert stats["progress"]["observed"] == 0
    Counsellor.objects.filter(user=counsellor_b).update(is_structure_manager=False)


def test_b_list_shows_b_last_attendance_not_a_s(
    client, andree, counsellor_b, structure_b, django_assert_max_num_queries
):
    from learners.resources import LearnerResource
    from learners.selectors.exports import ExportFilters, people_for_export
    from learners.services import learners_attendance_refresh

    a_day = andree.attendances.get().session.local_date.strftime("%d/%m/%Y")
    learners_attendance_refresh(learner_ids=[andree.pk])
    andree.refresh_from_db()
    assert andree.last_attended_on is not None  # A's session
    client.force_login(counsellor_b)
    client.get(reverse("learners_people"))
    with django_assert_max_num_queries(16) as one:
        html = client.get(reverse("learners_people")).content.decode()
    assert "Andrée" in html and a_day not in html
    for _i in range(5):
        # A fixed first name: Faker may draw « Andrée », the name the rows are read by.
        other = LearnerFactory(structure=structure_b, first_name="Paulette")
        LearnerStructure.objects.get_or_create(learner=other, structure=structure_b)
        AttendanceFactory(learner=other, session=SessionFactory(structure=structure_b))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("learners_people"))
    rows = (
        LearnerResource().export(people_for_export(user=counsellor_b, filters=ExportFilters())).dict
    )
    [row] = [r for r in rows if r["Prénom"] == "Andrée"]
    assert not row["Dernière présence"]
    data = json.loads(client.get(reverse("learners_person_data_json", args=[andree.pk])).content)
    assert data["identite"]["derniere_presence"] is None


# --- An in-person consent stays the person's act ---------------------------------------------


def _record(client, learner, **data):
    return client.post(reverse("learners_person_consent_record", args=[learner.pk]), data)


def test_an_in_person_consent_is_dated_within_the_last_week(client, andree, counsellor_b):
    client.force_login(counsellor_b)
    for day in (TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=8)):
        with pytest.raises(ValidationError) as refusal:
            sharing_consent_record(user=counsellor_b, learner=andree, given_on=day)
        assert refusal.value.code == "given_on"
        assert _record(client, andree, given_on=day.isoformat()).status_code == 302
    assert not SharingConsent.objects.filter(learner=andree).exists()
    content = assert_b_sees_nothing_of_a(client, counsellor_b, andree)
    # The error is shown once, next to the date, and the field says it is wrong.
    assert 'id="id_given_on_error"' in content and "7 derniers jours" in content
    assert 'aria-invalid="true"' in content
    assert 'id="id_given_on_error"' not in client.get(page(andree)).content.decode()
    # A week ago, the person present at B's session then: recorded.
    consent = sharing_consent_record(
        user=counsellor_b, learner=andree, given_on=TODAY - datetime.timedelta(days=7)
    )
    assert consent.method == "en_personne"


def test_the_consent_form_asks_the_carnet_code(client, andree, counsellor_b):
    client.force_login(counsellor_b)
    content = client.get(page(andree)).content.decode()
    assert '<label for="id_carnet_code">Code du carnet (si la personne en a un)</label>' in content
    assert 'name="carnet_code" id="id_carnet_code"' in content


def test_a_person_with_a_carnet_consents_in_person_only_by_showing_its_code(
    client, andree, counsellor_a, counsellor_b, structure_a
):
    code = carnet_issue(user=counsellor_a, learner=andree)
    someone = LearnerFactory(structure=structure_a)
    someone_code = carnet_issue(user=counsellor_a, learner=someone)
    for typed in ("", "AAAA-BBBB-CCCC", someone_code):
        with pytest.raises(ValidationError) as refusal:
            sharing_consent_record(user=counsellor_b, learner=andree, code=typed)
        assert refusal.value.code == "carnet_code"
    client.force_login(counsellor_b)
    _record(client, andree, given_on=TODAY.isoformat())
    assert not SharingConsent.objects.filter(learner=andree).exists()
    content = assert_b_sees_nothing_of_a(client, counsellor_b, andree)
    assert 'id="id_carnet_code_error"' in content
    assert "saisissez le code qu&#x27;elle vous montre" in content
    # She shows it: recorded as given with her code.
    _record(client, andree, given_on=TODAY.isoformat(), carnet_code=code.lower())
    consent = SharingConsent.objects.get(learner=andree, revoked_at__isnull=True)
    assert consent.method == "carnet" and consent.structure == counsellor_b.counsellor.structure
    content = client.get(page(andree)).content.decode()
    for secret in A_SECRETS:
        assert secret in content


def test_without_a_carnet_the_in_person_consent_is_logged_and_shown_on_a_later_carnet(
    andree, counsellor_a, counsellor_b, structure_b
):
    from learners.selectors.carnets import carnet_structures

    consent = sharing_consent_record(user=counsellor_b, learner=andree)
    assert consent.method == "en_personne"
    assert AuditLog.objects.filter(
        learner=andree, user=counsellor_b, detail__contains="en personne (sans carnet)"
    ).exists()
    carnet_issue(user=counsellor_a, learner=andree)
    carnet = andree.carnets.get(revoked_at__isnull=True)
    [row_b] = [row for row in carnet_structures(carnet=carnet) if row.name == structure_b.name]
    assert row_b.consent_id == consent.pk  # with its « Retirer mon accord » button


def test_after_a_withdrawal_from_the_carnet_only_the_code_gives_the_consent_again(
    client, andree, counsellor_a, counsellor_b, structure_b
):
    from learners.services import carnet_revoke

    code = carnet_issue(user=counsellor_a, learner=andree)
    learner_link_with_carnet_code(user=counsellor_b, code=code)
    consent = SharingConsent.objects.get(learner=andree, structure=structure_b)
    sharing_consent_revoke(consent=consent, carnet=andree.carnets.get(revoked_at__isnull=True))
    consent.refresh_from_db()
    assert consent.revoked_from_carnet
    # Even once her carnet is revoked (no active carnet), B's word is not enough.
    carnet_revoke(user=counsellor_a, carnet=andree.carnets.get(revoked_at__isnull=True))
    with pytest.raises(ValidationError, match="elle doit vous montrer le code de son carnet"):
        sharing_consent_record(user=counsellor_b, learner=andree)
    client.force_login(counsellor_b)
    _record(client, andree, given_on=TODAY.isoformat())
    assert not SharingConsent.objects.filter(learner=andree, revoked_at__isnull=True).exists()
    content = assert_b_sees_nothing_of_a(client, counsellor_b, andree)
    assert "elle doit vous montrer le code de son carnet" in content
    # Her new code gives it again.
    new_code = carnet_issue(user=counsellor_a, learner=andree)
    assert sharing_consent_record(user=counsellor_b, learner=andree, code=new_code).is_active
    assert progress_for_learner(user=counsellor_b, learner_id=andree.pk).shared


def test_a_withdrawal_on_request_does_not_need_the_code_again(andree, counsellor_b):
    consent = sharing_consent_record(user=counsellor_b, learner=andree)
    sharing_consent_revoke(consent=consent, user=counsellor_b)
    consent.refresh_from_db()
    assert consent.revoked_at is not None and not consent.revoked_from_carnet
    assert sharing_consent_record(user=counsellor_b, learner=andree).is_active
